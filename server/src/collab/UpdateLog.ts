/**
 * The write-ahead side of the document server: every accepted Yjs update is made durable before anyone
 * else receives it, and stored in `doc_updates`. Appends made in one tick, across all documents, are
 * written in one transaction (setImmediate), so a burst of 20 rooms' edits costs one commit, not
 * hundreds. Only one flush runs at a time, which keeps commit order equal to append order on any database.
 *
 * On SQLite the tick's updates first go to the update journal (updateJournal.ts) in one write; they are
 * relayed right after it and committed to SQLite right after the relay, in the same turn of the event
 * loop, so no other request sees the database without them. On PostgreSQL (no journal) the relay waits
 * for the commit.
 *
 * A `tap` (federation/documents) sees every update stored here, in the transaction that stores it, so
 * an update and its crossing to a peer instance are committed together or not at all.
 */
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';
import { UpdateJournal, type JournalRecord } from './updateJournal.js';
import { JOURNAL_MARK } from '../storage/migrations/021_update_journal.js';

/** The journal's applied mark, moved in the commit that stores its records (migration 21 says why there). */
const MOVE_MARK = 'UPDATE sqlite_sequence SET seq = ? WHERE name = ?';

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
  private journal: UpdateJournal | undefined;
  /**
   * Journaled updates whose commit failed while their document still exists (the database busy or
   * failing): committed first in the next flush. Until then the applied mark stays below them.
   */
  private stranded: JournalRecord[] = [];
  tap: UpdateTap | undefined;

  constructor(private readonly db: Db) {}

  /**
   * SQLite: opens the journal, stores what it holds beyond the database (the server was killed between
   * a journal write and its commit), and from then on relays after the journal's write. Call before any
   * client connects and after the taps are in place, so recovered updates cross to peers like others.
   * Records of documents deleted meanwhile are dropped with their document. Throws if the database
   * refuses the others: the server must not start without them. Without the mapping helper (not built
   * here) it only stores what an earlier run left, and the relay keeps waiting for the commit.
   */
  async openJournal(file: string): Promise<{ recovered: number; dropped: number; journal: boolean }> {
    if (this.journal) throw new Error('update journal already open');
    const row = await this.db.get<{ seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?', [JOURNAL_MARK]);
    if (!row) throw new Error('update journal: its mark is missing from sqlite_sequence (migration 21)');
    const { journal, pending, lastSeq: mark } = UpdateJournal.open(file, Number(row.seq));
    try {
      let dropped = 0;
      try {
        await this.write(pending, mark);
      } catch (err) {
        const { failed, kept } = await this.writeEachDocument(pending);
        if (kept.length) throw failed.get(kept[0]!.docId) ?? err;
        dropped = pending.filter((r) => failed.has(r.docId)).length;
        await this.markApplied(mark);
      }
      journal?.reset();
      this.journal = journal;
      return { recovered: pending.length - dropped, dropped, journal: journal !== undefined };
    } catch (err) {
      journal?.close();
      throw err;
    }
  }

  /**
   * After drain: closes the journal, read as empty from then on if the database holds all of it (what
   * it does not hold stays for the next start).
   */
  closeJournal(): void {
    if (!this.journal) return;
    if (!this.stranded.length) this.journal.clear();
    this.journal.close();
    this.journal = undefined;
  }

  /**
   * Resolves once the update is committed; rejects if it could not be made durable (then nothing was
   * relayed) or, with the journal, if its commit failed after the relay (its document deleted, or the
   * database failing: then it stays in the journal for the next commit or start).
   * `committed` is called synchronously once the update is durable (committed, or with the journal
   * written to it), for every update of the batch before any of their promises' reactions run: a
   * document can then relay all of its updates of one batch together (LiveDocument.deliver).
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
    if (this.journal) return this.flushJournaled(this.journal, batch, waiters);
    try {
      await this.write(batch);
      for (const w of waiters) w.committed?.();
      for (const w of waiters) w.resolve();
    } catch {
      // One document's failure (say, deleted a moment ago) must not fail every room in the batch.
      const { failed } = await this.writeEachDocument(batch);
      batch.forEach((p, i) => {
        if (!failed.has(p.docId)) waiters[i]!.committed?.();
      });
      settle(batch, waiters, failed);
    }
  }

  private async flushJournaled(journal: UpdateJournal, batch: Pending[], waiters: Waiter[]): Promise<void> {
    let journaled: JournalRecord[];
    try {
      journaled = journal.append(batch);
    } catch (err) {
      // Not durable: nothing is relayed, as when a commit fails.
      for (const w of waiters) w.reject(err);
      return;
    }
    // Durable now. committed() queues each document's relay as a microtask; those run before the
    // transaction below begins (also a microtask, queued after them), so the relay never waits for SQLite.
    for (const w of waiters) w.committed?.();
    const records = [...this.stranded, ...journaled];
    this.stranded = [];
    let failed = new Map<string, unknown>();
    try {
      await this.write(records, journal.lastSeq);
    } catch {
      const each = await this.writeEachDocument(records);
      failed = each.failed;
      this.stranded = each.kept;
      // The mark moves only past what is stored: while anything is stranded, a restart stores again
      // what the per-document commits stored (Yjs applies an update once however often it is stored).
      if (!this.stranded.length) await this.markApplied(journal.lastSeq).catch(() => undefined);
    }
    if (!this.stranded.length) journal.applied(journal.lastSeq);
    settle(batch, waiters, failed);
  }

  /**
   * One transaction per document, after a transaction of several failed: one document's failure (say,
   * deleted a moment ago) must not fail the others. Returns the failed documents with their errors,
   * and the records of those that still exist (`kept`): those must still be stored.
   */
  private async writeEachDocument<T extends Pending>(records: readonly T[]): Promise<{ failed: Map<string, unknown>; kept: T[] }> {
    const failed = new Map<string, unknown>();
    const kept: T[] = [];
    for (const [docId, items] of groupByDocument(records)) {
      try {
        await this.write(items);
      } catch (err) {
        failed.set(docId, err);
        if (await docStore.exists(this.db, docId).catch(() => true)) kept.push(...items);
      }
    }
    return { failed, kept };
  }

  private async markApplied(seq: number): Promise<void> {
    await this.db.run(MOVE_MARK, [seq, JOURNAL_MARK]);
  }

  /**
   * Stores the items in one transaction, with the tap's part; with `appliedSeq`, also moves the
   * journal's applied mark in that transaction.
   */
  private async write(items: readonly Pending[], appliedSeq?: number): Promise<void> {
    const tap = this.tap;
    await this.db.transaction(async (tx) => {
      for (const p of items) {
        await docStore.appendUpdates(tx, p.docId, [p.data]);
        if (tap) await tap.stored(tx, p.docId, p.data, p.author);
      }
      if (appliedSeq !== undefined) await tx.run(MOVE_MARK, [appliedSeq, JOURNAL_MARK]);
    });
    tap?.committed();
  }
}

function groupByDocument<T extends { docId: string }>(items: readonly T[]): Map<string, T[]> {
  const byDoc = new Map<string, T[]>();
  for (const item of items) {
    const list = byDoc.get(item.docId);
    if (list) list.push(item);
    else byDoc.set(item.docId, [item]);
  }
  return byDoc;
}

/** Each waiter of the batch: rejected with its document's error if that document failed, else resolved. */
function settle(batch: readonly Pending[], waiters: readonly Waiter[], failed: ReadonlyMap<string, unknown>): void {
  batch.forEach((p, i) => {
    if (failed.has(p.docId)) waiters[i]!.reject(failed.get(p.docId));
    else waiters[i]!.resolve();
  });
}
