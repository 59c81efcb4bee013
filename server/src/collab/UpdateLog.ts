/**
 * The write-ahead side of the document server: every accepted Yjs update is appended to `doc_updates`
 * before anyone else receives it. Appends made in one tick, across all documents, are written in one
 * transaction (setImmediate), so a burst of 20 rooms' edits costs one commit, not hundreds. Only one
 * flush runs at a time, which keeps commit order equal to append order on any database.
 *
 * A `tap` (federation/documents) sees every update stored here, in the transaction that stores it, so
 * an update and its crossing to a peer instance are committed together or not at all.
 */
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';

interface Pending {
  docId: string;
  data: Uint8Array;
  author: string | undefined;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Called synchronously once the update is committed, with the rest of its batch (LiveDocument's relay). */
  committed: (() => void) | undefined;
}

/** What else must happen with each update accepted on this node, and with its clients' presence. */
export interface UpdateTap {
  /** In the transaction that stores `update`; `author` is the account whose client sent it, if any. */
  stored(tx: Db, docId: string, update: Uint8Array, author: string | undefined): Promise<void>;
  /** After a transaction with stored updates committed. */
  committed(): void;
  /** Whether presence on documents may leave this node at all now (cheap: asked on every change). */
  carriesPresence(): boolean;
  /** A presence change of this node's own clients on a document (an awareness update). */
  awareness(docId: string, update: Uint8Array): void;
}

export class UpdateLog {
  private queue: Pending[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  tap: UpdateTap | undefined;

  constructor(private readonly db: Db) {}

  /**
   * Resolves once the update is committed; rejects if the transaction failed (nothing was relayed).
   * `committed` is called synchronously right after the commit, for every update of the batch before
   * any of their promises' reactions run: a document can then relay all of its updates of one commit
   * together (LiveDocument.deliver).
   */
  append(docId: string, data: Uint8Array, author?: string, committed?: () => void): Promise<void> {
    this.queue.push({ docId, data, author });
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject, committed }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.running = this.running.then(() => this.flush());
      });
    }
    return done;
  }

  /** Resolves when everything appended so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.scheduled || this.queue.length) await new Promise((r) => setImmediate(r)).then(() => this.running);
    await this.running;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    if (!batch.length) return;
    try {
      await this.write(batch);
      for (const w of waiters) w.committed?.();
      for (const w of waiters) w.resolve();
    } catch {
      // One document's failure (say, deleted a moment ago) must not fail every room in the batch:
      // retry per document, so only that document's updates are refused.
      const byDoc = new Map<string, number[]>();
      batch.forEach((p, i) => byDoc.set(p.docId, [...(byDoc.get(p.docId) ?? []), i]));
      for (const indexes of byDoc.values()) {
        try {
          await this.write(indexes.map((i) => batch[i]!));
          for (const i of indexes) waiters[i]!.committed?.();
          for (const i of indexes) waiters[i]!.resolve();
        } catch (err) {
          for (const i of indexes) waiters[i]!.reject(err);
        }
      }
    }
  }

  private async write(items: Pending[]): Promise<void> {
    const tap = this.tap;
    await this.db.transaction(async (tx) => {
      for (const p of items) {
        await docStore.appendUpdates(tx, p.docId, [p.data]);
        if (tap) await tap.stored(tx, p.docId, p.data, p.author);
      }
    });
    tap?.committed();
  }
}
