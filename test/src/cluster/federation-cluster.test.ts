/**
 * Federation with one instance in cluster mode (issue 20 items 7 and 8): two real nodes of aa-us on
 * PostgreSQL + Redis, linked to a single-node lv-cert. One node holds the link (federation/lease.ts);
 * what any writer puts in the outbox is sent by the holder; killing the holder with -9 hands the link to
 * the other node, and the link carries on with nothing lost.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/yjs.js';
import { cli, sharesOn, type Nation } from '../helpers/federation.js';
import { clusterAvailable, linksUpOn, type Node } from './cluster.js';
import { clusterPair, type ClusterPair } from './federationCluster.js';

describe.skipIf(!clusterAvailable)('federation: an instance in cluster mode', () => {
  const pair = clusterPair();
  const { cluster, us, linkUp } = pair;
  let a: Node;
  let b: Node;
  let db: ClusterPair['db'];
  let lv: Nation;
  beforeAll(() => void ({ a, b, db, lv } = pair));

  it('keeps the link on exactly one node, which sends what any writer put in the outbox', async () => {
    // Up on exactly one node, and LV's home recorded: the peer's teams are recorded just after the link
    // is up (teams.describe); an offer needs them.
    await linkUp();
    expect(await db.all('SELECT link FROM federation_leases')).toEqual([{ link: 'lv-cert' }]);

    // The test process is a third writer (as the operator's CLI is): the holder node sends its message.
    const ws = (await us('workspace', 'add', '--name', 'Operation Cold Harbour', '--owner', 'alice')).trim();
    const offerId = (await us('federation', 'offer', '--workspace', ws, '--link', 'lv-cert')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
  });

  it('hands the link to the other node when its holder is killed, and carries on', async () => {
    const holder = (await linksUpOn(a)).includes('lv-cert') ? a : b;
    const survivor = holder === a ? b : a;
    await cluster.kill9(holder);
    // The lease lapses (10 s by default) and the survivor dials.
    await eventually(async () => {
      expect(await linksUpOn(survivor)).toEqual(['lv-cert']);
      expect(lv.ctx.federation!.isUp('aa-us')).toBe(true);
    }, 45_000);

    const offer = (await sharesOn(lv)).find((s) => s.state === 'offered')!;
    await cli(lv, 'federation', 'accept', '--offer', offer.offerId, '--link', 'aa-us');
    await eventually(async () => {
      const row = await db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offer.offerId]);
      expect(row?.state).toBe('active');
    }, 20_000);
    // liga is a member at the home, as a remote account.
    expect(await db.get("SELECT username, home_link FROM accounts WHERE username = 'liga@lv-cert'")).toEqual({ username: 'liga@lv-cert', home_link: 'lv-cert' });
  }, 90_000);
});
