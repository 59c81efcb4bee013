/**
 * Updates stored while a note's marking widens to a linked team all cross, on PostgreSQL
 * (server/src/federation/documents/outgoing.ts `stored` and `metaChanged`). aa-us (two nodes on
 * PostgreSQL + Redis) is the home of a note marked US only, in a workspace shared with lv-cert; the
 * widening to US+LV sends lv-cert the note's stored state, and every update after it goes live. An
 * update whose tap read the old marking (so it is not sent live) and that commits after the widening
 * read the state would otherwise reach lv-cert neither way, and every later update of its writer would
 * wait behind it in lv-cert's copy (Yjs keeps an update whose predecessor is missing pending).
 *
 * Two checks: alice types without pause on the node that does not hold the link while the note is
 * widened on the node that does, several times (narrowed in between, which drops lv-cert's copy);
 * after each widening lv-cert must hold her whole text, with no link down and up. And the case made
 * certain: a transaction that stored an update and ran the real tap while the note was still US only
 * is held open while the note widens, and committed only once the widening is blocked on it (or, were
 * it not, had finished); its update must reach lv-cert. The same for an ATT&CK mark of the
 * workspace's board (federation/attack/outgoing.ts `stored` and `boardChanged`): held while the board
 * widens from US only to US+LV, it must reach lv-cert's replica of the board.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MARKS_MAP, markKey } from '@huntroom/shared';
import { connect, eventually, synced, type Client } from '../helpers/yjs.js';
import { ApiClient } from '../helpers/http.js';
import { storedDoc, storedText } from '../helpers/federationData.js';
import { makeWorkspace } from '../helpers/foundation.js';
import { NATION_PASSWORD, type Nation } from '../helpers/federation.js';
import type { Db } from '../../../server/dist/storage/db.js';
import { clusterAvailable, type Node } from './cluster.js';
import { aliceNote, clusterPair } from './federationCluster.js';

const { DocumentCrossing } = await import('../../../server/dist/federation/documents/outgoing.js');
const { writeToOutbox } = await import('../../../server/dist/federation/channel.js');
const { MarksCrossing } = await import('../../../server/dist/federation/attack/outgoing.js');

const warn = (obj: unknown, msg: string) => console.warn(msg, obj);
/** The log of the taps run by the test itself: warnings and errors shown, the rest dropped. */
const quietLog = { warn, error: warn, debug: () => undefined, info: () => undefined } as never;
/** The bus of the taps run by the test itself: messages go to the outbox, which the link's holder sends. */
const outboxBus = {
  enqueue: (tx: Db, link: string, type: string, body: unknown) => writeToOutbox(tx, link, type, body),
  flush: () => undefined,
  upLinks: () => [],
} as never;

/** An update tap of the nodes (DocumentCrossing, MarksCrossing), run by the test itself. */
interface Tap {
  stored(tx: Db, docId: string, update: Uint8Array, author: string | undefined): Promise<void>;
}

/**
 * What UpdateLog.write does, with the commit held back: stores `update` of `docId` and runs `tap` in a
 * transaction of the test's own, then starts `widen` and commits only once the widening either waits
 * for this transaction or went through without its update; resolves when both are done.
 */
async function commitAfter(db: Db, docId: string, update: Uint8Array, tap: Tap, widen: () => Promise<void>): Promise<void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  let heldPid = 0;
  let tapped = false;
  const held = db.transaction(async (tx) => {
    heldPid = Number((await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid);
    await tx.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [docId, update]);
    await tap.stored(tx, docId, update, undefined);
    tapped = true;
    await released;
  });
  await eventually(() => expect(tapped).toBe(true), 10_000);
  let widened = false;
  const widening = widen().then(() => void (widened = true));
  await eventually(async () => {
    const blocked = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))', [heldPid]);
    expect(widened || Number(blocked?.n) > 0).toBe(true);
  }, 30_000);
  release();
  await held;
  await widening;
}

const US_ONLY = { tlp: 'AMBER', releasableTo: ['US'] };
const US_LV = { tlp: 'AMBER', releasableTo: ['US', 'LV'] };
/** Widenings while alice types: each one is a chance for an update to fall between the two paths. */
const ROUNDS = 6;

