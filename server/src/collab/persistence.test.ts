/** The update log, load and compaction on a real SQLite database in a temp directory. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStorage } from '../storage/open.js';
import { sqliteFile } from '../storage/files.js';
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';
import Database from 'better-sqlite3';
import type { SqliteDb } from '../storage/sqlite.js';
import type { Logger } from '../log.js';
import { HOLD_MS, UpdateLog } from './UpdateLog.js';
import { UpdateJournal, decodeJournal } from './updateJournal.js';
import { OFF_THREAD_ABOVE_BYTES, compactDoc, loadDoc, missingPart, storedCatchUp, storedState, type OffThread } from './persistence.js';
import { catchUpTask, compactTask, loadTask, missingTask, type CatchUpInput, type LoadInput } from './loadWorker.js';
import { PoolBusyError, type WorkerPool } from '../workers/pool.js';

let dir: string;
let db: Db;

async function makeDoc(id: string): Promise<void> {
  await docStore.insert(db, { id, workspaceId: 'w1', kind: 'note', title: id, marking: { tlp: 'AMBER', releasableTo: [] }, ownerTeamId: 't1', createdBy: 'a1' });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huntroom-collab-unit-'));
  db = await openStorage({ dataDir: dir });
  await db.run("INSERT INTO teams (id, code, name, color, created_at) VALUES ('t1', 'US', 'US', '#000', 'now')");
  await db.run("INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at) VALUES ('a1', 'a', 'A', 'x', 't1', 'now')");
  await db.run("INSERT INTO workspaces (id, name, description, default_tlp, created_by, created_at) VALUES ('w1', 'W', '', 'AMBER', 'a1', 'now')");
  await makeDoc('d1');
  await makeDoc('d2');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The incremental updates of typing `words` one by one. */
function typing(words: string[]): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const w of words) doc.getText('t').insert(doc.getText('t').length, w);
  return { updates, text: doc.getText('t').toString() };
}

