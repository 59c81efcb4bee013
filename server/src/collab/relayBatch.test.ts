/**
 * LiveDocument's relay on a real SQLite database: nothing leaves before the commit (or, with the update
 * journal, before the journal's write), and the updates committed together reach each peer in one
 * write, in order, without the peer's own updates.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStorage } from '../storage/open.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { createLogger } from '../log.js';
import { docStore } from './store.js';
import { UpdateLog } from './UpdateLog.js';
import { decodeJournal } from './updateJournal.js';
import { loadDoc } from './persistence.js';
import { collabOptions } from './options.js';
import { LiveDocument, type DocPeer } from './LiveDocument.js';
import { binaryFrame } from './wsFrame.js';
import { updateMessage } from './messages.js';

let dir: string;
let db: SqliteDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huntroom-relay-unit-'));
  db = (await openStorage({ dataDir: dir })) as SqliteDb;
  await db.run("INSERT INTO teams (id, code, name, color, created_at) VALUES ('t1', 'US', 'US', '#000', 'now')");
  await db.run("INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at) VALUES ('a1', 'a', 'A', 'x', 't1', 'now')");
  await db.run("INSERT INTO workspaces (id, name, description, default_tlp, created_by, created_at) VALUES ('w1', 'W', '', 'AMBER', 'a1', 'now')");
  await docStore.insert(db, { id: 'd1', workspaceId: 'w1', kind: 'note', title: 'd1', marking: { tlp: 'AMBER', releasableTo: [] }, ownerTeamId: 't1', createdBy: 'a1' });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rows in the update log as the database has them committed now (read on the same connection). */
const storedRows = (): number => db.getSync<{ n: number }>("SELECT count(*) AS n FROM doc_updates WHERE doc_id = 'd1'")!.n;

/** A peer that keeps every write it gets, and how many updates were stored when it got each. */
function peer(): DocPeer & { writes: Buffer[]; storedAtWrite: number[] } {
  const writes: Buffer[] = [];
  const storedAtWrite: number[] = [];
  const sendFrame = (f: Buffer): void => {
    writes.push(Buffer.from(f));
    storedAtWrite.push(storedRows());
  };
  return { writes, storedAtWrite, awarenessIds: new Set(), send: (m) => sendFrame(binaryFrame(m)), sendFrame, close: () => undefined };
}

/** Updates of three independent clients, each inserting its own text. */
function clientUpdates(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, `client ${i} `);
    return Y.encodeStateAsUpdate(doc);
  });
}

async function openDoc(updateLog: UpdateLog): Promise<LiveDocument> {
  const meta = (await docStore.meta(db, 'd1'))!;
  const host = { db, updateLog, options: collabOptions(), log: createLogger('silent'), evict: () => undefined };
  return new LiveDocument(meta, await loadDoc(db, 'd1'), host);
}

const frame = (u: Uint8Array): Buffer => binaryFrame(updateMessage(u));

describe('LiveDocument relay', () => {
  it('writes the updates of one commit to each peer at once, after the commit, without its own', async () => {
    const updateLog = new UpdateLog(db);
    const doc = await openDoc(updateLog);
    const [a, b, c] = [peer(), peer(), peer()];
    for (const p of [a, b, c]) doc.addPeer(p);
    const [u1, u2, u3] = clientUpdates(3);
    // One turn: a, b, a (the UpdateLog commits them in one transaction).
    Y.applyUpdate(doc.doc, u1!, a);
    Y.applyUpdate(doc.doc, u2!, b);
    Y.applyUpdate(doc.doc, u3!, a);
    expect(a.writes.length + b.writes.length + c.writes.length).toBe(0); // nothing before the commit
    await updateLog.drain();
    await doc.whenPersisted();
    expect(await docStore.updateCount(db, 'd1')).toBe(3);
    // c sent nothing: one write of all three frames, in order.
    expect(c.writes).toEqual([Buffer.concat([frame(u1!), frame(u2!), frame(u3!)])]);
    // a gets b's update only, b gets a's two, each in one write.
    expect(a.writes).toEqual([frame(u2!)]);
    expect(b.writes).toEqual([Buffer.concat([frame(u1!), frame(u3!)])]);
    // Every write happened with all three updates already stored (never before the commit).
    expect([...a.storedAtWrite, ...b.storedAtWrite, ...c.storedAtWrite]).toEqual([3, 3, 3]);
    doc.destroy();
  });

  it('writes updates of separate commits separately, each after its own commit', async () => {
    const updateLog = new UpdateLog(db);
    const doc = await openDoc(updateLog);
    const [a, c] = [peer(), peer()];
    doc.addPeer(a);
    doc.addPeer(c);
    const [u1, u2] = clientUpdates(2);
    Y.applyUpdate(doc.doc, u1!, a);
    await updateLog.drain();
    await doc.whenPersisted();
    expect(c.writes).toEqual([frame(u1!)]);
    Y.applyUpdate(doc.doc, u2!, a);
    expect(c.writes.length).toBe(1); // the second is not committed yet
    await updateLog.drain();
    await doc.whenPersisted();
    expect(c.writes).toEqual([frame(u1!), frame(u2!)]);
    expect(a.writes).toEqual([]);
    expect(c.storedAtWrite).toEqual([1, 2]);
    doc.destroy();
  });

  it('with the journal: relays after the journal write, before the SQLite commit, which any later statement finds made', async () => {
    const updateLog = new UpdateLog(db);
    const journalFile = join(dir, 'huntroom.updates');
    await updateLog.openJournal(journalFile);
    const doc = await openDoc(updateLog);
    const [a, c] = [peer(), peer()];
    doc.addPeer(a);
    doc.addPeer(c);
    let journaledAtWrite = -1;
    const sendFrame = c.sendFrame.bind(c);
    c.sendFrame = (f) => {
      if (journaledAtWrite < 0) journaledAtWrite = decodeJournal(readFileSync(journalFile)).records.length;
      sendFrame(f);
    };
    const [u1, u2] = clientUpdates(2);
    Y.applyUpdate(doc.doc, u1!, a);
    Y.applyUpdate(doc.doc, u2!, a);
    expect(c.writes.length).toBe(0); // nothing before the journal's write
    await doc.whenPersisted();
    expect(c.writes).toEqual([Buffer.concat([frame(u1!), frame(u2!)])]);
    // Both were in the journal and neither in SQLite yet when the peer got them; the commit is held,
    expect(journaledAtWrite).toBe(2);
    expect(c.storedAtWrite).toEqual([0]);
    expect(storedRows()).toBe(0);
    // and whatever asks the database next (another client's request) finds them stored.
    expect(await db.get<{ n: number }>("SELECT count(*) AS n FROM doc_updates WHERE doc_id = 'd1'")).toEqual({ n: 2 });
    doc.destroy();
    updateLog.closeJournal();
  });
});
