/**
 * loadConfig on plain env objects: defaults, every variable's parsing, and a ConfigError that
 * names each bad variable with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huntroom-config-unit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: Record<string, string | undefined>) => loadConfig({ DATA_DIR: join(dir, 'data'), ...env });
  const problems = (env: Record<string, string | undefined>): string[] => {
    try {
      load(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('has the documented defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      redisUrl: undefined,
      redisPrefix: 'huntroom',
      publicUrl: undefined,
      allowedOrigins: [],
      logLevel: 'info',
      demo: true,
      demoContent: true,
      cookieSecure: false,
    });
    expect(c.dataDir).toBe(join(dir, 'data'));
    expect(statSync(c.dataDir).isDirectory()).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(load({ PORT: '', LOG_LEVEL: '', HUNTROOM_DEMO: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, logLevel: 'info', demo: true, databaseUrl: undefined });
  });

  it('parses PORT as digits only, 0 to 65535', () => {
    expect(load({ PORT: '0' }).port).toBe(0);
    expect(load({ PORT: '65535' }).port).toBe(65535);
    expect(load({ PORT: '3000' }).port).toBe(3000);
    for (const bad of ['abc', '70000', '65536', '-1', '80.5', '1e3', '0x50', ' ', ' 80', '80 ', '+80', '999999']) {
      const p = problems({ PORT: bad });
      expect(p, bad).toHaveLength(1);
      expect(p[0], bad).toMatch(/^PORT: must be a whole number from 0 to 65535$/);
    }
  });

  it('accepts postgres URLs and refuses other databases', () => {
    expect(load({ DATABASE_URL: 'postgres://u:p@h/db' }).databaseUrl).toBe('postgres://u:p@h/db');
    expect(load({ DATABASE_URL: 'postgresql://h/db' }).databaseUrl).toBe('postgresql://h/db');
    expect(problems({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL: must start with postgres:// or postgresql://']);
    expect(problems({ DATABASE_URL: 'sqlite:///tmp/x' })[0]).toMatch(/^DATABASE_URL:/);
  });

  it('accepts redis and rediss URLs only', () => {
    expect(load({ REDIS_URL: 'redis://r:6379' }).redisUrl).toBe('redis://r:6379');
    expect(load({ REDIS_URL: 'rediss://r:6380' }).redisUrl).toBe('rediss://r:6380');
    expect(problems({ REDIS_URL: 'http://r' })).toEqual(['REDIS_URL: must start with redis:// or rediss://']);
  });

  it('derives origins, invite base and cookie security from PUBLIC_URL and ALLOWED_ORIGINS', () => {
    const c = load({ PUBLIC_URL: 'https://huntroom.example.org/', ALLOWED_ORIGINS: ' https://a.example , http://b.example:8080,, ' });
    expect(c.publicUrl).toBe('https://huntroom.example.org');
    expect(c.allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080', 'https://huntroom.example.org']);
    expect(c.cookieSecure).toBe(true);
    expect(load({ PUBLIC_URL: 'http://h.example' }).cookieSecure).toBe(false);
    expect(load({ PUBLIC_URL: 'https://h.example', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(load({ COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
    expect(problems({ PUBLIC_URL: 'huntroom' })[0]).toMatch(/^PUBLIC_URL: must be a URL/);
    for (const bad of ['huntroom.example.org', 'https://a.example/', 'https://a.example/app', 'https://ok.example, nonsense']) {
      const p = problems({ ALLOWED_ORIGINS: bad });
      expect(p, bad).toHaveLength(1);
      expect(p[0], bad).toMatch(/^ALLOWED_ORIGINS: .+ is not an origin like https:\/\/huntroom\.example\.org$/);
    }
    expect(problems({ COOKIE_SECURE: 'yes' })[0]).toMatch(/^COOKIE_SECURE:/);
  });

  it('validates LOG_LEVEL and HUNTROOM_DEMO', () => {
    expect(load({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(load({ HUNTROOM_DEMO: 'off' }).demo).toBe(false);
    expect(load({ HUNTROOM_DEMO: 'accounts' })).toMatchObject({ demo: true, demoContent: false });
    expect(problems({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL: .*info/);
    expect(problems({ HUNTROOM_DEMO: 'false' })[0]).toMatch(/^HUNTROOM_DEMO: .*"on".*"off"|^HUNTROOM_DEMO: .*on.*off/);
  });

  it('lists every bad variable in one error, in a message people can read', () => {
    try {
      load({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      const e = err as ConfigError;
      expect(e.problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SESSION_SECRET']);
      expect(e.message).toMatch(/^Invalid configuration:\n {2}- /);
    }
  });

  it('generates SESSION_SECRET into DATA_DIR once, owner-readable only, and reuses it', () => {
    const dataDir = join(dir, 'secret');
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8')).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first.sessionSecret);
    const given = 'x'.repeat(40);
    expect(loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: given }).sessionSecret).toBe(given);
  });

  it('reports a DATA_DIR that cannot be created', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    expect(problems({ DATA_DIR: join(file, 'below') })[0]).toMatch(/^DATA_DIR: cannot create/);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxies, and refuses anything else', () => {
    const dataDir = join(dir, 'proxy');
    expect(loadConfig({ DATA_DIR: dataDir }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '10.0.0.0/8, uniquelocal' }).trustProxy).toEqual(['10.0.0.0/8', 'uniquelocal']);
    expect(problems({ DATA_DIR: dataDir, TRUST_PROXY: 'everyone' })[0]).toMatch(/^TRUST_PROXY: use a hop count/);
  });

  it('has the documented resource limits, takes whole numbers for them, and names each bad one', () => {
    expect(load({}).limits).toEqual({
      loginPerUsername: 10,
      loginPerAddress: 30,
      hashesAtOnce: 4,
      workerThreads: 0,
      workerQueue: 32,
      exportsAtOnce: 2,
      exportsPerMinute: 20,
      importTimeBudgetMs: 20_000,
    });
    expect(load({ LOGIN_LIMIT_PER_ADDRESS: '100', WORKER_THREADS: '3', EXPORTS_PER_MINUTE_PER_ACCOUNT: '' }).limits).toMatchObject({
      loginPerAddress: 100,
      workerThreads: 3,
      exportsPerMinute: 20,
    });
    for (const bad of ['0', '-1', '1.5', '1e3', ' 5', 'many']) {
      const p = problems({ PASSWORD_HASHES_AT_ONCE: bad, WORKER_QUEUE: bad });
      expect(p, bad).toHaveLength(2);
      expect(p[0], bad).toMatch(/^PASSWORD_HASHES_AT_ONCE: must be a whole number of at least 1$/);
    }
    // WORKER_THREADS 0 means "by core count".
    expect(load({ WORKER_THREADS: '0' }).limits.workerThreads).toBe(0);
  });
});
