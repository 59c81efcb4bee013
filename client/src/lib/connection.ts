/**
 * Connection state for the header indicator: what the record-plane socket says, plus the local
 * changes waiting to reach the server, which each feature (the record outbox, open Yjs documents)
 * reports under its own key. Records count one per command (a status change is one change);
 * documents count one per document with unsynced edits, whatever the number of keystrokes in it
 * (Yjs merges them into one update on reconnect): "2 changes waiting · unsynced edits in 1 document".
 * A tiny external store for useSyncExternalStore.
 *
 * For a feature: `connection.setPending('outbox', n)` when it knows its count, or
 * `connection.addPending('outbox', +1)` / `(…, -1)` as changes are queued and acknowledged;
 * `useConnection()` / `usePendingCount()` read it in components.
 */
import { useSyncExternalStore } from 'react';

export type LinkState = 'online' | 'connecting' | 'offline';

export interface ConnectionSnapshot {
  link: LinkState;
  /** Everything waiting: record changes plus documents with unsynced edits. */
  pending: number;
  /** Record-plane commands waiting (each one change). */
  pendingRecords: number;
  /** Open documents with edits the server has not had yet. */
  pendingDocuments: number;
  /** Some source is catching up after a reconnect. */
  syncing: boolean;
  /** A sentence about the link worth saying out loud (the server is restarting), until it recovers. */
  notice: string | undefined;
  /**
   * Why record changes wait although the link is up (the server's sentence: their item's home instance
   * is unreachable); they are resent by themselves. Undefined when none is held.
   */
  held: string | undefined;
}

type Listener = () => void;

/** Prefix of the sources that are documents (useDocSession reports `doc:<docId>`). */
export const DOC_SOURCE = 'doc:';

export class ConnectionStore {
  private link: LinkState = 'connecting';
  private pendingBySource = new Map<string, number>();
  private syncingSources = new Set<string>();
  private notice: string | undefined;
  private heldBySource = new Map<string, string>();
  private listeners = new Set<Listener>();
  private snapshot: ConnectionSnapshot = { link: 'connecting', pending: 0, pendingRecords: 0, pendingDocuments: 0, syncing: false, notice: undefined, held: undefined };

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  setLink(link: LinkState): void {
    this.link = link;
    // Back online means whatever went wrong is over: the notice would only be stale now.
    if (link === 'online') this.notice = undefined;
    this.emit();
  }

  setNotice(notice: string | undefined): void {
    this.notice = notice;
    this.emit();
  }

  /** Adds (or with a negative delta removes) waiting changes of a source: for counters kept elsewhere. */
  addPending(source: string, delta: number): void {
    this.setPending(source, Math.max(0, (this.pendingBySource.get(source) ?? 0) + delta));
  }

  /**
   * A feature reports how many of its changes have not reached the server; 0 clears it. A source
   * named `doc:<id>` is a document: it counts once, however many edits it holds.
   */
  setPending(source: string, count: number): void {
    if (count > 0) this.pendingBySource.set(source, count);
    else this.pendingBySource.delete(source);
    this.emit();
  }

  /** A source's changes wait for a reason the server gave (undefined: no longer). */
  setHeld(source: string, reason: string | undefined): void {
    if (reason) this.heldBySource.set(source, reason);
    else this.heldBySource.delete(source);
    this.emit();
  }

  setSyncing(source: string, syncing: boolean): void {
    if (syncing) this.syncingSources.add(source);
    else this.syncingSources.delete(source);
    this.emit();
  }

  private emit(): void {
    let pendingRecords = 0;
    let pendingDocuments = 0;
    for (const [source, n] of this.pendingBySource) {
      if (source.startsWith(DOC_SOURCE)) pendingDocuments++;
      else pendingRecords += n;
    }
    const pending = pendingRecords + pendingDocuments;
    const held = [...this.heldBySource.values()][0];
    this.snapshot = { link: this.link, pending, pendingRecords, pendingDocuments, syncing: this.syncingSources.size > 0, notice: this.notice, held };
    for (const l of this.listeners) l();
  }
}

export const connection = new ConnectionStore();

/** The current connection snapshot, re-rendering on change. */
export function useConnection(): ConnectionSnapshot {
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}

/** Just the number of changes waiting, for a feature's own "not saved yet" hint. */
export function usePendingCount(): number {
  return useConnection().pending;
}

/** The words the indicator shows, so tests and the UI agree. */
export function describeConnection(s: ConnectionSnapshot): { tone: 'ok' | 'busy' | 'bad'; label: string } {
  const records = s.pendingRecords === 1 ? '1 change waiting' : `${s.pendingRecords} changes waiting`;
  const documents = `unsynced edits in ${s.pendingDocuments === 1 ? '1 document' : `${s.pendingDocuments} documents`}`;
  const waiting = [s.pendingRecords > 0 && records, s.pendingDocuments > 0 && documents].filter(Boolean).join(' · ');
  if (s.link === 'offline') return { tone: 'bad', label: s.pending > 0 ? `Offline · ${waiting}` : 'Offline' };
  if (s.link === 'connecting') return { tone: 'busy', label: s.pending > 0 ? `Connecting · ${waiting}` : 'Connecting…' };
  if (s.held && s.pending > 0) return { tone: 'busy', label: `Waiting · ${waiting}` };
  if (s.syncing || s.pending > 0) return { tone: 'busy', label: s.pending > 0 ? `Syncing · ${waiting}` : 'Syncing…' };
  return { tone: 'ok', label: 'Online' };
}
