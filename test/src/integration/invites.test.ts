/**
 * Invites: an owner makes one with a role, a team, an expiry and a use count; anyone with the token
 * can read what it offers; accepting logged out creates an account in the invite's team and logs it
 * in, accepting logged in joins; used-up and expired invites are 410, unknown tokens 404.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs, type ApiResponse } from '../helpers/http.js';
import { addMember, approvedInvite, demoAdmin, makeWorkspace, raw, startPostgresTestServer, TEST_DATABASE_URL, uniq } from '../helpers/foundation.js';

describe('invites', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;

  beforeAll(async () => {
    server = await startTestServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    ws = await makeWorkspace(alice, 'Invite target');
  });
  afterAll(() => server.stop());

  /**
   * An invite as `by` makes it; one into a team `by` does not administer is then approved by that
   * team's demo admin, so these cases test the link itself (authority.test.ts tests the approval).
   */
  const invite = async (body: Record<string, unknown>, by: ApiClient = alice, workspace = ws) => {
    const res = await by.post(`/api/workspaces/${workspace}/invites`, body);
    if (res.status === 201 && res.body.approval === 'pending') {
      const admin = await demoAdmin(server.url, String(body.team));
      expect((await admin.post(`/api/invite-requests/${res.body.id}`, { decision: 'approve' })).status).toBe(200);
    }
    return res;
  };
  const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');

  it('an owner creates one: {token, url, expiresAt}; only the hash is stored', async () => {
    const res = await invite({ role: 'hunter', team: 'lv', expiresInHours: 48, maxUses: 3 });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^hri_[A-Za-z0-9_-]{40,}$/);
    expect(res.body.url).toBe(`${server.url.replace('localhost', '127.0.0.1')}/invite/${res.body.token}`);
    const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);
    const row = await server.ctx.db.get<{ token_hash: string; max_uses: number; role: string }>('SELECT token_hash, max_uses, role FROM invites WHERE token_hash = ?', [
      tokenHash(res.body.token),
    ]);
    expect(row).toMatchObject({ max_uses: 3, role: 'hunter' });
    const all = JSON.stringify(await server.ctx.db.all('SELECT * FROM invites'));
    expect(all).not.toContain(res.body.token);
  });

  it('GET /api/invites/:token describes it to anyone, logged out included', async () => {
    const { body } = await invite({ role: 'observer', team: 'LV', expiresInHours: 2, maxUses: 5 });
    const res = await raw(server.url, 'GET', `/api/invites/${body.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      workspace: { id: ws, name: 'Invite target' },
      role: 'observer',
      team: expect.objectContaining({ code: 'LV', name: 'CERT.LV (host nation)' }),
      expiresAt: body.expiresAt,
      usesLeft: 5,
      approval: 'approved',
    });
  });

  it('accepting logged out creates an account in the invite’s team, logs it in and joins it with the role', async () => {
    const { body } = await invite({ role: 'observer', team: 'LV', expiresInHours: 1, maxUses: 2 });
    const guest = new ApiClient(server.url);
    const username = uniq('janis');
    const res = await guest.post(`/api/invites/${body.token}/accept`, { username, password: 'correct horse battery', displayName: 'Jānis Bērziņš' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      workspaceId: ws,
      member: { username, role: 'observer', team: { code: 'LV' }, displayName: 'Jānis Bērziņš' },
      account: { username, team: { code: 'LV' } },
    });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const cookie = res.headers.getSetCookie()[0]!.toLowerCase();
    expect(cookie).toContain('httponly');
    expect(cookie).toContain('samesite=lax');
    // Logged in: /api/me, the workspace with its role, and a CSRF-protected change all work.
    expect((await guest.get('/api/me')).body).toMatchObject({ account: { username }, csrfToken: res.body.csrfToken });
    expect((await guest.get(`/api/workspaces/${ws}`)).body.role).toBe('observer');
    expect((await guest.post('/api/tokens', { name: 'mine' })).status).toBe(201);
    // The account has a real password: it can log in again on its own.
    expect((await new ApiClient(server.url).post('/api/auth/login', { username, password: 'correct horse battery' })).status).toBe(200);
    // One use spent.
    expect((await raw(server.url, 'GET', `/api/invites/${body.token}`)).body.usesLeft).toBe(1);
    const members = (await alice.get(`/api/workspaces/${ws}/members`)).body.members.map((m: { username: string }) => m.username);
    expect(members).toContain(username);
  });

  it('accepting logged out needs a username and a valid password (400, nothing used up)', async () => {
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1 });
    for (const [input, field] of [
      [{}, 'username'],
      [{ username: uniq('x') }, 'password'],
      [{ username: uniq('x'), password: 'short' }, 'password'],
      [{ username: 'Bad Name!', password: 'long enough pass' }, 'username'],
    ] as const) {
      const res = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: input });
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toHaveProperty(field);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await raw(server.url, 'GET', `/api/invites/${body.token}`)).body.usesLeft).toBe(1);
  });

  it('accepting logged out with a taken username is 409 and spends no use', async () => {
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1 });
    const res = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: { username: 'liga', password: 'long enough pass' } });
    expect(res.status).toBe(409);
    expect(res.body.error.fields).toHaveProperty('username');
    expect((await raw(server.url, 'GET', `/api/invites/${body.token}`)).body.usesLeft).toBe(1);
  });

  it('accepting logged in joins the workspace without a new account or cookie', async () => {
    const { body } = await invite({ role: 'hunter', team: 'CA', expiresInHours: 1 });
    const accounts = (await server.ctx.db.all('SELECT id FROM accounts')).length;
    const res = await ben.post(`/api/invites/${body.token}/accept`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ workspaceId: ws, member: { username: 'ben', role: 'hunter' } });
    expect(res.body.account).toBeUndefined();
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await server.ctx.db.all('SELECT id FROM accounts')).length).toBe(accounts);
    expect((await ben.get(`/api/workspaces/${ws}`)).body.role).toBe('hunter');
    // A second invite for a member is refused, not turned into a second membership.
    const again = await invite({ role: 'owner', team: 'CA', expiresInHours: 1 });
    const dup = await ben.post(`/api/invites/${again.body.token}/accept`);
    expect(dup.status).toBe(409);
    expect((await ben.get(`/api/workspaces/${ws}`)).body.role).toBe('hunter');
  });

  it('accepting logged in still needs the CSRF token', async () => {
    const other = await makeWorkspace(alice);
    const { body } = await invite({ role: 'owner', team: 'CA', expiresInHours: 1 }, alice, other);
    const res = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { cookie: ben.cookie, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect((await ben.get(`/api/workspaces/${other}`)).status).toBe(404);
  });

  it('an invite for another team is refused to a logged-in account of a different team (409)', async () => {
    const other = await makeWorkspace(alice);
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1 }, alice, other);
    const res = await ben.post(`/api/invites/${body.token}/accept`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('LV');
    expect((await ben.get(`/api/workspaces/${other}`)).status).toBe(404);
    expect((await raw(server.url, 'GET', `/api/invites/${body.token}`)).body.usesLeft).toBe(1);
  });

  it('a used-up invite is 410 for describe and accept', async () => {
    const other = await makeWorkspace(alice);
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 1 }, alice, other);
    const first = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: { username: uniq('a'), password: 'long enough pass' } });
    expect(first.status).toBe(201);
    const second = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: { username: uniq('b'), password: 'long enough pass' } });
    expect(second.status).toBe(410);
    expect(second.body.error.code).toBe('gone');
    expect((await raw(server.url, 'GET', `/api/invites/${body.token}`)).status).toBe(410);
    expect((await alice.get(`/api/workspaces/${other}/members`)).body.members).toHaveLength(2);
  });

  it('concurrent accepts of a single-use invite admit exactly one', async () => {
    const other = await makeWorkspace(alice);
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 1 }, alice, other);
    const results = await Promise.all(
      [1, 2, 3].map(() => raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: { username: uniq('race'), password: 'long enough pass' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 410, 410]);
    expect((await alice.get(`/api/workspaces/${other}/members`)).body.members).toHaveLength(2);
  });

  it('an expired invite is 410 for describe and accept', async () => {
    const { body } = await invite({ role: 'hunter', team: 'LV', expiresInHours: 1 });
    await server.ctx.db.run('UPDATE invites SET expires_at = ? WHERE token_hash = ?', [new Date(Date.now() - 1000).toISOString(), tokenHash(body.token)]);
    const described = await raw(server.url, 'GET', `/api/invites/${body.token}`);
    expect(described.status).toBe(410);
    expect(described.body.error.message).toMatch(/expired/);
    const accepted = await raw(server.url, 'POST', `/api/invites/${body.token}/accept`, { body: { username: uniq('late'), password: 'long enough pass' } });
    expect(accepted.status).toBe(410);
    expect(accepted.headers.getSetCookie()).toEqual([]);
  });

  it('an unknown token is 404 for describe and accept, and creates no account', async () => {
    const accounts = (await server.ctx.db.all('SELECT id FROM accounts')).length;
    expect((await raw(server.url, 'GET', '/api/invites/hri_doesnotexist')).status).toBe(404);
    const res = await raw(server.url, 'POST', '/api/invites/hri_doesnotexist/accept', { body: { username: uniq('ghost'), password: 'long enough pass' } });
    expect(res.status).toBe(404);
    expect((await server.ctx.db.all('SELECT id FROM accounts')).length).toBe(accounts);
  });

  it('only owners create invites: hunter and observer 403, non-member 404, logged out 401', async () => {
    const liga = await loginAs(server.url, 'liga');
    const other = await makeWorkspace(alice);
    await addMember(alice, other, 'ben', 'hunter');
    await addMember(alice, other, 'liga', 'observer');
    const body = { role: 'owner', team: 'CA', expiresInHours: 1 };
    expect((await invite(body, ben, other)).status).toBe(403);
    expect((await invite(body, liga, other)).status).toBe(403);
    expect((await invite(body, ben, ws)).status).toBe(403); // ben is a hunter there
    const outsider = await makeWorkspace(ben);
    expect((await invite(body, alice, outsider)).status).toBe(404);
    expect((await raw(server.url, 'POST', `/api/workspaces/${other}/invites`, { body })).status).toBe(401);
    expect(await server.ctx.db.all('SELECT id FROM invites WHERE workspace_id = ?', [other])).toEqual([]);
  });

  it('validates the invite body: role, known team, expiry in hours (1 to 90 days), maxUses', async () => {
    for (const [body, field] of [
      [{ team: 'LV', expiresInHours: 1 }, 'role'],
      [{ role: 'admin', team: 'LV', expiresInHours: 1 }, 'role'],
      [{ role: 'hunter', expiresInHours: 1 }, 'team'],
      [{ role: 'hunter', team: 'NOPE', expiresInHours: 1 }, 'team'],
      [{ role: 'hunter', team: 'LV' }, 'expiresInHours'],
      [{ role: 'hunter', team: 'LV', expiresInHours: 0 }, 'expiresInHours'],
      [{ role: 'hunter', team: 'LV', expiresInHours: 24 * 90 + 1 }, 'expiresInHours'],
      [{ role: 'hunter', team: 'LV', expiresInHours: '5' }, 'expiresInHours'],
      [{ role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 0 }, 'maxUses'],
      [{ role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 1001 }, 'maxUses'],
    ] as const) {
      const res = await invite(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty(field);
    }
  });

  it('invite creation and use are in the audit trail', async () => {
    const actions = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('invite.created');
    expect(actions).toContain('invite.accepted');
  });
});

describe('invite abuse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('limits failed invite attempts per address (429), while real invites keep working for others', async () => {
    let limited: ApiResponse | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await raw(server.url, 'POST', `/api/invites/hri_guess${i}/accept`, { body: { username: uniq('g'), password: 'long enough pass' } });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(404);
    }
    expect(limited?.body.error.code).toBe('rate_limited');
    expect((await raw(server.url, 'GET', '/api/invites/hri_guess-more')).status).toBe(429);
  });
});

/** Racing accepts on PostgreSQL, where the transactions really overlap. */
describe.skipIf(!TEST_DATABASE_URL)('invites under concurrency on PostgreSQL', () => {
  let server: TestServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startPostgresTestServer();
    alice = await loginAs(server.url, 'alice');
  });
  afterAll(() => server.stop());

  it('a single-use invite accepted by several people at once admits exactly one', async () => {
    for (let i = 0; i < 3; i++) {
      const ws = await makeWorkspace(alice);
      const inv = { body: await approvedInvite(alice, ws, { role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 1 }) };
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => raw(server.url, 'POST', `/api/invites/${inv.body.token}/accept`, { body: { username: uniq('race'), password: 'long enough pass' } })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 410, 410, 410]);
      expect(await server.ctx.db.all('SELECT account_id FROM members WHERE workspace_id = ?', [ws])).toHaveLength(2);
      const row = await server.ctx.db.get<{ uses: number }>('SELECT uses FROM invites WHERE workspace_id = ?', [ws]);
      expect(row?.uses).toBe(1);
    }
  });

  it('one account accepting two invites of the same workspace at once becomes one member', async () => {
    const ben = await loginAs(server.url, 'ben');
    const ws = await makeWorkspace(alice);
    const tokens = await Promise.all([1, 2].map(async () => (await alice.post(`/api/workspaces/${ws}/invites`, { role: 'hunter', team: 'CA', expiresInHours: 1 })).body.token));
    const results = await Promise.all(tokens.map((t) => ben.post(`/api/invites/${t}/accept`)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await server.ctx.db.all('SELECT account_id FROM members WHERE workspace_id = ?', [ws])).toHaveLength(2);
  });
});
if (!TEST_DATABASE_URL) console.warn('invites.test.ts: TEST_DATABASE_URL is not set, so the PostgreSQL concurrency cases are SKIPPED');
