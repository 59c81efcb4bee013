/**
 * Start-up configuration of the real server process: a bad variable stops it with exit code 1 and
 * a message naming the variable and the reason (every bad one at once); HUNTROOM_DEMO=off starts an
 * empty node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { runNode } from '../helpers/processes.js';
import { raw, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { startHuntroom } from '@huntroom/server';

describe('configuration at start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'huntroom-config-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = (env: Record<string, string>) => runNode('main.js', [], { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env }, '', 15_000);

  // Separate processes that only read: run a few at once to keep the suite fast.
  it.concurrent.for<{ env: Record<string, string>; name: string; reason: RegExp }>([
    { env: { PORT: 'abc' }, name: 'PORT', reason: /number/i },
    { env: { PORT: '70000' }, name: 'PORT', reason: /65535|too big|less than/i },
    { env: { PORT: '-1' }, name: 'PORT', reason: /0|too small|greater/i },
    { env: { PORT: '80.5' }, name: 'PORT', reason: /whole number/ },
    { env: { PORT: '1e3' }, name: 'PORT', reason: /whole number/ },
    { env: { PORT: '0x50' }, name: 'PORT', reason: /whole number/ },
    { env: { PORT: ' ' }, name: 'PORT', reason: /whole number/ },
    { env: { DATABASE_URL: 'mysql://x' }, name: 'DATABASE_URL', reason: /postgres:\/\// },
    { env: { REDIS_URL: 'http://redis' }, name: 'REDIS_URL', reason: /redis:\/\// },
    { env: { LOG_LEVEL: 'loud' }, name: 'LOG_LEVEL', reason: /info|expected one of/i },
    { env: { HUNTROOM_DEMO: 'maybe' }, name: 'HUNTROOM_DEMO', reason: /on|off/ },
    { env: { PUBLIC_URL: 'not a url' }, name: 'PUBLIC_URL', reason: /URL/ },
    { env: { SESSION_SECRET: 'short' }, name: 'SESSION_SECRET', reason: /32 characters/ },
    { env: { COOKIE_SECURE: 'yes' }, name: 'COOKIE_SECURE', reason: /true|false/ },
  ])('exits 1 for $name=$env, naming the variable and the reason', async ({ env, name, reason }, { expect }) => {
    const res = await start(env);
    expect(res.code).toBe(1);
    const line = res.stderr.split('\n').find((l) => l.includes(`${name}:`));
    expect(line, res.stderr).toBeDefined();
    expect(line).toMatch(reason);
    expect(res.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(res.stdout).not.toContain('Huntroom is running');
  });

  it('lists every bad variable at once', async () => {
    const res = await start({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(res.code).toBe(1);
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL']) expect(res.stderr).toContain(`${name}:`);
  });

  it('a DATA_DIR that cannot be created is reported as such', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a directory');
    const res = await start({ DATA_DIR: join(file, 'sub') });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATA_DIR: cannot create/);
  });

  it('a port already in use is a clear start failure, not a crash with a stack trace', async () => {
    const holder = await startTestServer({ HUNTROOM_DEMO: 'off' });
    try {
      const res = await start({ PORT: String(holder.port), HUNTROOM_DEMO: 'off', LOG_LEVEL: 'silent' });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/could not start: .*EADDRINUSE/);
    } finally {
      await holder.stop();
    }
  });

  it('HUNTROOM_DEMO=off starts a node without teams, accounts or workspaces', async () => {
    const server = await startTestServer({ HUNTROOM_DEMO: 'off' });
    try {
      expect(server.demo).toBeUndefined();
      expect(await server.ctx.db.all('SELECT id FROM teams')).toEqual([]);
      expect(await server.ctx.db.all('SELECT id FROM accounts')).toEqual([]);
      expect(await server.ctx.db.all('SELECT id FROM workspaces')).toEqual([]);
      const login = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: 'huntroom-demo' } });
      expect(login.status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('two nodes starting at once on one fresh PostgreSQL both start, with one demo between them', async () => {
    const schema = `hr_it_seed_${Date.now().toString(36)}`;
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    const dirs = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'huntroom-node-')));
    const started = await Promise.allSettled(
      dirs.map((d) => startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: d, LOG_LEVEL: 'silent', DATABASE_URL: url.toString() } })),
    );
    const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
      expect(nodes.filter((n) => n.demo).length).toBe(1);
      expect((await nodes[0]!.ctx.db.all('SELECT id FROM workspaces')).length).toBe(1);
      for (const n of nodes) expect((await raw(n.url, 'POST', '/api/auth/login', { body: { username: 'liga', password: 'huntroom-demo' } })).status).toBe(200);
    } finally {
      await nodes[0]?.ctx.db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      for (const n of nodes) await n.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('the demo is seeded once: a restart on the same DATA_DIR keeps what was there and adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huntroom-reseed-'));
    try {
      const first = await startTestServer({ DATA_DIR: dir });
      expect(first.demo?.accounts.map((a) => a.username)).toEqual(['alice', 'ben', 'liga']);
      await first.close();
      const second = await startTestServer({ DATA_DIR: dir });
      expect(second.demo).toBeUndefined();
      expect((await second.ctx.db.all('SELECT id FROM workspaces')).length).toBe(1);
      expect((await second.ctx.db.all('SELECT id FROM teams')).length).toBe(3);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