describe('UpdateLog', () => {
  it('commits one tick of appends, across documents, and a reload sees all of them', async () => {
    const log = new UpdateLog(db);
    const a = typing(['alpha ', 'beta ', 'gamma']);
    const b = typing(['one ', 'two']);
    await Promise.all([...a.updates.map((u) => log.append('d1', u)), ...b.updates.map((u) => log.append('d2', u))]);
    expect(await docStore.updateCount(db, 'd1')).toBe(3);
    const loaded = await loadDoc(db, 'd1');
    expect(loaded.doc.getText('t').toString()).toBe(a.text);
    expect(loaded.logRows).toBe(3);
    expect((await loadDoc(db, 'd2')).doc.getText('t').toString()).toBe(b.text);
  });

  it("fails only the broken document's appends when one batch mixes documents", async () => {
    const log = new UpdateLog(db);
    const good = typing(['kept']);
    const results = await Promise.allSettled([log.append('d1', good.updates[0]!), log.append('deleted-doc', good.updates[0]!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((await loadDoc(db, 'd1')).doc.getText('t').toString()).toBe('kept');
  });
});

describe('UpdateLog with the journal', () => {
  const journalFile = () => join(dir, 'huntroom.updates');
  const appliedSeq = async () => Number((await db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'huntroom:update_journal'"))!.seq);

  it('stores at open what the journal holds beyond the database, once, and drops deleted documents', async () => {
    // A server killed after its journal write and before the commit: the records are only in the file.
    const a = typing(['journaled ', 'before ', 'kill']);
    const crashed = UpdateJournal.open(journalFile(), 0).journal!;
    crashed.append([...a.updates.map((data) => ({ docId: 'd1', data, author: 'a1' })), { docId: 'gone', data: a.updates[0]!, author: undefined }]);
    crashed.close();

    const log = new UpdateLog(db);
    expect(await log.openJournal(journalFile())).toEqual({ recovered: 3, dropped: 1, journal: true });
    expect((await loadDoc(db, 'd1')).doc.getText('t').toString()).toBe(a.text);
    expect(await appliedSeq()).toBe(4);
    log.closeJournal();

    // Opened again (another restart): nothing is stored twice.
    const again = new UpdateLog(db);
    expect(await again.openJournal(journalFile())).toEqual({ recovered: 0, dropped: 0, journal: true });
    expect(await docStore.updateCount(db, 'd1')).toBe(3);
    again.closeJournal();
  });

  it('journals, commits and moves the mark; a restart without a clean close stores nothing again', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile());
    const a = typing(['one ', 'two ', 'three']);
    await Promise.all(a.updates.map((u) => log.append('d1', u, 'a1')));
    expect(await docStore.updateCount(db, 'd1')).toBe(3);
    expect(await appliedSeq()).toBe(3);
    // Killed now: the journal still holds the three records, all at or below the mark.
    expect(decodeJournal(readFileSync(journalFile())).records.map((r) => r.seq)).toEqual([1, 2, 3]);

    const restarted = new UpdateLog(db);
    expect(await restarted.openJournal(journalFile())).toEqual({ recovered: 0, dropped: 0, journal: true });
    expect(await docStore.updateCount(db, 'd1')).toBe(3);
    await restarted.append('d1', typing(['four']).updates[0]!);
    expect(await appliedSeq()).toBe(4);
    restarted.closeJournal();
  });

  /** Rows of a document in SQLite now, read without the barrier that commits held updates first. */
  const rowsNow = (docId: string) => (db as SqliteDb).getSync<{ n: number }>('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?', [docId])!.n;

  it('holds the commit after the journal, and any later read or transaction finds the updates stored', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile());
    const a = typing(['one ', 'two ', 'three']);
    await Promise.all(a.updates.map((u) => log.append('d1', u, 'a1')));
    // Durable (the journal) and resolved, not yet in SQLite ...
    expect(decodeJournal(readFileSync(journalFile())).records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rowsNow('d1')).toBe(0);
    // ... until anything asks the database: a load right after the edit sees every update.
    expect((await loadDoc(db, 'd1')).doc.getText('t').toString()).toBe(a.text);
    expect(await appliedSeq()).toBe(3);
    // And a transaction, which may delete or fold rows, begins only after they are stored.
    await log.append('d1', typing(['four']).updates[0]!);
    expect(rowsNow('d1')).toBe(3);
    expect(await db.transaction((tx) => docStore.updateCount(tx, 'd1'))).toBe(4);
    log.closeJournal();
  });

  it('commits what it holds within HOLD_MS when nothing else touches the database', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile());
    await log.append('d1', typing(['later']).updates[0]!);
    expect(rowsNow('d1')).toBe(0);
    await vi.waitFor(() => expect(rowsNow('d1')).toBe(1), { timeout: 20 * HOLD_MS });
    log.closeJournal();
  });

  it('commits at once when the journal lap is filling, and the next record starts a new lap', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile(), 8192);
    const big = (): Uint8Array => {
      const d = new Y.Doc();
      d.getText('t').insert(0, 'x'.repeat(2500));
      return Y.encodeStateAsUpdate(d);
    };
    await log.append('d1', big());
    await log.append('d1', big());
    expect(rowsNow('d1')).toBe(0); // under 3/4 of the 8 KiB: held
    await log.append('d1', big());
    // Past 3/4: the commit is asked for at once, not in HOLD_MS (well before it, whatever the machine).
    await vi.waitFor(() => expect(rowsNow('d1')).toBe(3), { timeout: HOLD_MS / 2, interval: 1 });
    await log.append('d2', big());
    // A new lap: the file's first record is now the fourth.
    expect(decodeJournal(readFileSync(journalFile())).records.map((r) => r.seq)).toEqual([4]);
    log.closeJournal();
  });

  it('drops the updates of a document deleted before their held commit, and strands nothing', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile());
    const kept = typing(['kept']);
    await log.append('d1', kept.updates[0]!);
    await log.append('d2', typing(['gone']).updates[0]!);
    // Deleted by another connection (the held commit cannot run before it): the commit then fails
    // for d2 only; d1 is stored, d2's update goes with its document.
    const other = new Database(sqliteFile(dir));
    other.pragma('foreign_keys = ON');
    other.prepare("DELETE FROM documents WHERE id = 'd2'").run();
    other.close();
    expect((await loadDoc(db, 'd1')).doc.getText('t').toString()).toBe('kept');
    expect(await docStore.updateCount(db, 'd2')).toBe(0);
    // Both records are behind the mark: a restart does not try them again.
    expect(await appliedSeq()).toBe(2);
    // Deleted through this connection: the held update is stored first, then goes with the cascade.
    await log.append('d1', typing(['more']).updates[0]!);
    await db.run("DELETE FROM documents WHERE id = 'd1'");
    expect(await appliedSeq()).toBe(3);
    expect(await docStore.updateCount(db, 'd1')).toBe(0);
    log.closeJournal();
  });

  it('keeps in the journal what the database refuses for a live document, and stores it with the next commit', async () => {
    const errors: unknown[] = [];
    const log = new UpdateLog(db, { error: (o: unknown) => errors.push(o) } as unknown as Logger);
    await log.openJournal(journalFile());
    await db.run("CREATE TRIGGER refuse BEFORE INSERT ON doc_updates WHEN NEW.doc_id = 'd1' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    const a = typing(['refused ', 'then stored']);
    await log.append('d1', a.updates[0]!);
    await log.append('d2', typing(['fine']).updates[0]!);
    expect(await docStore.updateCount(db, 'd2')).toBe(1);
    expect(await docStore.updateCount(db, 'd1')).toBe(0);
    expect(errors).toHaveLength(1);
    // The mark stays below the refused record, so a start now would store it.
    expect(await appliedSeq()).toBe(0);
    await db.run('DROP TRIGGER refuse');
    await log.append('d1', a.updates[1]!);
    expect((await loadDoc(db, 'd1')).doc.getText('t').toString()).toBe(a.text);
    expect(await appliedSeq()).toBe(3);
    log.closeJournal();
  });

  it('rejects appends and relays and commits nothing when the journal cannot take them', async () => {
    const log = new UpdateLog(db);
    await log.openJournal(journalFile());
    let relayed = false;
    // An author id too long for the record's u16 length: the journal refuses the batch.
    await expect(log.append('d1', typing(['lost']).updates[0]!, 'x'.repeat(70_000), () => (relayed = true))).rejects.toThrow(/65,534/);
    expect(relayed).toBe(false);
    expect(await docStore.updateCount(db, 'd1')).toBe(0);
    log.closeJournal();
  });
});

