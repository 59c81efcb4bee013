/**
 * The outbox's IndexedDB store: one object store of queued commands keyed by id, so commands issued
 * offline survive a reload or a crashed tab. Deliberately tiny; no library.
 */
import type { OutboxStore, QueuedCommand } from './outbox.js';

const STORE = 'commands';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class IdbOutboxStore implements OutboxStore {
  private db: Promise<IDBDatabase> | undefined;

  /** One database per account and workspace, so two people on one machine never share a queue. */
  constructor(private readonly name: string) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(this.name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
    });
    return this.db;
  }

  private async tx(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async load(): Promise<QueuedCommand[]> {
    return request((await this.tx('readonly')).getAll() as IDBRequest<QueuedCommand[]>);
  }
  async put(c: QueuedCommand): Promise<void> {
    await request((await this.tx('readwrite')).put(c));
  }
  async delete(id: string): Promise<void> {
    await request((await this.tx('readwrite')).delete(id));
  }
}

/** IndexedDB when the browser has it (private windows may not), memory otherwise. */
export const hasIndexedDb = (): boolean => typeof indexedDB !== 'undefined';
