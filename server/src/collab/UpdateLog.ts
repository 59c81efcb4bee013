/**
 * The write-ahead side of the document server: every accepted Yjs update is made durable before anyone
 * else receives it, and stored in `doc_updates`. Appends made in one tick, across all documents, are
 * written in one transaction (setImmediate), so a burst of 20 rooms' edits costs one commit, not
 * hundreds. Only one flush runs at a time, which keeps commit order equal to append order on any database.
 *
 * On SQLite the tick's updates first go to the update journal (updateJournal.ts) in one write; that
 * makes them durable, and they are relayed right after it. Their SQLite commit is held back and made
 * for many ticks at once (every HOLD_MS, or sooner when much is held): the per-tick commit was the
 * largest cost per delivery the peers lack (docs/performance.md, "Held commits"). The database commits
 * what is held before any other statement or transaction runs (SqliteDb.holdWrites), so no reader
 * (a load, an export, a compaction, the federation) sees it without updates already relayed. On
 * PostgreSQL (no journal) the relay waits for the commit, one per tick.
 *
 * A `tap` (federation/documents) sees every update stored here, in the transaction that stores it, so
 * an update and its crossing to a peer instance are committed together or not at all.
 */
import type { Db } from '../storage/db.js';
import { SqliteDb } from '../storage/sqlite.js';
import type { Logger } from '../log.js';
import { docStore } from './store.js';
import { UpdateJournal, type JournalRecord } from './updateJournal.js';
import { JOURNAL_MARK } from '../storage/migrations/021_update_journal.js';

/** The journal's applied mark, moved in the commit that stores its records (migration 21 says why there). */
const MOVE_MARK = 'UPDATE sqlite_sequence SET seq = ? WHERE name = ?';

/**
 * How long journaled updates may wait for their SQLite commit when nothing else touches the database.
 * Longer saves little more (a commit per 100 ms is already a small share) and holds more in memory.
 */