describe('compaction', () => {
  it('folds the log into one snapshot with the same content, and later updates stack on it', async () => {
    const log = new UpdateLog(db);
    const doc = new Y.Doc();
    const pending: Promise<void>[] = [];
    doc.on('update', (u: Uint8Array) => pending.push(log.append('d1', u)));
    for (let i = 0; i < 200; i++) doc.getText('t').insert(0, `${i % 10}`);
    doc.getText('t').delete(0, 50);
    await Promise.all(pending);
    expect(await docStore.updateCount(db, 'd1')).toBe(201);
    const size = await compactDoc(db, 'd1');
    expect(size).toBeGreaterThan(0);
    expect(await docStore.updateCount(db, 'd1')).toBe(0);
    doc.getText('t').insert(0, 'after ');
    await Promise.all(pending);
    const loaded = await loadDoc(db, 'd1');
    expect(loaded.doc.getText('t').toString()).toBe(doc.getText('t').toString());
    expect(loaded.logRows).toBe(1);
    expect(await compactDoc(db, 'd1')).toBeGreaterThan(0);
    expect(await compactDoc(db, 'd1')).toBeUndefined(); // nothing left to fold
  });
});

/** A pool that runs the load and compact tasks in this thread (recording what it ran), or refuses as a full one. */
function inThread(mode: 'run' | 'busy' = 'run'): OffThread & { ran: string[] } {
  const ran: string[] = [];
  const workers = {
    run: (name: string, input: LoadInput) => {
      if (mode === 'busy') return Promise.reject(new PoolBusyError());
      ran.push(name);
      // As structured clone would: the task's exceptions become rejections.
      const task = { loadTask, compactTask, catchUpTask: (i: LoadInput) => catchUpTask(i as CatchUpInput), missingTask: (i: LoadInput) => missingTask(i as CatchUpInput) }[
        name as 'loadTask'
      ];
      return new Promise((resolve) => resolve(task(input)));
    },
  } as unknown as WorkerPool;
  return { workers, ran };
}

