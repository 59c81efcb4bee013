/**
 * Logging in and out against the real server: one answer for every failed login, sessions that die
 * on logout, the cookie's attributes, the login rate limit and error bodies without internals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { connectSocket, DEMO_PASSWORD, raw } from '../helpers/foundation.js';
import { createHash } from 'node:crypto';

describe('authentication', () => {
  let server: TestServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await loginAs(server.url, 'alice');
  });
  afterAll(() => server.stop());

  it('logs in with the right password and returns the account (no hash) and a CSRF token', async () => {
    const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'ben', password: DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ username: 'ben', displayName: 'Ben Tremblay', team: { code: 'CA' } });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|hash/i);
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ and (on plain http) not Secure', async () => {
    const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'ben', password: DEMO_PASSWORD } });
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const attrs = cookies[0]!.split(';').map((s) => s.trim().toLowerCase());
    expect(attrs[0]).toMatch(/^huntroom_session=[a-z0-9_-]{32,}$/);
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs.some((a) => a.startsWith('max-age='))).toBe(true);
    expect(attrs).not.toContain('secure');
  });

  it('answers a wrong password and an unknown user with the same 401 and message, and sets no cookie', async () => {
    const wrong = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: 'not-her-password' } });
    const unknown = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever-pass' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'unauthenticated', message: 'wrong username or password' } });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(unknown.headers.getSetCookie()).toEqual([]);
  });

  it('rejects a login body of the wrong shape with 400 validation_failed naming the fields', async () => {
    const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 42 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['password', 'username']);
  });

  it('GET /api/me returns the caller and the same CSRF token as login; 401 without a session', async () => {
    const me = await alice.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.account).toMatchObject({ username: 'alice', team: { code: 'US' } });
    expect(me.body.account.passwordHash).toBeUndefined();
    expect(me.body.csrfToken).toBe(alice.csrfToken);
    const anon = await raw(server.url, 'GET', '/api/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    const bogus = await raw(server.url, 'GET', '/api/me', { cookie: 'huntroom_session=not-a-session' });
    expect(bogus.status).toBe(401);
  });

  it('logout clears the cookie and kills the session server-side: the old cookie no longer works', async () => {
    const liga = await loginAs(server.url, 'liga');
    const oldCookie = liga.cookie!;
    expect((await liga.get('/api/me')).status).toBe(200);
    const out = await raw(server.url, 'POST', '/api/auth/logout', { cookie: oldCookie, csrf: liga.csrfToken, body: {} });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie()[0]!.toLowerCase();
    expect(cleared).toMatch(/^huntroom_session=;/);
    expect(cleared).toContain('max-age=0');
    // A copy of the cookie kept by an attacker (or a stale tab) is dead too.
    const after = await raw(server.url, 'GET', '/api/me', { cookie: oldCookie });
    expect(after.status).toBe(401);
    const write = await raw(server.url, 'POST', '/api/workspaces', { cookie: oldCookie, csrf: liga.csrfToken, body: { name: 'x' } });
    expect(write.status).toBe(401);
    // Other sessions of other people are untouched.
    expect((await alice.get('/api/me')).status).toBe(200);
  });

  it('an expired session is refused on REST and at the socket.io handshake', async () => {
    const temp = await loginAs(server.url, 'ben');
    const idHash = createHash('sha256').update(temp.cookie!.split('=')[1]!).digest('hex');
    expect((await temp.get('/api/me')).status).toBe(200);
    const changed = await server.ctx.db.run('UPDATE sessions SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), idHash]);
    expect(changed.changes).toBe(1);
    expect((await temp.get('/api/me')).status).toBe(401);
    await expect(connectSocket(server.url, { cookie: temp.cookie })).rejects.toThrow(/unauthenticated/);
  });

  it('records logins and failed logins in the audit log', async () => {
    const rows = await server.ctx.db.all<{ action: string; detail: string }>(
      "SELECT action, detail FROM audit_log WHERE action IN ('auth.login', 'auth.login_failed', 'auth.logout')",
    );
    const actions = rows.map((r) => r.action);
    expect(actions).toContain('auth.login');
    expect(actions).toContain('auth.login_failed');
    expect(actions).toContain('auth.logout');
    // The attempted password is never written down.
    expect(rows.map((r) => r.detail).join('\n')).not.toContain('not-her-password');
  });

  it('sends security headers: a strict CSP, nosniff, no framing, no X-Powered-By', async () => {
    const res = await fetch(`${server.url}/api/me`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('error bodies carry a code and message, never a stack trace or internals', async () => {
    const probes = [
      await raw(server.url, 'POST', '/api/auth/login', { body: '{"username": "alice", ' }),
      await raw(server.url, 'POST', '/api/auth/login', { body: { username: ['x'], password: { $gt: '' } } }),
      await raw(server.url, 'GET', '/api/no-such-route'),
      await alice.get('/api/workspaces/%E0%A4%A'),
      await alice.request('PATCH', '/api/workspaces/nope', '[[[['),
    ];
    for (const p of probes) {
      expect(p.status).toBeGreaterThanOrEqual(400);
      expect(p.status).toBeLessThan(500);
      expect(typeof p.body.error.code).toBe('string');
      expect(typeof p.body.error.message).toBe('string');
      const text = JSON.stringify(p.body);
      expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(text).not.toMatch(/node_modules|SyntaxError|\/work\/|sqlite/i);
    }
  });
});

describe('login rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('answers 429 rate_limited after 10 attempts a minute for one username, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'liga', password: `guess-${i}` } });
      expect(res.status).toBe(401);
    }
    const limited = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'liga', password: DEMO_PASSWORD } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.getSetCookie()).toEqual([]);
  });

  it('cannot be sidestepped by spelling the same username differently', async () => {
    // "liga", " liga", "LIGA " all log in to the same account, so they must share one budget.
    for (const variant of [' liga', 'LIGA', 'liga ', '\tLiga']) {
      const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: variant, password: DEMO_PASSWORD } });
      expect(res.status, JSON.stringify(variant)).toBe(429);
    }
  });

  it('limits per username: another account on the same address still logs in', async () => {
    const ben = new ApiClient(server.url);
    await ben.login('ben');
    expect((await ben.get('/api/me')).body.account.username).toBe('ben');
  });
});

describe('an internal failure', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('is a bare 500 with a request id: no SQL, no stack, no paths', async () => {
    // Break the storage under a route on purpose: every login writes the audit table.
    await server.ctx.db.run('DROP TABLE audit_log');
    const res = await raw(server.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: DEMO_PASSWORD } });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{8}$/);
    expect(res.body).toEqual({ error: { code: 'internal', message: `something went wrong on the server (request ${requestId})` } });
    expect(res.headers.getSetCookie()).toEqual([]);
    // The node keeps serving what does not need the broken table.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
