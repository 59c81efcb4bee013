/**
 * Members and roles: an owner adds by username, changes roles and removes; a workspace never loses
 * its last owner; hunters and observers read but do not manage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { accountViaInvite, addMember, makeWorkspace, startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';

describe('members', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let ws: string;

  beforeAll(async () => {
    server = await startTestServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    ws = await makeWorkspace(alice);
  });

  const members = async (c: ApiClient = alice) =>
    Object.fromEntries(((await c.get(`/api/workspaces/${ws}/members`)).body.members as { username: string; role: string }[]).map((m) => [m.username, m.role]));

  it('adds a member by username and returns the member with team and role', async () => {
    const res = await alice.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'hunter' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'ben', displayName: 'Ben Tremblay', role: 'hunter', team: { code: 'CA', color: '#e5484d' } });
    expect(res.body.accountId).toBeTypeOf('string');
    expect(await members()).toEqual({ alice: 'owner', ben: 'hunter' });
  });

  it('normalizes the username as login does', async () => {
    const res = await alice.post(`/api/workspaces/${ws}/members`, { username: '  BEN ', role: 'observer' });
    expect(res.status).toBe(201);
    expect(await members()).toEqual({ alice: 'owner', ben: 'observer' });
  });

  it('refuses an unknown account (404), an existing member (409), a bad role (400)', async () => {
    await addMember(alice, ws, 'ben', 'hunter');
    const unknown = await alice.post(`/api/workspaces/${ws}/members`, { username: 'nobody', role: 'hunter' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields).toHaveProperty('username');
    const dup = await alice.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'observer' });
    expect(dup.status).toBe(409);
    const badRole = await alice.post(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'admin' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.fields).toHaveProperty('role');
    expect(await members()).toEqual({ alice: 'owner', ben: 'hunter' });
  });

  it('changes a role by body and by path', async () => {
    await addMember(alice, ws, 'ben', 'hunter');
    await addMember(alice, ws, 'liga', 'hunter');
    const byBody = await alice.patch(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'observer' });
    expect(byBody.status).toBe(200);
    expect(byBody.body).toMatchObject({ username: 'ben', role: 'observer' });
    const byPath = await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'owner' });
    expect(byPath.status).toBe(200);
    expect(byPath.body).toMatchObject({ username: 'liga', role: 'owner' });
    expect(await members()).toEqual({ alice: 'owner', ben: 'observer', liga: 'owner' });
    // The change is effective at once: ben now cannot write, liga can manage.
    expect((await ben.patch(`/api/workspaces/${ws}`, { name: 'x' })).status).toBe(403);
    expect((await liga.patch(`/api/workspaces/${ws}`, { description: 'liga owns it too' })).status).toBe(200);
  });

  it('changing the role of a non-member is 404 and adds nobody', async () => {
    const res = await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' });
    expect(res.status).toBe(404);
    expect(await members()).toEqual({ alice: 'owner' });
  });

  it('removes a member by path and by body; the removed member loses access (404)', async () => {
    await addMember(alice, ws, 'ben', 'hunter');
    await addMember(alice, ws, 'liga', 'observer');
    expect((await ben.get(`/api/workspaces/${ws}`)).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/members`, { username: 'liga' })).status).toBe(200);
    expect(await members()).toEqual({ alice: 'owner' });
    expect((await ben.get(`/api/workspaces/${ws}`)).status).toBe(404);
    expect((await liga.get(`/api/workspaces/${ws}/members`)).status).toBe(404);
    expect((await alice.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(404);
  });

  it('the last owner can be neither demoted nor removed (409); with a second owner both work', async () => {
    await addMember(alice, ws, 'ben', 'hunter');
    const demote = await alice.patch(`/api/workspaces/${ws}/members/alice`, { role: 'hunter' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('conflict');
    const remove = await alice.delete(`/api/workspaces/${ws}/members/alice`);
    expect(remove.status).toBe(409);
    expect(await members()).toEqual({ alice: 'owner', ben: 'hunter' });
    // Re-asserting owner on the last owner is not a demotion.
    expect((await alice.patch(`/api/workspaces/${ws}/members/alice`, { role: 'owner' })).status).toBe(200);

    await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' });
    expect((await alice.patch(`/api/workspaces/${ws}/members/alice`, { role: 'observer' })).status).toBe(200);
    expect(await members()).toEqual({ alice: 'observer', ben: 'owner' });
    // Now ben is the last owner and alice, an observer, manages nothing.
    expect((await ben.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(409);
    expect((await alice.patch(`/api/workspaces/${ws}/members/alice`, { role: 'owner' })).status).toBe(403);
    expect((await ben.delete(`/api/workspaces/${ws}/members/alice`)).status).toBe(200);
    expect(await members(ben)).toEqual({ ben: 'owner' });
  });

  it('two owners demoting each other at the same time leave exactly one owner', async () => {
    await addMember(alice, ws, 'ben', 'owner');
    const [a, b] = await Promise.all([alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' }), ben.patch(`/api/workspaces/${ws}/members/alice`, { role: 'hunter' })]);
    // One wins; the other finds itself no longer an owner (403) or the target the last owner (409).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const roles = (await server.ctx.db.all<{ role: string }>('SELECT role FROM members WHERE workspace_id = ?', [ws])).map((r) => r.role);
    expect(roles.filter((r) => r === 'owner')).toHaveLength(1);
  });

  it('a hunter may not add, change or remove members (403, nothing changed)', async () => {
    await addMember(alice, ws, 'ben', 'hunter');
    await addMember(alice, ws, 'liga', 'observer');
    expect((await ben.post(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'owner' })).status).toBe(403);
    expect((await ben.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(403);
    expect((await ben.patch(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'hunter' })).status).toBe(403);
    expect((await ben.delete(`/api/workspaces/${ws}/members/alice`)).status).toBe(403);
    expect((await ben.delete(`/api/workspaces/${ws}/members/liga`)).status).toBe(403);
    expect(await members()).toEqual({ alice: 'owner', ben: 'hunter', liga: 'observer' });
  });

  it('an observer can read the workspace and its members, but not the audit trail, and not manage', async () => {
    await addMember(alice, ws, 'liga', 'observer');
    expect((await liga.get(`/api/workspaces/${ws}`)).status).toBe(200);
    expect(await members(liga)).toEqual({ alice: 'owner', liga: 'observer' });
    expect((await liga.get(`/api/workspaces/${ws}/audit`)).status).toBe(403);
    expect((await liga.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'hunter' })).status).toBe(403);
    expect((await liga.patch(`/api/workspaces/${ws}/members/liga`, { role: 'owner' })).status).toBe(403);
    expect((await liga.delete(`/api/workspaces/${ws}/members/alice`)).status).toBe(403);
    expect((await liga.post(`/api/workspaces/${ws}/invites`, { role: 'owner', team: 'LV', expiresInHours: 1 })).status).toBe(403);
    expect((await liga.patch(`/api/workspaces/${ws}`, { name: 'x' })).status).toBe(403);
    expect((await liga.delete(`/api/workspaces/${ws}`)).status).toBe(403);
    expect(await members()).toEqual({ alice: 'owner', liga: 'observer' });
  });

  it('a non-member gets 404 for every member route, whatever it tries', async () => {
    for (const [method, path, body] of [
      ['GET', `/api/workspaces/${ws}/members`, undefined],
      ['POST', `/api/workspaces/${ws}/members`, { username: 'ben', role: 'owner' }],
      ['PATCH', `/api/workspaces/${ws}/members/alice`, { role: 'observer' }],
      ['DELETE', `/api/workspaces/${ws}/members/alice`, undefined],
    ] as const) {
      expect((await ben.request(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect(await members()).toEqual({ alice: 'owner' });
  });

  it('member changes are in the audit trail with who did them', async () => {
    const guest = await accountViaInvite(server.url, alice, ws, { team: 'LV', role: 'observer' });
    const guestName = (await guest.get('/api/me')).body.account.username;
    await addMember(alice, ws, 'ben', 'hunter');
    await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'observer' });
    await alice.delete(`/api/workspaces/${ws}/members/ben`);
    const entries = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string; actorUsername: string; detail: Record<string, unknown> }[];
    const byAction = (a: string) => entries.find((e) => e.action === a);
    expect(byAction('member.added')).toMatchObject({ actorUsername: 'alice', detail: { username: 'ben', role: 'hunter' } });
    expect(byAction('member.role_changed')).toMatchObject({ detail: { username: 'ben', from: 'hunter', to: 'observer' } });
    expect(byAction('member.removed')).toMatchObject({ detail: { username: 'ben' } });
    expect(byAction('invite.accepted')).toMatchObject({ actorUsername: guestName });
  });
});

/**
 * Concurrent membership changes on PostgreSQL, where transactions really overlap (READ COMMITTED):
 * the last-owner rule and "already a member" must hold under races, not only one request at a time.
 */
