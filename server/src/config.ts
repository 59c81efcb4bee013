/**
 * The one place that reads process.env. Every variable is parsed with zod at start; a bad value
 * stops the process with a message naming each bad variable (DESIGN.md section 7).
 */
import * as z from 'zod';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A whole number of at least `min`, digits only (the PORT rule: no "1e3", no " 5"). */
const count = (fallback: number, min = 1) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `must be a whole number of at least ${min}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be a whole number of at least ${min}`))
    .optional()
    .transform((v) => v ?? fallback);

const envSchema = z.object({
  /** TCP port of the HTTP and websocket server. Digits only: Number() would read " " as 0 (a random
   * port) and "1e3" or "0x50" as numbers, silently starting somewhere nobody asked for. */
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535'))
    .default(8080),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where SQLite, the generated session secret and other local state live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** postgres://... selects PostgreSQL instead of SQLite (cluster mode). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** redis://... turns on cross-node fan-out (cluster mode). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** Key and channel prefix in Redis, so deployments and test runs can share one Redis. */
  REDIS_PREFIX: z.string().min(1).max(64).default('huntroom'),
  /** The URL people reach Huntroom at; used in invite links and as the allowed Origin. */
  PUBLIC_URL: z.string().url('must be a URL like https://huntroom.example.org').optional(),
  /** Extra allowed Origins, comma separated. Each must be exactly what a browser sends as Origin
   * (scheme://host[:port], no path or trailing slash), or it would never match and only ever refuse. */
  ALLOWED_ORIGINS: z
    .string()
    .superRefine((v, ctx) => {
      const bad = splitList(v).find((o) => !isOrigin(o));
      if (bad) ctx.addIssue({ code: 'custom', message: `${bad} is not an origin like https://huntroom.example.org` });
    })
    .optional(),
  /** Signs nothing secret today but keys the CSRF and ticket HMACs; generated into DATA_DIR when unset. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /**
   * On an empty database: `on` makes the demo (teams, accounts and a hunt under way), `accounts` only
   * its teams, accounts and an empty workspace (the test suites' fixture), `off` nothing.
   */
  HUNTROOM_DEMO: z.enum(['on', 'accounts', 'off']).default('on'),
  /**
   * `on`: a room's relay writes to its plain sockets through the native helper when it was built
   * (collab/directWrite.ts); `off`: every write goes through Node's sockets.
   */
  HUNTROOM_DIRECT_WRITES: z.enum(['on', 'off']).default('on'),
  /** Set Secure on cookies; defaults to true when PUBLIC_URL is https. */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /**
   * Which proxies' X-Forwarded-For to believe, for rate limits and audit addresses: a hop count, or a
   * comma list of addresses, subnets and Express's names (loopback, linklocal, uniquelocal).
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .refine(
      (v) => /^\d{1,2}$/.test(v) || splitList(v).every((p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(p)),
      'use a hop count (1) or addresses and subnets (10.0.0.0/8, loopback)',
    ),
  /** Login attempts a minute from one address for one username, and failed ones over all usernames
   * (password spraying), before 429. See docs/security.md "Limits and resources". */
  LOGIN_LIMIT_PER_USERNAME: count(10),
  LOGIN_LIMIT_PER_ADDRESS: count(30),
  /** argon2 hashes (19 MiB each) computed at once; more wait briefly, then 503. */
  PASSWORD_HASHES_AT_ONCE: count(4),
  /** Threads of the worker pool (exports, large document updates, large uploads); 0 = by core count. */
  WORKER_THREADS: count(0, 0),
  /** Tasks that may wait for a thread of the pool; the next is refused with 503. */
  WORKER_QUEUE: count(32),
  /** Exports one account may run at once, and start a minute, before 429. */
  EXPORTS_AT_ONCE_PER_ACCOUNT: count(2),
  EXPORTS_PER_MINUTE_PER_ACCOUNT: count(20),
  /** Milliseconds one indicator import may take to read its content in the worker pool, then 413. */
  IMPORT_TIME_BUDGET_MS: count(20_000),
  /** Federation: what a link's outbox keeps while the peer is away; past any of them it is dropped and the
   * peer gets a fresh baseline when it is back (docs/federation.md section 4, catch-up). */
  FEDERATION_OUTBOX_MAX_MESSAGES: count(1_000_000),
  FEDERATION_OUTBOX_MAX_MB: count(1024),
  FEDERATION_OUTBOX_MAX_DAYS: count(7),
  /** How often every link's outbox is measured against those limits (milliseconds). */
  FEDERATION_OUTBOX_CHECK_MS: count(60_000, 100),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  publicUrl: string | undefined;
  allowedOrigins: string[];
  sessionSecret: string;
  logLevel: (typeof LOG_LEVELS)[number];
  demo: boolean;
  /** The demo's hunt (notes, indicators, hunt operation) besides its accounts. */
  demoContent: boolean;
  /** HUNTROOM_DIRECT_WRITES (collab/directWrite.ts). */
  directWrites: boolean;
  cookieSecure: boolean;
  /** For Express's `trust proxy`: a hop count or a list of trusted proxy addresses. */
  trustProxy: number | string[];
  /** Resource limits (docs/security.md "Limits and resources"). */
  limits: ResourceLimits;
  /** Retention of a federation link's unacknowledged messages. */
  federationOutbox: { maxMessages: number; maxBytes: number; maxAgeMs: number; checkMs: number };
}

export interface ResourceLimits {
  loginPerUsername: number;
  loginPerAddress: number;
  hashesAtOnce: number;
  /** 0: chosen from the core count (workers/pool.ts). */
  workerThreads: number;
  workerQueue: number;
  exportsAtOnce: number;
  exportsPerMinute: number;
  /** Time one import's parse may run in the worker pool before it is stopped (indicators/import/). */
  importTimeBudgetMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every bad variable. Creates DATA_DIR. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as most shells and compose files produce them for "no value".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new ConfigError([`DATA_DIR: cannot create ${dataDir}: ${(err as Error).message}`]);
  }
  const origins = splitList(e.ALLOWED_ORIGINS ?? '');
  if (e.PUBLIC_URL) origins.push(new URL(e.PUBLIC_URL).origin);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    allowedOrigins: origins,
    sessionSecret: e.SESSION_SECRET ?? loadOrCreateSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    demo: e.HUNTROOM_DEMO !== 'off',
    demoContent: e.HUNTROOM_DEMO === 'on',
    directWrites: e.HUNTROOM_DIRECT_WRITES === 'on',
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : (e.PUBLIC_URL ?? '').startsWith('https:'),
    trustProxy: /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : splitList(e.TRUST_PROXY),
    limits: {
      loginPerUsername: e.LOGIN_LIMIT_PER_USERNAME,
      loginPerAddress: e.LOGIN_LIMIT_PER_ADDRESS,
      hashesAtOnce: e.PASSWORD_HASHES_AT_ONCE,
      workerThreads: e.WORKER_THREADS,
      workerQueue: e.WORKER_QUEUE,
      exportsAtOnce: e.EXPORTS_AT_ONCE_PER_ACCOUNT,
      exportsPerMinute: e.EXPORTS_PER_MINUTE_PER_ACCOUNT,
      importTimeBudgetMs: e.IMPORT_TIME_BUDGET_MS,
    },
    federationOutbox: {
      maxMessages: e.FEDERATION_OUTBOX_MAX_MESSAGES,
      maxBytes: e.FEDERATION_OUTBOX_MAX_MB * 1024 * 1024,
      maxAgeMs: e.FEDERATION_OUTBOX_MAX_DAYS * 24 * 3600 * 1000,
      checkMs: e.FEDERATION_OUTBOX_CHECK_MS,
    },
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
