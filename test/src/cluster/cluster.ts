/**
 * Several real Huntroom processes on one PostgreSQL schema and one Redis prefix of their own, for the
 * cluster suites. Everything a run creates (schema, Redis keys, processes, data directories) is removed
 * afterwards.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, spawnNode, waitForHttp, type Spawned } from '../helpers/processes.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
export const clusterAvailable = !!TEST_DATABASE_URL && !!TEST_REDIS_URL;
if (!clusterAvailable) {
  console.warn('cluster suites SKIPPED: set TEST_DATABASE_URL and TEST_REDIS_URL (.ci/run sets both) to run them');
}

export interface Node {
  url: string;
  proc: Spawned;
}

export class Cluster {
  readonly schema = `hr_cluster_${randomBytes(4).toString('hex')}`;
  readonly prefix = `hrtest-${randomBytes(4).toString('hex')}`;
  readonly secret = randomBytes(32).toString('hex');
  readonly nodes: Node[] = [];
  private readonly dataDirs: string[] = [];

  constructor(private readonly redisUrl = TEST_REDIS_URL!) {}

  get databaseUrl(): string {
    const u = new URL(TEST_DATABASE_URL!);
    u.searchParams.set('schema', this.schema);
    return u.toString();
  }

  /** Starts one more node; the first one seeds the demo, the others find it there. */
  async start(extra: Record<string, string> = {}): Promise<Node> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), `${this.schema}-`));
    this.dataDirs.push(dataDir);
    const proc = spawnNode('main.js', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      SESSION_SECRET: this.secret,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // The demo accounts and an empty demo workspace, as every suite's fixture (helpers/server.ts).
      HUNTROOM_DEMO: 'accounts',
      ...extra,
    });
    const node = { url: `http://127.0.0.1:${port}`, proc };
    await waitForHttp(`${node.url}/healthz`, 30_000, () => proc.child.exitCode === null);
    this.nodes.push(node);
    return node;
  }

  kill9(node: Node): Promise<unknown> {
    node.proc.child.kill('SIGKILL');
    return node.proc.exited;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (n.proc.child.exitCode === null && n.proc.child.signalCode === null) {
          n.proc.child.kill('SIGTERM');
          await n.proc.exited;
        }
      }),
    );
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    await db.end();
    const redis = new Redis(this.redisUrl);
    const keys = await redis.keys(`${this.prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    for (const dir of this.dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** The federation links up on `node` (its /healthz): in cluster mode, the links this node holds. */
export const linksUpOn = async (node: Node): Promise<string[]> => ((await (await fetch(`${node.url}/healthz`)).json()) as { federation: string[] }).federation;

/** A private redis-server on a free port, so a test can stop and restart it without touching the shared one. */
export class PrivateRedis {
  port = 0;
  private proc: ChildProcess | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (!this.port) this.port = await freePort();
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(this.url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined); // refused until the server listens: the retries handle it
    await probe.ping();
    await probe.quit();
  }

  async stop(): Promise<void> {
    if (!this.proc || !this.running) return;
    const exited = new Promise((r) => this.proc!.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
    this.proc = undefined;
  }
}

/** A TCP relay in front of Redis for one node, so a test can cut that node alone off and restore it. */
export class RedisRelay {
  port = 0;
  private server: import('node:net').Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly target: URL) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const net = await import('node:net');
    if (!this.port) this.port = await freePort();
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
  }

  /** Stops listening and drops every relayed connection. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
