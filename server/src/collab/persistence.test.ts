/** The update log, load and compaction on a real SQLite database in a temp directory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStorage } from '../storage/open.js';
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';
import { UpdateLog } from './UpdateLog.js';
import { compactDoc, loadDoc } from './persistence.js';

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
