/**
 * Small factories and probes for the foundation suites (auth, workspaces, members, invites, realtime,
 * authorization matrix): raw requests that do not touch a client's cookie jar, accounts made through
 * real invites, socket.io clients that carry the session cookie, and a retrying wait.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { io, type Socket } from 'socket.io-client';
import { ApiClient, type ApiResponse } from './http.js';
import { startTestServer, type TestServer } from './server.js';

export const DEMO_PASSWORD = 'huntroom-demo';

/** A unique, valid username or name suffix. */
export const uniq = (prefix = 'u'): string => `${prefix}${randomBytes(4).toString('hex')}`;

export interface RawOptions {
  cookie?: string | undefined;
  csrf?: string | undefined;
  bearer?: string | undefined;
  headers?: Record<string, string>;
  /** A string is sent as is (with content-type application/json unless given); anything else as JSON. */
  body?: unknown;
}

/**
 * One request with exactly the credentials given: never updates a jar, so a test can send a login or
 * logout "as" someone without changing who that client is afterwards.
 */
export async function raw<T = any>(baseUrl: string, method: string, path: string, o: RawOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.cookie) headers.cookie = o.cookie;
  if (o.csrf) headers['x-csrf-token'] = o.csrf;
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  Object.assign(headers, o.headers);
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** The credentials of a logged-in client, for `raw`. */
export const credsOf = (c: ApiClient): RawOptions => ({ cookie: c.cookie, csrf: c.csrfToken, bearer: c.bearer });

/** Creates a workspace as `owner` and returns its id. */
export async function makeWorkspace(owner: ApiClient, name = uniq('ws-')): Promise<string> {
  const res = await owner.post('/api/workspaces', { name });
  if (res.status !== 201) throw new Error(`create workspace: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Adds `username` to a workspace with a role, as its owner. */
export async function addMember(owner: ApiClient, workspaceId: string, username: string, role: string): Promise<void> {
  const res = await owner.post(`/api/workspaces/${workspaceId}/members`, { username, role });
  if (res.status !== 201) throw new Error(`add ${username}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The demo's team admins: each demo user administers its own team. */
export const DEMO_ADMINS: Record<string, string> = { US: 'alice', CA: 'ben', LV: 'liga' };
const adminClients = new Map<string, Promise<ApiClient>>();

/** A logged-in client of the demo admin of `team` on the server at `baseUrl` (one login per server). */
export function demoAdmin(baseUrl: string, team: string): Promise<ApiClient> {
  const username = DEMO_ADMINS[team.toUpperCase()];
  if (!username) throw new Error(`no demo admin for team ${team}`);
  const key = `${baseUrl}|${username}`;
  let client = adminClients.get(key);
  if (!client) {
    client = new ApiClient(baseUrl).login(username, DEMO_PASSWORD);
    adminClients.set(key, client);
  }
  return client;
}

/**
 * An invite link as a workspace owner makes it, approved by the target team's demo admin when it was
 * made by someone who is not (docs/security.md: only a team's admins let an invite create accounts).
 * Returns the invite's response body (token, url, id, approval).
 */
export async function approvedInvite(owner: ApiClient, workspaceId: string, body: Record<string, unknown>): Promise<{ token: string; url: string; id: string; approval: string }> {
  const invite = await owner.post(`/api/workspaces/${workspaceId}/invites`, body);
  if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${JSON.stringify(invite.body)}`);
  if (invite.body.approval === 'pending') {
    const admin = await demoAdmin(owner.baseUrl, String(body.team));
    const decided = await admin.post(`/api/invite-requests/${invite.body.id}`, { decision: 'approve' });
    if (decided.status !== 200) throw new Error(`approve: ${decided.status} ${JSON.stringify(decided.body)}`);
  }
  return invite.body;
}

/**
 * A new account in `team`, made the way people get one: the owner of `workspaceId` invites (the team's
 * admin approves when the owner is not one), the newcomer accepts while logged out. Returns the
 * newcomer's logged-in client (it joined as `role`).
 */
export async function accountViaInvite(
  baseUrl: string,
  owner: ApiClient,
  workspaceId: string,
  opts: { team: string; role?: string; username?: string; password?: string },
): Promise<ApiClient> {
  const invite = await approvedInvite(owner, workspaceId, { role: opts.role ?? 'hunter', team: opts.team, expiresInHours: 1 });
  const guest = new ApiClient(baseUrl);
  const accepted = await guest.post(`/api/invites/${invite.token}/accept`, {
    username: opts.username ?? uniq('user'),
    password: opts.password ?? 'a-long-enough-password',
  });
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return guest;
}

/** A socket.io client with the session cookie (or nothing) at the handshake; rejects on connect_error. */
export async function connectSocket(
  baseUrl: string,
  opts: { cookie?: string | undefined; headers?: Record<string, string>; auth?: Record<string, unknown> } = {},
): Promise<Socket> {
  const socket = io(baseUrl, {
    transports: ['websocket'],
    extraHeaders: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(opts.auth ? { auth: opts.auth } : {}),
    forceNew: true,
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
  } catch (err) {
    socket.disconnect();
    throw err;
  }
  return socket;
}

/** Retries `check` until it stops throwing, for deliveries that arrive a moment later. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL for the concurrency cases that SQLite's serialized transactions cannot show: set when
 * TEST_DATABASE_URL is (CI sets it). Suites using it say clearly when they are skipped.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** A node on PostgreSQL in a throw-away schema, dropped by `stop()`. */
export async function startPostgresTestServer(): Promise<TestServer> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `hr_it_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  const server = await startTestServer({ DATABASE_URL: url.toString() });
  const stop = server.stop.bind(server);
  server.stop = async () => {
    await server.ctx.db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await stop();
  };
  return server;
}

/**
 * A site admin (the operator's account) on a running test server, made the way an operator makes one:
 * with the CLI's `user add --site-admin`, run in-process on the server's own database.
 */
export async function makeOperator(server: TestServer, team = 'US'): Promise<ApiClient> {
  const { runCommand } = await import('../../../server/dist/cli/commands.js');
  const username = uniq('operator');
  const password = 'operator-password-1';
  await runCommand(server.ctx.db, ['user', 'add', '--username', username, '--team', team, '--password-stdin', '--site-admin'], {
    stdin: Readable.from([`${password}\n`]),
    stdout: new PassThrough(),
  });
  return new ApiClient(server.url).login(username, password);
}
