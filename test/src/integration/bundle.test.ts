/**
 * The bundled server (server/dist/bundle/main.js, what `npm start` and the Docker image run; built by
 * server/bundle.mjs) as a real process on a fresh data directory. A bundle breaks where code finds files
 * by its own path or loads code lazily, so each of those is used once: the built client (http/app.ts),
 * socket.io's own client file (a CommonJS __dirname), the ATT&CK catalog (attack/catalog.ts), the two
 * worker entries (the WAL checkpoint thread, and the pool's tasks.js through an export), the lazily
 * loaded TAXII router and PostgreSQL driver, the CLI entry, and the settings' error before anything else.
 */
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connectSocket, makeWorkspace, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { freePort, runNode, spawnNode, waitForHttp, type Spawned } from '../helpers/processes.js';
import { connect, eventually, synced } from '../helpers/yjs.js';

const BUNDLE = 'bundle/main.js';
const CLIENT_INDEX = fileURLToPath(new URL('../../../client/dist/index.html', import.meta.url));

/** Starts the bundle and resolves once it printed its ready line and answers /healthz. */
async function startBundle(env: Record<string, string>): Promise<{ proc: Spawned; url: string }> {
  const port = await freePort();
  const proc = spawnNode(BUNDLE, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 20_000, () => proc.child.exitCode === null);
  await eventually(() => expect(proc.output()).toContain(`Huntroom is running at ${url}`));
  return { proc, url };
}

async function stop(proc: Spawned): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  expect(await proc.exited).toEqual({ code: 0, signal: null });
}

describe('the bundled server (dist/bundle)', () => {
  let dataDir: string;
  let proc: Spawned;
  let url: string;
  let alice: ApiClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bundle-'));
    ({ proc, url } = await startBundle({ DATA_DIR: dataDir }));
    alice = await loginAs(url, 'alice');
  });
  afterAll(async () => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty data directory, prints the demo log-in and serves the built client at /', async () => {
    expect(proc.output()).toMatch(/alice\s+team US/);
    const res = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(CLIENT_INDEX, 'utf8'));
  });

  it("serves socket.io's browser client from socket.io's own folder and keeps running", async () => {
    // socket.io reads this file through __dirname; bundled without its real path the request killed the process.
    const res = await fetch(`${url}/socket.io/socket.io.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('io');
    const socket = await connectSocket(url, { cookie: alice.cookie });
    expect(socket.connected).toBe(true);
    socket.disconnect();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('syncs a note between two y-websocket clients over real websockets', async () => {
    const ws = await makeWorkspace(alice);
    const note = await alice.post(`/api/workspaces/${ws}/notes`, { title: 'bundled' });
    expect(note.status).toBe(201);
    const a = connect({ url }, note.body.docId as string, alice);
    const b = connect({ url }, note.body.docId as string, alice);
    try {
      await Promise.all([synced(a), synced(b)]);
      a.text.insert(0, 'typed into the bundle');
      await eventually(() => expect(b.text.toString()).toBe('typed into the bundle'));
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('reads the shipped ATT&CK catalog from server/data/attack', async () => {
    const res = await alice.get('/api/attack/enterprise-attack');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('T1071');
  });

  it("runs an export in the worker pool (the bundle's tasks.js)", async () => {
    const ws = await makeWorkspace(alice);
    const value = `bundle-${randomBytes(3).toString('hex')}.example`;
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp: 'CLEAR', techniques: ['T1071.001'] })).status).toBe(201);
    // With the pool's worker file missing the export never answers: fail on that, before the test's timeout.
    const res = await fetch(`${url}/api/workspaces/${ws}/export/stix`, { headers: { cookie: alice.cookie! }, signal: AbortSignal.timeout(20_000) });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(body).toContain(value);
    // The technique's name comes from the catalog, read in the pool too (attack/namesTask.ts).
    expect(body).toContain('Web Protocols');
  });

  it("checkpoints SQLite's log in the bundle's walCheckpointWorker.js thread", async () => {
    // The worker opens its own connection to the database file: two descriptors of it in the process.
    const file = join(realpathSync(dataDir), 'huntroom.sqlite'); // /proc shows the resolved path
    const fdDir = `/proc/${proc.child.pid}/fd`;
    const opened = () => readdirSync(fdDir).filter((fd) => readlinkOr(join(fdDir, fd)) === file).length;
    await eventually(() => expect(opened()).toBe(2), 10_000);
  });

  it('loads the TAXII router on the first /taxii2 request', async () => {
    expect((await fetch(`${url}/taxii2/`)).status).toBe(401);
    const token = await alice.post('/api/tokens', { name: 'bundle feed' });
    expect(token.status).toBe(201);
    const res = await fetch(`${url}/taxii2/`, { headers: { authorization: `Bearer ${token.body.token}`, accept: 'application/taxii+json;version=2.1' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { api_roots: string[] }).api_roots).toEqual([`${url}/taxii2/api/`]);
  });

  it("runs the bundle's CLI on the same data directory and stops on SIGTERM with exit 0", async () => {
    const cli = await runNode('bundle/cli.js', ['team', 'list'], { DATA_DIR: dataDir });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^US\s/m);
    await stop(proc);
  });
});

describe('the bundled server, before and beside the normal start', () => {
  it('exits non-zero with the error of a bad setting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bundle-bad-'));
    try {
      const res = await runNode(BUNDLE, [], { PORT: 'not-a-port', LOG_LEVEL: 'loud', DATA_DIR: dataDir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('PORT: must be a whole number');
      // zod's own English message: its locale is still set up in the bundle (bundle.mjs trims zod).
      expect(res.stderr).toContain('LOG_LEVEL: Invalid option: expected one of "fatal"');
      expect(res.stdout).not.toContain('Huntroom is running');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('starts on PostgreSQL (the lazily loaded driver) when TEST_DATABASE_URL is set', async () => {
    const schema = `hr_bundle_${randomBytes(4).toString('hex')}`;
    const databaseUrl = new URL(TEST_DATABASE_URL!);
    databaseUrl.searchParams.set('schema', schema);
    const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bundle-pg-'));
    const { proc, url } = await startBundle({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl.toString() });
    try {
      const alice = await loginAs(url, 'alice');
      expect((await alice.get('/api/workspaces')).status).toBe(200);
      await stop(proc);
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function readlinkOr(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined; // closed between the listing and the read
  }
}
