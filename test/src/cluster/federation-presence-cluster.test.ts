/**
 * Presence across a link from an instance in cluster mode (issue 20 item 5; server/src/federation/
 * documents/presenceRelay.ts): two real aa-us nodes on PostgreSQL + Redis, linked to a single-node
 * lv-cert. One node holds the link; alice edits a shared note on the OTHER node. Her caret reaches
 * liga's editor on lv-cert (relayed through Redis to the holder, which signals it), and liga's reaches
 * alice's (the holder republishes it through the document fan-out).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, synced } from '../helpers/yjs.js';
import { ApiClient } from '../helpers/http.js';
import { recordingClient } from '../helpers/federationData.js';
import { loginOn, NATION_PASSWORD, type Nation } from '../helpers/federation.js';
import { clusterAvailable, linksUpOn } from './cluster.js';
import { clusterPair, type ClusterPair } from './federationCluster.js';

const usernames = (c: { provider: { awareness: { getStates(): Map<number, unknown> } } }): string[] =>
  [...c.provider.awareness.getStates().values()].map((s) => (s as { user?: { username?: string } }).user?.username ?? '');

describe.skipIf(!clusterAvailable)('federation: presence from the cluster node that does not hold the link', () => {
  const pair = clusterPair();
  const { us, open, linkUp, share } = pair;
  let db: ClusterPair['db'];
  let lv: Nation;
  beforeAll(() => void ({ db, lv } = pair));

  it('carets cross both ways while the editor is on the node without the link', async () => {
    const other = await linkUp();

    const ws = (await us('workspace', 'add', '--name', 'Operation Far Caret', '--owner', 'alice')).trim();
    // share() offers with --role hunter, the default of an offer without a role (shares.ts offerWorkspace).
    const offerId = await share(ws);
    await eventually(async () => expect((await db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state).toBe('active'), 20_000);

    const alice = await new ApiClient(other.url).login('alice', NATION_PASSWORD);
    const made = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title: 'Carets', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id;
    const liga = await loginOn(lv, 'liga');
    await eventually(async () => expect((await liga.get(`/api/workspaces/${ws}/notes/${id}`)).status).toBe(200), 20_000);

    const ac = open(recordingClient(other, id, alice));
    const lc = open(recordingClient(lv, id, liga));
    await Promise.all([synced(ac), synced(lc)]);
    ac.provider.awareness.setLocalStateField('cursor', { at: 1 });
    lc.provider.awareness.setLocalStateField('cursor', { at: 2 });
    // Carets move: each change is sent again, so a relay that is still subscribing misses none for long.
    let at = 3;
    const moving = setInterval(() => {
      ac.provider.awareness.setLocalStateField('cursor', { at: at++ });
      lc.provider.awareness.setLocalStateField('cursor', { at: at++ });
    }, 500);
    try {
      await eventually(() => expect(usernames(lc)).toContain('alice@aa-us'), 30_000);
      await eventually(() => expect(usernames(ac)).toContain('liga@lv-cert'), 30_000);
    } finally {
      clearInterval(moving);
    }
    // The holder is the other node throughout: the carets did not take a shortcut.
    expect(await linksUpOn(other)).toEqual([]);
  }, 120_000);
});