describe.skipIf(!TEST_DATABASE_URL)('members under concurrency on PostgreSQL', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  beforeAll(async () => {
    server = await startPostgresTestServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
  });
  afterAll(() => server.stop());

  it('two owners demoting (or removing) each other at once always leave exactly one owner', async () => {
    for (let i = 0; i < 8; i++) {
      const ws = await makeWorkspace(alice);
      await addMember(alice, ws, 'ben', 'owner');
      const [a, b] = await Promise.all(
        i % 2
          ? [alice.delete(`/api/workspaces/${ws}/members/ben`), ben.delete(`/api/workspaces/${ws}/members/alice`)]
          : [alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' }), ben.patch(`/api/workspaces/${ws}/members/alice`, { role: 'hunter' })],
      );
      expect([a.status, b.status].sort()).toEqual([200, expect.any(Number)]);
      // The loser was demoted (403) or removed (404) a moment before, or its target is now the last owner (409).
      expect([403, 404, 409]).toContain([a.status, b.status].sort()[1]);
      const owners = await server.ctx.db.all("SELECT account_id FROM members WHERE workspace_id = ? AND role = 'owner'", [ws]);
      expect(owners, `round ${i}`).toHaveLength(1);
    }
  });

  it('adding the same account several times at once makes one member and answers 409, never 500', async () => {
    const ws = await makeWorkspace(alice);
    const results = await Promise.all([1, 2, 3, 4].map(() => alice.post(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'hunter' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await server.ctx.db.all('SELECT account_id FROM members WHERE workspace_id = ?', [ws])).toHaveLength(2);
  });
});
if (!TEST_DATABASE_URL) console.warn('members.test.ts: TEST_DATABASE_URL is not set, so the PostgreSQL concurrency cases are SKIPPED');
