/**
 * CSRF and Origin protection of cookie-authenticated state changes: without the session's
 * X-CSRF-Token (or with a wrong one, or another session's) a POST, PATCH or DELETE is refused with
 * 403 csrf_failed and changes nothing; bearer requests need no token; a foreign Origin is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { addMember, makeWorkspace, raw } from '../helpers/foundation.js';

describe('CSRF and Origin checks', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let wsId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await loginAs(server.url, 'alice');
    ben = await loginAs(server.url, 'ben');
    wsId = await makeWorkspace(alice, 'csrf target');
    await addMember(alice, wsId, 'ben', 'hunter');
  });
  afterAll(() => server.stop());

  const aliceWith = (csrf: string | undefined, extra: Record<string, string> = {}) => ({
    cookie: alice.cookie,
    csrf,
    headers: extra,
  });

  /** Every kind of cookie-authenticated state change, with how to see that it did not happen. */
  const changes = () => [
    { method: 'POST', path: '/api/workspaces', body: { name: 'forged workspace' } },
    { method: 'PATCH', path: `/api/workspaces/${wsId}`, body: { name: 'forged name' } },
    { method: 'POST', path: `/api/workspaces/${wsId}/members`, body: { username: 'liga', role: 'owner' } },
    { method: 'PATCH', path: `/api/workspaces/${wsId}/members`, body: { username: 'ben', role: 'owner' } },
    { method: 'DELETE', path: `/api/workspaces/${wsId}/members/ben`, body: undefined },
    { method: 'POST', path: `/api/workspaces/${wsId}/invites`, body: { role: 'owner', team: 'LV', expiresInHours: 1 } },
    { method: 'POST', path: '/api/tokens', body: { name: 'forged token' } },
    { method: 'POST', path: '/api/teams', body: { code: 'EVIL', name: 'Forged team' } },
    { method: 'DELETE', path: `/api/workspaces/${wsId}`, body: undefined },
    { method: 'POST', path: '/api/auth/logout', body: {} },
  ];

  async function snapshot() {
    const db = server.ctx.db;
    return {
      workspaces: await db.all('SELECT id, name, description FROM workspaces ORDER BY id'),
      members: await db.all('SELECT workspace_id, account_id, role FROM members ORDER BY workspace_id, account_id'),
      invites: await db.all('SELECT id FROM invites'),
      tokens: await db.all('SELECT id FROM access_tokens'),
      teams: await db.all('SELECT code FROM teams ORDER BY code'),
      sessions: await db.all('SELECT id FROM sessions ORDER BY id'),
    };
  }

  for (const [label, csrf] of [
    ['without X-CSRF-Token', undefined],
    ['with a wrong X-CSRF-Token', 'not-the-token-0123456789abcdef0123456789'],
    ['with an empty X-CSRF-Token', ''],
  ] as const) {
    it(`refuses every cookie-authenticated change ${label} with 403 csrf_failed and changes nothing`, async () => {
      const before = await snapshot();
      for (const c of changes()) {
        const res = await raw(server.url, c.method, c.path, { ...aliceWith(csrf), body: c.body });
        expect(res.status, `${c.method} ${c.path}`).toBe(403);
        expect(res.body.error.code, `${c.method} ${c.path}`).toBe('csrf_failed');
      }
      expect(await snapshot()).toEqual(before);
      expect((await alice.get('/api/me')).status).toBe(200);
    });
  }

  it("refuses another session's CSRF token (tokens are bound to their session)", async () => {
    const before = await snapshot();
    const res = await raw(server.url, 'PATCH', `/api/workspaces/${wsId}`, { ...aliceWith(ben.csrfToken), body: { name: 'forged' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the same change with the right token (the check is not refusing everything)', async () => {
    const res = await alice.patch(`/api/workspaces/${wsId}`, { description: 'changed with the right token' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe('changed with the right token');
  });

  it('needs no CSRF token for GET', async () => {
    const res = await raw(server.url, 'GET', `/api/workspaces/${wsId}`, { cookie: alice.cookie });
    expect(res.status).toBe(200);
  });

  it('needs no CSRF token for bearer-authenticated changes', async () => {
    const token = (await alice.post('/api/tokens', { name: 'script' })).body.token as string;
    const res = await raw(server.url, 'POST', '/api/workspaces', { bearer: token, body: { name: 'made by a script' } });
    expect(res.status).toBe(201);
    const patch = await raw(server.url, 'PATCH', `/api/workspaces/${res.body.id}`, { bearer: token, body: { name: 'renamed by a script' } });
    expect(patch.status).toBe(200);
    const del = await raw(server.url, 'DELETE', `/api/workspaces/${res.body.id}`, { bearer: token });
    expect(del.status).toBe(200);
  });

  it('refuses a state change from a foreign Origin even with a valid cookie and token, and changes nothing', async () => {
    const before = await snapshot();
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', `${server.url}.evil.example`]) {
      for (const c of changes()) {
        const res = await raw(server.url, c.method, c.path, { ...aliceWith(alice.csrfToken, { origin }), body: c.body });
        expect(res.status, `${origin} ${c.method} ${c.path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    // Bearer requests from a foreign page are refused the same way.
    const token = (await alice.post('/api/tokens', { name: 'script 2' })).body.token as string;
    const viaToken = await raw(server.url, 'POST', '/api/workspaces', { bearer: token, headers: { origin: 'https://evil.example' }, body: { name: 'x' } });
    expect(viaToken.status).toBe(403);
    const after = await snapshot();
    expect({ ...after, tokens: before.tokens }).toEqual(before);
  });

  it('accepts the same-origin Origin a browser sends', async () => {
    const res = await raw(server.url, 'PATCH', `/api/workspaces/${wsId}`, {
      ...aliceWith(alice.csrfToken, { origin: server.url }),
      body: { description: 'same origin' },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a cross-site login (login CSRF) by Origin', async () => {
    const res = await raw(server.url, 'POST', '/api/auth/login', {
      headers: { origin: 'https://evil.example' },
      body: { username: 'liga', password: 'huntroom-demo' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
