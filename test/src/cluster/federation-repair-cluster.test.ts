/**
 * The repair after a real refusal reaches every node of a cluster instance (docs/federation.md section
 * 5, "Refused edits"; server/src/federation/documents/refused.ts, presenceRelay.ts). lv-cert (one node)
 * is the home of a shared note and allows notes of 20,000 bytes; aa-us (two nodes on PostgreSQL +
 * Redis) holds a replica. alice edits the note on the node that does NOT hold the link, and pastes more
 * than the home allows: lv-cert refuses it (`doc.refused`), the holder replaces the replica with the
 * home's state and tells the other node, which closes alice's editor (4403) too; opened again, her
 * note is the home's, without the refused paste.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, synced } from '../helpers/yjs.js';
import { ApiClient } from '../helpers/http.js';
import { recordingClient } from '../helpers/federationData.js';
import { makeWorkspace } from '../helpers/foundation.js';
import { cli, loginOn, NATION_PASSWORD, sharesOn, type Nation } from '../helpers/federation.js';
import { clusterAvailable, linksUpOn } from './cluster.js';
import { clusterPair, type ClusterPair } from './federationCluster.js';

describe.skipIf(!clusterAvailable)('federation: a refused edit is repaired on every node of the cluster', () => {
  // The home's document-size limit: what a replica with the default limit accepts, it refuses.
  const pair = clusterPair({ lv: { collab: { maxDocumentBytes: 20_000 } } });
  let db: ClusterPair['db'];
  let lv: Nation;
  let us: ClusterPair['us'];
  const { open } = pair;
  beforeAll(() => void ({ db, lv, us } = pair));

  it("closes the refused note's editors on the node without the link, which then show the home's text", async () => {
    const other = await pair.linkUp();

    const liga = await loginOn(lv, 'liga');
    const ws = await makeWorkspace(liga, 'Operation Small Note');
    const offerId = (await cli(lv, 'federation', 'offer', '--workspace', ws, '--link', 'aa-us', '--role', 'hunter')).trim();
    await eventually(async () => expect((await db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state).toBe('offered'), 20_000);
    await us('federation', 'accept', '--offer', offerId, '--link', 'lv-cert');
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('active'), 20_000);
    const made = await liga.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title: 'Small', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id;

    const alice = await new ApiClient(other.url).login('alice', NATION_PASSWORD);
    await eventually(async () => expect((await alice.get(`/api/workspaces/${ws}/notes/${id}`)).status).toBe(200), 30_000);
    const lc = open(recordingClient(lv, id, liga));
    const ac = open(recordingClient(other, id, alice));
    await Promise.all([synced(lc), synced(ac)]);
    lc.text.insert(0, 'home text. ');
    await eventually(() => expect(ac.text.toString()).toBe('home text. '), 30_000);

    // Under the trial threshold (32 KB), over the home's 20,000 bytes: accepted on aa-us, refused at lv-cert.
    ac.text.insert(ac.text.length, 'r'.repeat(25_000));
    await eventually(async () => {
      const refused = await lv.ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'");
      expect(Number(refused?.n)).toBeGreaterThan(0);
    }, 30_000);
    // The holder repaired and told this node: alice's editor here is closed (4403), not left with the paste.
    await eventually(() => expect(ac.provider.shouldConnect).toBe(false), 30_000);

    let again: ReturnType<typeof recordingClient> | undefined;
    await eventually(async () => {
      // A repair still running when she opens closes that editor too: she opens again.
      if (!again || !again.provider.shouldConnect) {
        again = open(recordingClient(other, id, alice));
        await synced(again);
      }
      expect(again.text.toString()).toBe('home text. ');
    }, 60_000);
    expect(lc.text.toString()).toBe('home text. ');
    expect(await linksUpOn(other)).toEqual([]);
  }, 180_000);
});
