/**
 * Presence across a link from an instance in cluster mode (issue 20 item 5; server/src/federation/
 * documents/presenceRelay.ts): two real aa-us nodes on PostgreSQL + Redis, linked to a single-node
 * lv-cert. One node holds the link; alice edits a shared note on the OTHER node. Her caret reaches
 * liga's editor on lv-cert (relayed through Redis to the holder, which signals it), and liga's reaches
 * alice's (the holder republishes it through the document fan-out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Db } from '../../../server/dist/storage/db.js';
import { eventually, synced } from '../helpers/yjs.js';
import { ApiClient } from '../helpers/http.js';
import { recordingClient } from '../helpers/federationData.js';
import { cli, loginOn, NATION_PASSWORD, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { Cluster, clusterAvailable, linksUpOn, type Node } from './cluster.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');
const { openStorage } = await import('../../../server/dist/storage/open.js');

const usernames = (c: { provider: { awareness: { getStates(): Map<number, unknown> } } }): string[] =>
  [...c.provider.awareness.getStates().values()].map((s) => (s as { user?: { username?: string } }).user?.username ?? '');

describe.skipIf(!clusterAvailable)('federation: presence from the cluster node that does not hold the link', () => {
  const cluster = new Cluster();
  const scratch = mkdtempSync(join(tmpdir(), 'huntroom-fed-presence-'));
  let a: Node;
  let b: Node;
  let db: Db;
  let lv: Nation;
  const clients: { destroy(): void }[] = [];
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
    for (const c of clients) c.destroy();
    await lv?.stop();
    await db?.close();
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('carets cross both ways while the editor is on the node without the link', async () => {
    await eventually(async () => {
      expect(lv.ctx.federation!.isUp('aa-us')).toBe(true);
      expect([...(await linksUpOn(a)), ...(await linksUpOn(b))]).toEqual(['lv-cert']);
      expect(await db.get("SELECT home_link FROM teams WHERE code = 'LV'")).toEqual({ home_link: 'lv-cert' });
    }, 30_000);
    const other = (await linksUpOn(a)).includes('lv-cert') ? b : a;

    const ws = (await us('workspace', 'add', '--name', 'Operation Far Caret', '--owner', 'alice')).trim();
    const offerId = (await us('federation', 'offer', '--workspace', ws, '--link', 'lv-cert')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
    await cli(lv, 'federation', 'accept', '--offer', offerId, '--link', 'aa-us');
    await eventually(async () => expect((await db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state).toBe('active'), 20_000);

    const alice = await new ApiClient(other.url).login('alice', NATION_PASSWORD);
    const made = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title: 'Carets', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id;
    const liga = await loginOn(lv, 'liga');
    await eventually(async () => expect((await liga.get(`/api/workspaces/${ws}/notes/${id}`)).status).toBe(200), 20_000);

    const ac = recordingClient(other, id, alice);
    const lc = recordingClient(lv, id, liga);
    clients.push(ac, lc);
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
