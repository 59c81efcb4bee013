/**
 * The write-ahead side of the document server: every accepted Yjs update is appended to `doc_updates`
 * before anyone else receives it. Appends made in one tick, across all documents, are written in one
 * transaction (setImmediate), so a burst of 20 rooms' edits costs one commit, not hundreds. Only one
 * flush runs at a time, which keeps commit order equal to append order on any database.
 */
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';

interface Pending {
  docId: string;
  data: Uint8Array;
}

export class UpdateLog {
  private queue: Pending[] = [];
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  /** Resolves once the update is committed; rejects if the transaction failed (nothing was relayed). */
  append(docId: string, data: Uint8Array): Promise<void> {
    this.queue.push({ docId, data });
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
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
      for (const w of waiters) w.resolve();
    } catch {
      // One document's failure (say, deleted a moment ago) must not fail every room in the batch:
      // retry per document, so only that document's updates are refused.
      const byDoc = new Map<string, number[]>();
      batch.forEach((p, i) => byDoc.set(p.docId, [...(byDoc.get(p.docId) ?? []), i]));
      for (const indexes of byDoc.values()) {
        try {
          await this.write(indexes.map((i) => batch[i]!));
          for (const i of indexes) waiters[i]!.resolve();
        } catch (err) {
          for (const i of indexes) waiters[i]!.reject(err);
        }
      }
    }
  }

  private write(items: Pending[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      for (const p of items) await docStore.appendUpdates(tx, p.docId, [p.data]);
    });
  }
}
