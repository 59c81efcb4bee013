/**
 * Large documents across a link (docs/federation.md section 5), on two real instances: a state over a
 * link frame (1 MB) crosses in pieces where it used to be one message that was never sent.
 * - A 1.5 MB note marked US only, re-marked US+LV: lv-cert gets its whole state (the widening's state,
 *   documents/outgoing.ts), in pieces no larger than the receiver's trial threshold.
 * - A note that grew at the home by over 1 MB with no message for the link (as after an outbox past its
 *   retention): the replica's doc.sync on link up gets the home's answer in pieces (documents/sync.ts).
 * - A 1.5 MB note whose replica holds text the home refused: the repair (documents/refused.ts) replaces
 *   it with the home's whole state, which comes in pieces.
 * - lv-cert as a hostile peer asking for a large note it may not see gets a refusal and no piece; a
 *   large answer is refused while over 4,000 messages to lv-cert are unacknowledged.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cli } from '../helpers/federation.js';
import { docsPair } from '../helpers/federationDocs.js';
import { count, storedText } from '../helpers/federationData.js';
import { largeNoteState } from '../helpers/largeNote.js';
import { eventually } from '../helpers/yjs.js';

/** Over the link's 1 MB frame as one update. */
const LARGE_BYTES = 1_500_000;
/** The receiver's trial threshold (collab options' default): no piece of a state is larger. */
const PIECE_BYTES = 32 * 1024;