describe.skipIf(!clusterAvailable)("federation: a note's marking widened to a linked team while it is edited (PostgreSQL)", () => {
  // alice makes the workspaces: a team admin may.
  const pair = clusterPair({ aliceTeamAdmin: true });
  const { open, share } = pair;
  let lv: Nation;
  beforeAll(() => void (lv = pair.lv));

  /** A workspace of alice's shared with lv-cert, with a note marked US only; once its baseline is done. */
  async function sharedNote(on: Node, name: string): Promise<{ alice: ApiClient; ws: string; id: string }> {
    const { alice, ws, id } = await aliceNote(on, name, name, US_ONLY);
    const offerId = await share(ws);
    await eventually(async () => {
      const row = await pair.db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]);
      expect(row?.state).toBe('active');
      // The documents' baseline went past the note (not sent: US only).
      expect(await pair.db.get('SELECT link FROM federation_doc_baselines WHERE workspace_id = ?', [ws])).toBeUndefined();
    }, 30_000);
    return { alice, ws, id };
  }

  const remark = async (client: ApiClient, ws: string, id: string, marking: typeof US_ONLY): Promise<void> => {
    const res = await client.patch(`/api/workspaces/${ws}/notes/${id}`, { marking });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  const heldHere = async (id: string): Promise<boolean> => !!(await lv.ctx.db.get('SELECT id FROM documents WHERE id = ?', [id]));

  it('sends lv-cert every update typed while the note widens, with no link down and up', async () => {
    const other = await pair.linkUp();
    const holder = other === pair.a ? pair.b : pair.a;
    const { alice, ws, id } = await sharedNote(other, 'Operation Widening');
    const owner = await new ApiClient(holder.url).login('alice', NATION_PASSWORD);
    const editor: Client = open(connect(other, id, alice));
    await synced(editor);
    // The catch-up on link up (doc.sync) would repair a missing update: the link must stay up throughout.
    let bounces = 0;
    lv.ctx.federation!.onLinkDown(() => void bounces++);

    let typed = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      let typing = true;
      // One short edit per turn of the test's event loop: mostly one update, one transaction, each.
      const typist = (async () => {
        while (typing) {
          editor.text.insert(editor.text.length, `${typed++};`);
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      try {
        const before = typed;
        await eventually(() => expect(typed).toBeGreaterThan(before + 20), 10_000);
        await remark(owner, ws, id, US_LV);
        const widened = typed;
        await eventually(() => expect(typed).toBeGreaterThan(widened + 30), 10_000);
      } finally {
        typing = false;
        await typist;
      }
      const text = editor.text.toString();
      await eventually(async () => expect(await storedText(lv, id), `round ${round}: lv-cert's copy after the widening`).toBe(text), 30_000);
      // Narrowed again: lv-cert drops its copy, and the next round's widening sends the state anew.
      await remark(owner, ws, id, US_ONLY);
      await eventually(async () => expect(await heldHere(id)).toBe(false), 30_000);
    }
    expect(bounces, 'the link went down during the rounds').toBe(0);
    // The links' rows are taken by every writer and widening: none of them may have been a deadlock's victim.
    for (const n of [pair.a, pair.b]) expect(n.proc.output()).not.toMatch(/deadlock|could not serialize/);
  }, 300_000);

  it('sends an update whose tap read the old marking and that commits after the widening read the state', async () => {
    await pair.linkUp();
    const { alice, ws, id } = await sharedNote(pair.a, 'Operation Held Widening');
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'stored while US only, committed after the widening.');
    const update = Y.encodeStateAsUpdate(edit);
    // The nodes' own tap, run here as a third writer of aa-us's database: its messages go to the
    // outbox, which the node holding the link sends.
    const tap = new DocumentCrossing({
      db: pair.db,
      bus: outboxBus,
      log: quietLog,
      pieceBytes: 32 * 1024,
    });

    // No message for lv-cert from the tap: the note is US only to it.
    await commitAfter(pair.db, id, update, tap, () => remark(alice, ws, id, US_LV));
    await eventually(async () => expect(await storedText(lv, id)).toBe('stored while US only, committed after the widening.'), 30_000);
  }, 120_000);

  it("sends an ATT&CK mark whose tap read the board's old marking and that commits after the widening read the marks", async () => {
    await pair.linkUp();
    const alice = await new ApiClient(pair.a.url).login('alice', NATION_PASSWORD);
    const ws = await makeWorkspace(alice, 'Operation Held Mark');
    const board = await alice.get<{ docId: string }>(`/api/workspaces/${ws}/attack/board`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    const boardId = board.body.docId;
    const remarkBoard = async (marking: typeof US_ONLY): Promise<void> => {
      const res = await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await remarkBoard(US_ONLY);
    const offerId = await share(ws);
    await eventually(async () => expect(await pair.db.get('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId])).toEqual({ state: 'active' }), 30_000);

    const edit = new Y.Doc();
    edit.getMap(MARKS_MAP).set(markKey('T1059', 'US'), { techniqueId: 'T1059', team: 'US', status: 'observed' });
    const update = Y.encodeStateAsUpdate(edit);
    // The nodes' own tap for boards, run here as a third writer of aa-us's database (as above).
    const marks = new MarksCrossing({ bus: outboxBus, log: quietLog });
    await commitAfter(pair.db, boardId, update, marks, () => remarkBoard(US_LV));
    // The widening reached lv-cert (its replica of the board), with the held mark.
    await eventually(async () => expect(await heldHere(boardId)).toBe(true), 30_000);
    await eventually(async () => expect((await storedDoc(lv, boardId, (d) => d.getMap(MARKS_MAP).toJSON()))['T1059|US']).toMatchObject({ status: 'observed' }), 30_000);
  }, 120_000);
});