/** A note of one client's scattered single-character edits, stored as a snapshot then `rows` log rows. */
async function storeLargeNote(id: string, edits: number, rows: number): Promise<Y.Doc> {
  let seed = 5;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const doc = new Y.Doc();
  const t = doc.getText('t');
  let sv = Y.encodeStateVector(doc);
  const cut = () => {
    const u = Y.encodeStateAsUpdate(doc, sv);
    sv = Y.encodeStateVector(doc);
    return u;
  };
  for (let i = 0; i < edits; i++) t.insert(Math.floor(rand() * (t.length + 1)), 'abcdefgh'[i % 8]!);
  t.delete(10, 100);
  await docStore.replaceSnapshot(db, id, 0, 0, cut());
  for (let r = 0; r < rows; r++) {
    t.insert(Math.floor(rand() * t.length), `row ${r} `);
    await docStore.appendUpdates(db, id, [cut()]);
  }
  return doc;
}

describe('large documents off the main thread', () => {
  it('loads one from the worker: same content, built in several turns, the merged stored state kept for sync answers', async () => {
    const source = await storeLargeNote('d1', 12_000, 3);
    const off = inThread();
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    const loaded = await loadDoc(db, 'd1', off);
    clearInterval(counter);
    expect(off.ran).toEqual(['loadTask']);
    expect(loaded.storedBytes).toBeGreaterThan(OFF_THREAD_ABOVE_BYTES);
    expect(loaded.logRows).toBe(3);
    expect(loaded.doc.getText('t').toString()).toBe(source.getText('t').toString());
    expect(loaded.doc.store.pendingStructs).toBeNull();
    // The kept state is all of it: a client with nothing that receives it has the whole note.
    const fromState = new Y.Doc();
    Y.applyUpdate(fromState, loaded.state!);
    expect(fromState.getText('t').toString()).toBe(source.getText('t').toString());
    // The event loop ran between slices (a load in one call would let no timer run).
    expect(turns).toBeGreaterThan(1);
  });

  it('keeps small documents on the main thread, and falls back to it when the pool is full', async () => {
    const small = typing(['a few ', 'words']);
    for (const u of small.updates) await docStore.appendUpdates(db, 'd2', [u]);
    const off = inThread();
    expect((await loadDoc(db, 'd2', off)).doc.getText('t').toString()).toBe(small.text);
    expect(off.ran).toEqual([]);
    const source = await storeLargeNote('d1', 12_000, 1);
    const busy = await loadDoc(db, 'd1', inThread('busy'));
    expect(busy.doc.getText('t').toString()).toBe(source.getText('t').toString());
    expect(busy.state).toBeUndefined();
  });

  it('refuses a damaged large document as the main thread does, instead of a half-built one', async () => {
    const source = await storeLargeNote('d1', 12_000, 0);
    const whole = Y.encodeStateAsUpdate(source);
    await docStore.appendUpdates(db, 'd1', [whole.slice(0, whole.byteLength >> 1)]);
    await expect(loadDoc(db, 'd1', inThread())).rejects.toThrow();
    await expect(loadDoc(db, 'd1')).rejects.toThrow();
  });

  it('compacts one and folds its stored state in the worker, with the same content', async () => {
    const source = await storeLargeNote('d1', 12_000, 4);
    const off = inThread();
    const folded = new Y.Doc();
    Y.applyUpdate(folded, await storedState(db, 'd1', off));
    expect(folded.getText('t').toString()).toBe(source.getText('t').toString());
    expect(await compactDoc(db, 'd1', off)).toBeGreaterThan(OFF_THREAD_ABOVE_BYTES);
    expect(off.ran).toEqual(['compactTask', 'compactTask']);
    expect(await docStore.updateCount(db, 'd1')).toBe(0);
    expect((await loadDoc(db, 'd1', off)).doc.getText('t').toString()).toBe(source.getText('t').toString());
    // A full pool leaves the log as it is rather than folding a large document on the main thread.
    await docStore.appendUpdates(db, 'd1', [Y.encodeStateAsUpdate(source)]);
    expect(await compactDoc(db, 'd1', inThread('busy'))).toBeUndefined();
    expect(await docStore.updateCount(db, 'd1')).toBe(1);
  });

  it('catches an open document up with only what it lacks, computed in the worker, and the whole state for other nodes', async () => {
    const source = await storeLargeNote('d1', 12_000, 3);
    const whole = Y.encodeStateAsUpdate(source);
    // An open copy that missed the last stored row (written by another node while Redis was down).
    const open = (await loadDoc(db, 'd1')).doc;
    const lastRow = source.getText('t').toString();
    source.getText('t').insert(0, 'while cut off ');
    await docStore.appendUpdates(db, 'd1', [Y.encodeStateAsUpdate(source, Y.encodeStateVector(open))]);
    const off = inThread();
    const { state, missing } = await storedCatchUp(db, 'd1', Y.encodeStateVector(open), off);
    expect(off.ran).toEqual(['catchUpTask']);
    expect(open.getText('t').toString()).toBe(lastRow);
    Y.applyUpdate(open, missing);
    expect(open.getText('t').toString()).toBe(source.getText('t').toString());
    // Only the new row's struct and the stored delete set, not the whole note, reach the main thread.
    expect(missing.byteLength).toBeLessThan(whole.byteLength / 20);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, state);
    expect(fresh.getText('t').toString()).toBe(source.getText('t').toString());
    // A small document, or a full pool, is done on the main thread with the same answer.
    const busy = await storedCatchUp(db, 'd1', Y.encodeStateVector(open), inThread('busy'));
    expect(busy.missing.byteLength).toBeLessThan(whole.byteLength / 20);
  });

  it("cuts another node's large update down to what the open document lacks, in the worker", async () => {
    const source = await storeLargeNote('d1', 12_000, 2);
    const open = (await loadDoc(db, 'd1')).doc;
    source.getText('t').insert(0, 'from the other node ');
    // What the other node publishes after its outage: the whole state.
    const whole = Y.encodeStateAsUpdate(source);
    expect(whole.byteLength).toBeGreaterThan(OFF_THREAD_ABOVE_BYTES);
    const off = inThread();
    const missing = await missingPart(whole, Y.encodeStateVector(open), off);
    expect(off.ran).toEqual(['missingTask']);
    expect(missing.byteLength).toBeLessThan(whole.byteLength / 20);
    Y.applyUpdate(open, missing);
    expect(open.getText('t').toString()).toBe(source.getText('t').toString());
    // Small updates, and a full pool, keep the update as it came.
    const small = Y.encodeStateAsUpdate(source, Y.encodeStateVector(open));
    expect(await missingPart(small, Y.encodeStateVector(open), inThread())).toBe(small);
    expect(await missingPart(whole, Y.encodeStateVector(open), inThread('busy'))).toBe(whole);
  });
});
