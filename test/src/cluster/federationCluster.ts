/**
 * The fixture of the federation cluster suites: aa-us in cluster mode (two real nodes on PostgreSQL +
 * Redis, team US with alice) linked to a single-node lv-cert (team LV with liga). aa-us sorts before
 * lv-cert, so the cluster dials and the lease decides which node holds the link. `clusterPair()`
 * registers the suite's beforeAll/afterAll and returns the pair, whose fields are set once it ran
 * (`cluster`, `us`, `open`, `linkUp` and `share` may be taken from it at once).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { StartOptions } from '@huntroom/server';
import type { Db } from '../../../server/dist/storage/db.js';
import { cli, NATION_PASSWORD, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { makeWorkspace } from '../helpers/foundation.js';
import { ApiClient } from '../helpers/http.js';
import { eventually } from '../helpers/yjs.js';
import { Cluster, linksUpOn, type Node } from './cluster.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');
const { openStorage } = await import('../../../server/dist/storage/open.js');

export interface ClusterPair {
  /** aa-us's cluster: exposed so that a suite may kill a node (federation-cluster.test.ts kills the link's holder). */
  cluster: Cluster;
  a: Node;
  b: Node;
  /** aa-us's database, as its operator's CLI opens it. */
  db: Db;
  lv: Nation;
  /** Runs aa-us's CLI; returns what it printed. */
  us: (...argv: string[]) => Promise<string>;
  /** Keeps a client to destroy after the suite. */
  open: <C extends { destroy(): void }>(c: C) => C;
  /** Waits until the link is up on exactly one node and aa-us knows LV's home; the node that does NOT hold it. */
  linkUp: () => Promise<Node>;
  /**
   * aa-us offers `ws` to lv-cert (role hunter), waits until lv-cert holds the offer, and lv-cert accepts it;
   * returns the offer's id. The activation at aa-us follows and is not waited for.
   */
  share: (ws: string) => Promise<string>;
}

/**
 * `lv`: start options of lv-cert (its document server limits, say). `aliceTeamAdmin`: alice is made an
 * admin of team US, so that she may make workspaces. `usEnv`: extra environment of both aa-us nodes, over
 * the fixture's own (federation-baseline-cluster.test.ts shortens the outbox's retention this way).
 */
export function clusterPair(options: { lv?: Omit<StartOptions, 'env'>; aliceTeamAdmin?: boolean; usEnv?: Record<string, string> } = {}): ClusterPair {
  const cluster = new Cluster();
  const scratch = mkdtempSync(join(tmpdir(), 'huntroom-fed-cluster-'));
  const clients: { destroy(): void }[] = [];
  const pair = {
    cluster,
    us: (...argv: string[]) => runCommand(pair.db, argv, { stdin: Readable.from([]), stdout: new PassThrough() }),
    open: <C extends { destroy(): void }>(c: C): C => {
      clients.push(c);
      return c;
    },
    linkUp: async (): Promise<Node> => {
      const { a, b, lv, db } = pair;
      await eventually(async () => {
        expect(lv.ctx.federation!.isUp('aa-us')).toBe(true);
        expect([...(await linksUpOn(a)), ...(await linksUpOn(b))]).toEqual(['lv-cert']);
        expect(await db.get("SELECT home_link FROM teams WHERE code = 'LV'")).toEqual({ home_link: 'lv-cert' });
      }, 30_000);
      return (await linksUpOn(a)).includes('lv-cert') ? b : a;
    },
    share: async (ws: string): Promise<string> => {
      const offerId = (await pair.us('federation', 'offer', '--workspace', ws, '--link', 'lv-cert', '--role', 'hunter')).trim();
      await eventually(async () => expect((await sharesOn(pair.lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
      await cli(pair.lv, 'federation', 'accept', '--offer', offerId, '--link', 'aa-us');
      return offerId;
    },
  } as ClusterPair;

  beforeAll(async () => {
    const env = { HUNTROOM_DEMO: 'off', ...options.usEnv };
    [pair.a, pair.b] = await Promise.all([cluster.start(env), cluster.start(env)]);
    pair.db = await openStorage({ dataDir: scratch, databaseUrl: cluster.databaseUrl });
    const { us } = pair;
    await us('team', 'add', '--code', 'US', '--name', 'United States');
    await runCommand(pair.db, ['user', 'add', '--username', 'alice', '--team', 'US', '--password-stdin'], {
      stdin: Readable.from([`${NATION_PASSWORD}\n`]),
      stdout: new PassThrough(),
    });
    if (options.aliceTeamAdmin) await us('team', 'admin', 'add', '--team', 'US', '--username', 'alice');
    const usKey = (JSON.parse(await us('federation', 'identity', '--name', 'aa-us', '--url', pair.a.url)) as { publicKey: string }).publicKey;
    pair.lv = await startNation('lv-cert', 'LV', ['liga'], {}, options.lv ?? {});
    await us('federation', 'link', 'add', '--name', 'lv-cert', '--url', pair.lv.url, '--teams', 'LV', '--key', pair.lv.publicKey);
    await cli(pair.lv, 'federation', 'link', 'add', '--name', 'aa-us', '--url', pair.a.url, '--teams', 'US', '--key', usKey);
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await pair.lv?.stop();
    await pair.db?.close();
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  return pair;
}

/** alice logged in on `node`, her new workspace `workspace` (made there) and a note `title` in it with `marking`; not shared. */
export async function aliceNote(
  node: Node,
  workspace: string,
  title: string,
  marking: { tlp: string; releasableTo: string[] },
): Promise<{ alice: ApiClient; ws: string; id: string }> {
  const alice = await new ApiClient(node.url).login('alice', NATION_PASSWORD);
  const ws = await makeWorkspace(alice, workspace);
  const made = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { alice, ws, id: made.body.id };
}
