/**
 * Federation with one instance in cluster mode (issue 20 items 7 and 8): two real nodes of aa-us on
 * PostgreSQL + Redis, linked to a single-node lv-cert. One node holds the link (federation/lease.ts);
 * what any writer puts in the outbox is sent by the holder; killing the holder with -9 hands the link to
 * the other node, and the link carries on with nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Db } from '../../../server/dist/storage/db.js';
import { eventually } from '../helpers/yjs.js';
import { cli, NATION_PASSWORD, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { Cluster, clusterAvailable, linksUpOn, type Node } from './cluster.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');
const { openStorage } = await import('../../../server/dist/storage/open.js');

describe.skipIf(!clusterAvailable)('federation: an instance in cluster mode', () => {
  const cluster = new Cluster();
  const scratch = mkdtempSync(join(tmpdir(), 'huntroom-fed-cluster-'));
  let a: Node;
  let b: Node;
  let db: Db;
  let lv: Nation;
  // aa-us sorts before lv-cert: the cluster dials, so the lease decides which node does.
  const us = (...argv: string[]) => runCommand(db, argv, { stdin: Readable.from([]), stdout: new PassThrough() });

  beforeAll(async () => {
    [a, b] = await Promise.all([cluster.start({ HUNTROOM_DEMO: 'off' }), cluster.start({ HUNTROOM_DEMO: 'off' })]);
    db = await openStorage({ dataDir: scratch, databaseUrl: cluster.databaseUrl });
    await us('team', 'add', '--code', 'US', '--name', 'United States');
    await runCommand(db, ['user', 'add', '--username', 'alice', '--team', 'US', '--password-stdin'], { stdin: Readable.from([`${NATION_PASSWORD}\n`]), stdout: new PassThrough() });
    const usKey = (JSON.parse(await us('federation', 'identity', '--name', 'aa-us', '--url', a.url)) as { publicKey: string }).publicKey;
    lv = await startNation('lv-cert', 'LV', ['liga']);
    await us('federation', 'link', 'add', '--name', 'lv-cert', '--url', lv.url, '--teams', 'LV', '--key', lv.publicKey);
    await cli(lv, 'federation', 'link', 'add', '--name', 'aa-us', '--url', a.url, '--teams', 'US', '--key', usKey);
  }, 120_000);
  afterAll(async () => {
    await lv?.stop();
    await db?.close();
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps the link on exactly one node, which sends what any writer put in the outbox', async () => {
    await eventually(async () => {
      expect(lv.ctx.federation!.isUp('aa-us')).toBe(true);
      expect([...(await linksUpOn(a)), ...(await linksUpOn(b))]).toEqual(['lv-cert']);
      // The peer's teams are recorded just after the link is up (teams.describe); an offer needs them.
      expect(await db.get("SELECT home_link FROM teams WHERE code = 'LV'")).toEqual({ home_link: 'lv-cert' });
    }, 30_000);
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