describe('large documents across a link', () => {
  const pair = docsPair();

  /** The rows lv-cert stored for `docId` (after row `afterId`): how many, and the largest. */
  const rowsOn = async (docId: string, afterId = 0) => {
    const r = await pair.lvNode.ctx.db.get<{ n: number; max: number }>('SELECT COUNT(*) AS n, MAX(LENGTH(data)) AS max FROM doc_updates WHERE doc_id = ? AND id > ?', [
      docId,
      afterId,
    ]);
    return { n: Number(r?.n ?? 0), max: Number(r?.max ?? 0) };
  };

  it('a 1.5 MB note widened into the link’s sight arrives whole on lv-cert, in pieces', async () => {
    const { us, alice, ws, createNote, lvNotes } = pair;
    const id = await createNote('Large, US only at first', ['US']);
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(largeNoteState(LARGE_BYTES, 7))]);
    const widened = await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(widened.status, JSON.stringify(widened.body)).toBe(200);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 60_000);
    const expected = await storedText(us, id);
    expect(expected.length).toBeGreaterThan(LARGE_BYTES);
    await eventually(async () => expect((await rowsOn(id)).n).toBeGreaterThan(10), 120_000);
    await eventually(async () => expect(await storedText(pair.lvNode, id)).toBe(expected), 120_000, 2_000);
    const rows = await rowsOn(id);
    console.log(`widened 1.5 MB note on lv-cert: ${rows.n} pieces, the largest ${rows.max} bytes`);
    expect(rows.max).toBeLessThanOrEqual(PIECE_BYTES);
  }, 300_000);

  it('a note that grew at the home by over 1 MB while the link was suspended converges on link up (doc.sync in pieces)', async () => {
    const { us, createNote, lvNotes } = pair;
    const id = await createNote('Grows while suspended', ['US', 'LV']);
    const first = largeNoteState(20_000, 11);
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(first)]);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 60_000);

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    // What the note already held when it crossed, stored on lv-cert as the home's would be.
    await pair.lvNode.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(first)]);
    // Over 1 MB stored at the home with no message for the link (as after an outbox past its retention).
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(largeNoteState(LARGE_BYTES, 12, first))]);
    const expected = await storedText(us, id);
    expect(expected.length).toBeGreaterThan(LARGE_BYTES);

    // The rows lv-cert stores from now on are the home's answer.
    const before = Number((await pair.lvNode.ctx.db.get<{ id: number }>('SELECT MAX(id) AS id FROM doc_updates'))?.id ?? 0);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => expect(pair.lvNode.ctx.federation!.isUp('us-cert')).toBe(true), 20_000);
    await eventually(async () => expect((await rowsOn(id, before)).n).toBeGreaterThan(10), 120_000);
    await eventually(async () => expect(await storedText(pair.lvNode, id)).toBe(expected), 120_000, 2_000);
    const rows = await rowsOn(id, before);
    console.log(`grown note caught up on lv-cert: ${rows.n} pieces, the largest ${rows.max} bytes`);
    expect(rows.max).toBeLessThanOrEqual(PIECE_BYTES);
  }, 300_000);

  it('a large replica holding text its home refused is replaced with the home state, in pieces', async () => {
    const { us, createNote, lvNotes } = pair;
    const id = await createNote('Large, repaired', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 60_000);
    // The home holds 1.5 MB lv-cert never got (stored with no message); lv-cert holds a refused edit.
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(largeNoteState(LARGE_BYTES, 31))]);
    const expected = await storedText(us, id);
    const refused = new Y.Doc();
    refused.getText('t').insert(0, 'refused words');
    await pair.lvNode.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(Y.encodeStateAsUpdate(refused))]);
    refused.destroy();
    expect(await storedText(pair.lvNode, id)).toBe('refused words');
    const before = Number((await pair.lvNode.ctx.db.get<{ id: number }>('SELECT MAX(id) AS id FROM doc_updates'))?.id ?? 0);

    // The home tells the replica (as refused.ts does after refusing an update of it).
    const bus = us.ctx.federation!;
    await us.ctx.db.transaction((tx) => bus.enqueue(tx, 'lv-cert', 'doc.refused', { docId: id, reason: 'a test refusal' }));
    bus.flush('lv-cert');
    await eventually(
      async () => expect(await count(pair.lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", [`%doc.refused%${id}%`])).toBe(1),
      30_000,
    );
    await eventually(async () => expect((await rowsOn(id, before)).n).toBeGreaterThan(10), 120_000);
    await eventually(async () => expect(await storedText(pair.lvNode, id)).toBe(expected), 120_000, 2_000);
    const rows = await rowsOn(id);
    console.log(`repaired 1.5 MB replica on lv-cert: ${rows.n} rows, the largest ${rows.max} bytes`);
    expect(rows.max).toBeLessThanOrEqual(PIECE_BYTES);
  }, 300_000);

  it('a peer asking doc.sync for a large note it may not see is refused, and no piece is written for it', async () => {
    const { us, createNote } = pair;
    const id = await createNote('Large, US only', ['US']);
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(largeNoteState(LARGE_BYTES, 41))]);
    const empty = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
    // lv-cert's own bus stands in for a hostile lv-cert that guessed the id.
    const asked = pair.lvNode.ctx.federation!.request('us-cert', 'doc.sync', { docId: id, stateVector: empty });
    await expect(asked).rejects.toThrow(`no document ${id} shared with lv-cert`);
    expect(await count(us, "SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'lv-cert' AND body LIKE ?", [`%${id}%`])).toBe(0);
    expect(await count(pair.lvNode, 'SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?', [id])).toBe(0);
  }, 120_000);

  it('a large doc.sync answer is refused while the link has over 4,000 messages unacknowledged, and given once they are', async () => {
    const { us, createNote, lvNotes } = pair;
    const id = await createNote('Large, asked while the outbox is full', ['US', 'LV']);
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Buffer.from(largeNoteState(LARGE_BYTES, 51))]);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 60_000);
    const empty = Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64');
    const bus = us.ctx.federation!;
    const ask = () => pair.lvNode.ctx.federation!.request('us-cert', 'doc.sync', { docId: id, stateVector: empty }, 60_000);

    // lv-cert applies nothing while the test holds its database, so us-cert's outbox stays full.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = pair.lvNode.ctx.db.transaction(() => gate);
    try {
      // Revokes of documents lv-cert does not hold: applied as nothing once it may apply again.
      await us.ctx.db.transaction(async (tx) => {
        for (let i = 0; i < 4_001; i++) await bus.enqueue(tx, 'lv-cert', 'doc.revoke', { docId: randomUUID() });
      });
      bus.flush('lv-cert');
      await expect(ask()).rejects.toThrow('has not acknowledged');
      expect(await count(us, "SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'lv-cert' AND body LIKE ?", [`%${id}%`])).toBe(0);
    } finally {
      release();
      await held;
    }
    await eventually(async () => expect(await count(us, "SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'lv-cert'", [])).toBe(0), 120_000);
    await expect(ask()).resolves.toMatchObject({ update: null });
    const expected = await storedText(us, id);
    await eventually(async () => expect(await storedText(pair.lvNode, id)).toBe(expected), 120_000, 2_000);
  }, 300_000);
});