export const HOLD_MS = 100;
/** Held bytes that are committed at once rather than at HOLD_MS: memory, and one commit's length. */
const HOLD_MAX_BYTES = 1024 * 1024;

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
  /** Journaled (durable, relayed) updates whose SQLite commit is held back; see the file's top. */
  private held: JournalRecord[] = [];
  private heldBytes = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  tap: UpdateTap | undefined;

  constructor(
    private readonly db: Db,
    private readonly log?: Logger,
  ) {}

  /**
   * SQLite: opens the journal, stores what it holds beyond the database (the server was killed between
   * a journal write and its commit), and from then on relays after the journal's write. Call before any
   * client connects and after the taps are in place, so recovered updates cross to peers like others.
   * Records of documents deleted meanwhile are dropped with their document. Throws if the database
   * refuses the others: the server must not start without them. Without the mapping helper (not built
   * here) it only stores what an earlier run left, and the relay keeps waiting for the commit.
   * `capacity`: the journal's mapped bytes (tests; the default otherwise).
   */
  async openJournal(file: string, capacity?: number): Promise<{ recovered: number; dropped: number; journal: boolean }> {
    if (this.journal) throw new Error('update journal already open');
    const row = await this.db.get<{ seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?', [JOURNAL_MARK]);
    if (!row) throw new Error('update journal: its mark is missing from sqlite_sequence (migration 21)');
    const { journal, pending, lastSeq: mark } = UpdateJournal.open(file, Number(row.seq), capacity);
    try {
      let dropped = 0;
      try {
        await this.write(this.db, pending, mark);
      } catch (err) {
        const { failed, kept } = await this.writeEachDocument(this.db, pending);
        if (kept.length) throw failed.get(kept[0]!.docId) ?? err;
        dropped = pending.filter((r) => failed.has(r.docId)).length;
        await this.markApplied(this.db, mark);
      }
      journal?.reset();
      this.journal = journal;
      if (journal && this.db instanceof SqliteDb) this.db.holdWrites(this);
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
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    if (!this.journal) return;
    if (!this.stranded.length) this.journal.clear();
    this.journal.close();
    this.journal = undefined;
  }

  /**
   * Resolves once the update is durable: committed, or with the journal written to it (its commit is
   * then held: see the file's top). Rejects if it could not be made durable; then nothing was relayed.
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

  /** Resolves when everything appended so far is committed (or failed), held commits included. */
  async drain(): Promise<void> {
    while (this.scheduled || this.queue.length) await new Promise((r) => setImmediate(r)).then(() => this.running);
    await this.running;
    if (this.holding && this.db instanceof SqliteDb) await this.db.commitHeld();
  }

  /** Whether journaled updates wait for their commit (SqliteDb.holdWrites). */
  get holding(): boolean {
    return this.held.length > 0;
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
      await this.write(this.db, batch);
      for (const w of waiters) w.committed?.();
      for (const w of waiters) w.resolve();
    } catch {
      // One document's failure (say, deleted a moment ago) must not fail every room in the batch.
      const { failed } = await this.writeEachDocument(this.db, batch);
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
    // Durable now: each document relays (a microtask queued by committed()), and the commit is held.
    for (const w of waiters) w.committed?.();
    for (const w of waiters) w.resolve();
    for (const r of journaled) {
      this.held.push(r);
      this.heldBytes += r.data.byteLength;
    }
    this.holdCommit(journal);
  }

  /** Commits at once when much is held or the journal's lap is filling, else within HOLD_MS. */
  private holdCommit(journal: UpdateJournal): void {
    if (!(this.db instanceof SqliteDb)) return;
    const db = this.db;
    if (this.heldBytes >= HOLD_MAX_BYTES || journal.lapFilling) {
      void db.commitHeld();
      return;
    }
    this.holdTimer ??= setTimeout(() => {
      this.holdTimer = undefined;
      void db.commitHeld();
    }, HOLD_MS).unref();
  }

  /**
   * SqliteDb calls this before anything else touches the database while updates are held, and with
   * the queue held for it. It stores what was stranded and what is held; a document deleted meanwhile
   * drops its updates, and what the database refuses for a document that still exists is stranded
   * (kept in the journal, below the mark) for the next commit or start.
   */
  async commit(db: Db): Promise<void> {
    const records = [...this.stranded, ...this.held];
    this.stranded = [];
    this.held = [];
    this.heldBytes = 0;
    if (!records.length) return;
    const upto = records[records.length - 1]!.seq;
    try {
      await this.write(db, records, upto);
    } catch {
      const each = await this.writeEachDocument(db, records);
      this.stranded = each.kept;
      for (const [docId, err] of each.failed) {
        const kept = each.kept.some((r) => r.docId === docId);
        // Dropped with a deleted document is expected (a race with its deletion); kept is not.
        if (kept) this.log?.error({ err, docId }, 'could not store journaled updates of a document; kept in the journal and tried again');
      }
      // The mark moves only past what is stored: while anything is stranded, a restart stores again
      // what the per-document commits stored (Yjs applies an update once however often it is stored).
      if (!this.stranded.length) await this.markApplied(db, upto).catch(() => undefined);
    }
    if (!this.stranded.length) this.journal?.applied(upto);
  }

  /**
   * One transaction per document, after a transaction of several failed: one document's failure (say,
   * deleted a moment ago) must not fail the others. Returns the failed documents with their errors,
   * and the records of those that still exist (`kept`): those must still be stored.
   */
  private async writeEachDocument<T extends Pending>(db: Db, records: readonly T[]): Promise<{ failed: Map<string, unknown>; kept: T[] }> {
    const failed = new Map<string, unknown>();
    const kept: T[] = [];
    for (const [docId, items] of groupByDocument(records)) {
      try {
        await this.write(db, items);
      } catch (err) {
        failed.set(docId, err);
        if (await docStore.exists(db, docId).catch(() => true)) kept.push(...items);
      }
    }
    return { failed, kept };
  }

  private async markApplied(db: Db, seq: number): Promise<void> {
    await db.run(MOVE_MARK, [seq, JOURNAL_MARK]);
  }

  /**
   * Stores the items in one transaction, with the tap's part; with `appliedSeq`, also moves the
   * journal's applied mark in that transaction.
   */
  private async write(db: Db, items: readonly Pending[], appliedSeq?: number): Promise<void> {
    const tap = this.tap;
    await db.transaction(async (tx) => {
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
