/**
 * Updates stored around a share's activation all cross, with the activation on another node than the
 * editor's (server/src/federation/documents/outgoing.ts `stored`, baseline.ts `waitForWriters`). aa-us
 * (two nodes on PostgreSQL + Redis) is the home of a note alice edits on the node that does NOT hold
 * the link, without pause, from before the workspace is shared: her node's tap has seen the workspace
 * shared with no one, and the activation is committed by the holder, applying lv-cert's acceptance.
 * Each update is either sent live or in the note's baseline state; lv-cert ends with her whole text, and
 * an edit made once the note reached lv-cert goes live.
 *
 * And the case the baseline must wait for, made certain: a transaction that stored an update and found
 * the workspace shared with no one (as the tap does) is held open while the share is activated and the
 * baseline reaches the note; committed only once the baseline is blocked on it (or, were it not, had
 * sent the note), its update must reach lv-cert with the note's state.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, eventually, synced } from '../helpers/yjs.js';
import { storedText } from '../helpers/federationData.js';
import { typeAcrossActivation } from '../helpers/typingAcrossActivation.js';
import type { Nation } from '../helpers/federation.js';
import { clusterAvailable } from './cluster.js';
import { aliceNote, clusterPair } from './federationCluster.js';

const { workspaceShared } = await import('../../../server/dist/federation/documents/border.js');

/** The notes of this suite: marked for US and LV, so a share's activation decides lv-cert's sight. */
const US_LV = { tlp: 'AMBER', releasableTo: ['US', 'LV'] };

describe.skipIf(!clusterAvailable)("federation: a share activated on another node than the note's editor", () => {
  // alice makes the workspaces: a team admin may.
  const pair = clusterPair({ aliceTeamAdmin: true });
  const { open, share } = pair;
  let lv: Nation;
  beforeAll(() => void (lv = pair.lv));

  it('sends every update made around the activation, live or in the baseline, and the next ones live', async () => {
    const other = await pair.linkUp();
    const { alice, ws, id } = await aliceNote(other, 'Operation Activation', 'Around the activation', US_LV);
    const editor = open(connect(other, id, alice));
    await synced(editor);

    await typeAcrossActivation(editor, lv, id, async () => {
      const offerId = await share(ws);
      await eventually(async () => {
        const row = await pair.db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]);
        expect(row?.state).toBe('active');
      }, 20_000);
    });
  }, 180_000);

  it('holds the baseline of a note until a transaction that stored its update unseen by the activation ends', async () => {
    await pair.linkUp();
    const { ws, id } = await aliceNote(pair.a, 'Operation Held Update', 'Held', US_LV);
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'stored before the activation, committed after it.');
    const update = Y.encodeStateAsUpdate(edit);

    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let heldPid = 0;
    let looked = false;
    // What UpdateLog.write and the tap do, with the commit held back: the row, then the shares' read.
    const held = pair.db.transaction(async (tx) => {
      heldPid = Number((await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid);
      await tx.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, update]);
      expect(await workspaceShared(tx, id)).toBe(false);
      looked = true;
      await released;
    });
    await eventually(() => expect(looked).toBe(true), 10_000);

    await share(ws);
    // The baseline waits for the held transaction (baseline.ts `waitForWriters`); without that wait it
    // would send the note without the update and finish.
    await eventually(async () => {
      const blocked = await pair.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))', [heldPid]);
      const sent = await pair.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'federation.baseline.documents.sent'", [ws]);
      expect(Number(blocked?.n) + Number(sent?.n)).toBeGreaterThan(0);
    }, 30_000);
    release();
    await held;
    await eventually(async () => expect(await storedText(lv, id)).toBe('stored before the activation, committed after it.'), 30_000);
  }, 120_000);
});
