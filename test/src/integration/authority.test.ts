/**
 * The authority model (issue 15, docs/security.md "Who may do what"), row by row on SQLite and
 * PostgreSQL: every act beyond one workspace (teams, team admins, ATT&CK catalogs, site settings,
 * workspace creation, accounts in a team, decisions on invites) against every kind of actor, each cell
 * the exact status expected. Then the flows the table stands for: a CA owner cannot mint a US account,
 * an invite into another team waits for that team's admins (a pending request both sides see), and a
 * guest's membership ends with its handoff session, closing its sockets, by an end or by expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, loginAs, type ApiResponse } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { startTestServer } from '../helpers/server.js';
import { connectSocket, eventually, makeOperator, startPostgresTestServer, TEST_DATABASE_URL, uniq } from '../helpers/foundation.js';
import { rawSocket } from '../helpers/yjs.js';
// The router as built by the server, to enumerate its routes (not to call them).
import { authorityRoutes } from '../../../server/dist/authority/routes.js';

const ACTORS = ['anon', 'operator', 'usAdmin', 'caAdmin', 'usOwner', 'caOwner', 'hunter', 'observer', 'guest', 'lurker'] as const;
type Actor = (typeof ACTORS)[number];
const PASSWORD = 'authority-test-pass';

interface World {
  ws: string;
  clients: Record<Exclude<Actor, 'anon'>, ApiClient>;
  usernames: Record<Exclude<Actor, 'anon'>, string>;
}

/** One act, a fresh target per cell, and the status each actor must get. */
interface Act {
  name: string;
  /** The authority router's route this act calls (METHOD /path as declared), if it is one of them. */
  route?: string;
  /** Makes what the act needs (as someone allowed) and returns the request to send. */
  request(w: World): Promise<{ method: string; path: string; body?: unknown }>;
  expect: Record<Actor, number>;
}

/** Expected statuses, from a default for everyone logged in and the exceptions. */
const cells = (loggedIn: number, exceptions: Partial<Record<Actor, number>>): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, a === 'anon' ? 401 : (exceptions[a] ?? loggedIn)])) as Record<Actor, number>;

const BACKENDS: { name: string; start: () => Promise<TestServer> }[] = [{ name: 'SQLite', start: () => startTestServer() }];
if (TEST_DATABASE_URL) BACKENDS.push({ name: 'PostgreSQL', start: startPostgresTestServer });
else console.warn('authority.test.ts: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

describe.each(BACKENDS)('authority model on $name', ({ start }) => {
  let server: TestServer;
  let w: World;

  /** An account made by a team admin (the new route), logged in. */
  async function account(creator: ApiClient, team: string): Promise<[ApiClient, string]> {
    const username = uniq(team.toLowerCase());
    const made = await creator.post(`/api/teams/${team}/accounts`, { username, password: PASSWORD, displayName: username });
    if (made.status !== 201) throw new Error(`account in ${team}: ${made.status} ${JSON.stringify(made.body)}`);
    return [await loginAs(server.url, username, PASSWORD), username];
  }

  /** An invite into CA made by the US owner who administers nothing: pending until CA's admins decide. */
  async function pendingCaInvite(): Promise<{ id: string; token: string }> {
    const res = await w.clients.usOwner.post(`/api/workspaces/${w.ws}/invites`, { role: 'hunter', team: 'CA', expiresInHours: 1 });
    expect(res.status).toBe(201);
    expect(res.body.approval).toBe('pending');
    return res.body;
  }

  beforeAll(async () => {
    server = await start();
    const [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    const operator = await makeOperator(server);
    const ws = (await alice.post('/api/workspaces', { name: 'authority' })).body.id as string;
    const [usOwner, usOwnerName] = await account(alice, 'US');
    const [caOwner, caOwnerName] = await account(ben, 'CA');
    const [hunter, hunterName] = await account(liga, 'LV');
    const [observer, observerName] = await account(liga, 'LV');
    const [lurker, lurkerName] = await account(liga, 'LV');
    for (const [username, role] of [
      [usOwnerName, 'owner'],
      [caOwnerName, 'owner'],
      ['ben', 'hunter'],
      [hunterName, 'hunter'],
      [observerName, 'observer'],
    ]) {
      expect((await alice.post(`/api/workspaces/${ws}/members`, { username, role })).status).toBe(201);
    }
    // The guest: a partner official of LV through a live handoff (alice presents; liga approves the link).
    const handoff = await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 4 });
    const request = ((await liga.get('/api/invite-requests')).body.requests as { id: string; handoffId: string }[]).find((r) => r.handoffId === handoff.body.session.id)!;
    expect((await liga.post(`/api/invite-requests/${request.id}`, { decision: 'approve' })).status).toBe(200);
    const guest = new ApiClient(server.url);
    const guestName = uniq('guest');
    const joined = await guest.post(`/api/invites/${(handoff.body.inviteUrl as string).split('/invite/')[1]}/accept`, { username: guestName, password: PASSWORD });
    expect(joined.body.member.role).toBe('guest');
    w = {
      ws,
      clients: { operator, usAdmin: alice, caAdmin: ben, usOwner, caOwner, hunter, observer, guest, lurker },
      usernames: {
        operator: (await operator.get('/api/me')).body.account.username,
        usAdmin: 'alice',
        caAdmin: 'ben',
        usOwner: usOwnerName,
        caOwner: caOwnerName,
        hunter: hunterName,
        observer: observerName,
        guest: guestName,
        lurker: lurkerName,
      },
    };
  });
  afterAll(() => server.stop());

  const ACTS: Act[] = [
    // Reads: any account may know its own authority, the site settings and who administers a team
    // (an owner needs to know whom an invite request goes to); the requests list is per caller.
    { name: 'read your authority', route: 'GET /authority', request: async () => ({ method: 'GET', path: '/api/authority' }), expect: cells(200, {}) },
    { name: 'read the site settings', route: 'GET /settings', request: async () => ({ method: 'GET', path: '/api/settings' }), expect: cells(200, {}) },
    { name: "read a team's admins", route: 'GET /teams/:code/admins', request: async () => ({ method: 'GET', path: '/api/teams/CA/admins' }), expect: cells(200, {}) },
    { name: 'list the invite requests for you', route: 'GET /invite-requests', request: async () => ({ method: 'GET', path: '/api/invite-requests' }), expect: cells(200, {}) },
    {
      name: 'create a team',
      request: async () => ({ method: 'POST', path: '/api/teams', body: { code: uniq('T').slice(0, 10).toUpperCase(), name: 'New team' } }),
      expect: cells(403, { operator: 201 }),
    },
    {
      name: 'name a team admin',
      route: 'POST /teams/:code/admins',
      request: async (world) => {
        const [, username] = await account(world.clients.operator, 'LV');
        return { method: 'POST', path: '/api/teams/LV/admins', body: { username } };
      },
      expect: cells(403, { operator: 201 }),
    },
    {
      name: 'remove a team admin',
      route: 'DELETE /teams/:code/admins/:username',
      request: async (world) => {
        const [, username] = await account(world.clients.operator, 'LV');
        expect((await world.clients.operator.post('/api/teams/LV/admins', { username })).status).toBe(201);
        return { method: 'DELETE', path: `/api/teams/LV/admins/${username}` };
      },
      expect: cells(403, { operator: 200 }),
    },
    {
      // A body that is not a bundle: the operator gets past authorization to the 400; nobody else does.
      name: 'import an ATT&CK catalog',
      request: async () => ({ method: 'POST', path: '/api/attack/import', body: { hello: 'world' } }),
      expect: cells(403, { operator: 400 }),
    },
    {
      name: 'change site settings',
      route: 'PUT /settings',
      request: async () => ({ method: 'PUT', path: '/api/settings', body: { workspaceCreators: 'team-admins' } }),
      expect: cells(403, { operator: 200 }),
    },
    {
      name: 'create a workspace (default setting: team admins)',
      request: async () => ({ method: 'POST', path: '/api/workspaces', body: { name: 'matrix' } }),
      expect: cells(403, { operator: 201, usAdmin: 201, caAdmin: 201 }),
    },
    {
      name: 'create an account in team CA',
      route: 'POST /teams/:code/accounts',
      request: async () => ({ method: 'POST', path: '/api/teams/CA/accounts', body: { username: uniq('newca'), password: PASSWORD } }),
      expect: cells(403, { operator: 201, caAdmin: 201 }),
    },
    {
      name: 'create an account in team US',
      request: async () => ({ method: 'POST', path: '/api/teams/US/accounts', body: { username: uniq('newus'), password: PASSWORD } }),
      expect: cells(403, { operator: 201, usAdmin: 201 }),
    },
    {
      // Not an admin of CA: the request does not exist for them (no hint which invites there are).
      name: 'approve an invite into CA',
      route: 'POST /invite-requests/:id',
      request: async () => ({ method: 'POST', path: `/api/invite-requests/${(await pendingCaInvite()).id}`, body: { decision: 'approve' } }),
      expect: cells(404, { operator: 200, caAdmin: 200 }),
    },
    {
      name: 'refuse an invite into CA',
      request: async () => ({ method: 'POST', path: `/api/invite-requests/${(await pendingCaInvite()).id}`, body: { decision: 'refuse' } }),
      expect: cells(404, { operator: 200, caAdmin: 200 }),
    },
    {
      name: "list a workspace's invites",
      route: 'GET /workspaces/:id/invites',
      request: async (world) => ({ method: 'GET', path: `/api/workspaces/${world.ws}/invites` }),
      // Owners only; members without the right 403, non-members 404 (loadWorkspace's rule).
      expect: cells(403, { usAdmin: 200, usOwner: 200, caOwner: 200, operator: 404, lurker: 404 }),
    },
    {
      name: 'create an invite in the workspace',
      request: async (world) => ({ method: 'POST', path: `/api/workspaces/${world.ws}/invites`, body: { role: 'observer', team: 'LV', expiresInHours: 1 } }),
      expect: cells(403, { usAdmin: 201, usOwner: 201, caOwner: 201, operator: 404, lurker: 404 }),
    },
    {
      name: 'give the guest role by hand',
      request: async (world) => {
        const [, username] = await account(world.clients.operator, 'LV');
        return { method: 'POST', path: `/api/workspaces/${world.ws}/members`, body: { username, role: 'guest' } };
      },
      // Not a role anyone may give: refused as invalid input, for every caller, before anything else.
      expect: cells(400, {}),
    },
  ];

  it('covers every route the authority router declares', () => {
    const declared = (authorityRoutes(server.ctx) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack.flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
    );
    expect(declared.length).toBeGreaterThanOrEqual(10);
    expect([...new Set(ACTS.flatMap((a) => (a.route ? [a.route] : [])))].sort()).toEqual([...new Set(declared)].sort());
  });

  it('each caller reads only its own requests: a team admin those of its team, others none', async () => {
    const inv = await pendingCaInvite();
    const ids = async (a: Exclude<Actor, 'anon'>) => ((await w.clients[a].get('/api/invite-requests')).body.requests as { id: string }[]).map((r) => r.id);
    expect(await ids('caAdmin')).toContain(inv.id);
    expect(await ids('operator')).toContain(inv.id);
    for (const a of ['usAdmin', 'usOwner', 'caOwner', 'hunter', 'observer', 'guest', 'lurker'] as const) expect(await ids(a), a).not.toContain(inv.id);
    const mine = (await w.clients.usAdmin.get('/api/authority')).body;
    expect(mine).toEqual({ siteAdmin: false, adminOf: ['US'], mayCreateWorkspaces: true });
    expect((await w.clients.operator.get('/api/authority')).body).toMatchObject({ siteAdmin: true, mayCreateWorkspaces: true });
  });

  it.each(ACTS)('$name: every actor gets exactly its status', async (act) => {
    const got: Partial<Record<Actor, number>> = {};
    for (const actor of ACTORS) {
      const req = await act.request(w);
      const client = actor === 'anon' ? new ApiClient(server.url) : w.clients[actor];
      const res: ApiResponse = await client.request(req.method, req.path, req.body);
      got[actor] = res.status;
      if (res.status >= 400 && res.status !== 401) expect(res.body.error.message, `${act.name} as ${actor}`).toBeTruthy();
    }
    expect(got).toEqual(act.expect);
  });

  it('a CA owner cannot mint a US account: the invite waits for US admins and creates nothing until then', async () => {
    const accounts = (await server.ctx.db.all('SELECT id FROM accounts')).length;
    const inv = await w.clients.caOwner.post(`/api/workspaces/${w.ws}/invites`, { role: 'hunter', team: 'US', expiresInHours: 1 });
    expect(inv.body.approval).toBe('pending');
    const impostor = new ApiClient(server.url);
    const tried = await impostor.post(`/api/invites/${inv.body.token}/accept`, { username: 'alice-carter', password: PASSWORD, displayName: 'Alice Carter' });
    expect(tried.status).toBe(403);
    expect(tried.body.error.message).toMatch(/approval by the admins of team US/);
    expect((await server.ctx.db.all('SELECT id FROM accounts')).length).toBe(accounts);
    // Both sides see the pending request: the workspace's owners and US's admin.
    const ownerView = ((await w.clients.caOwner.get(`/api/workspaces/${w.ws}/invites`)).body.invites as { id: string; approval: string }[]).find((i) => i.id === inv.body.id);
    expect(ownerView?.approval).toBe('pending');
    const adminView = (await w.clients.usAdmin.get('/api/invite-requests')).body.requests as { id: string; createdBy: { username: string } }[];
    expect(adminView.find((r) => r.id === inv.body.id)?.createdBy.username).toBe(w.usernames.caOwner);
    // CA's admin does not see (or decide) a request into US.
    expect(((await w.clients.caAdmin.get('/api/invite-requests')).body.requests as { id: string }[]).map((r) => r.id)).not.toContain(inv.body.id);
    // US's admin refuses: the link is dead for everyone.
    expect((await w.clients.usAdmin.post(`/api/invite-requests/${inv.body.id}`, { decision: 'refuse' })).status).toBe(200);
    expect((await impostor.post(`/api/invites/${inv.body.token}/accept`, { username: 'alice-carter', password: PASSWORD })).status).toBe(410);
    expect((await w.clients.usAdmin.post(`/api/invite-requests/${inv.body.id}`, { decision: 'approve' })).status).toBe(409);
    expect((await server.ctx.db.all('SELECT id FROM accounts')).length).toBe(accounts);
  });

  it('a pending invite still admits an existing account of its team; once approved it creates one', async () => {
    const inv = await pendingCaInvite();
    const [existing] = await account(w.clients.caAdmin, 'CA');
    expect((await existing.post(`/api/invites/${inv.token}/accept`)).status).toBe(201);
    const second = await pendingCaInvite();
    expect((await w.clients.caAdmin.post(`/api/invite-requests/${second.id}`, { decision: 'approve' })).status).toBe(200);
    const newcomer = new ApiClient(server.url);
    const made = await newcomer.post(`/api/invites/${second.token}/accept`, { username: uniq('caNew').toLowerCase(), password: PASSWORD });
    expect(made.status).toBe(201);
    expect(made.body.account.team.code).toBe('CA');
    const audit = (await w.clients.usAdmin.get(`/api/workspaces/${w.ws}/audit`)).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['invite.approved', 'invite.refused']));
  });

  it('a team admin must belong to the team; the admin list is readable by members', async () => {
    const res = await w.clients.operator.post('/api/teams/US/admins', { username: 'ben' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/ben is in team CA/);
    const admins = (await w.clients.hunter.get('/api/teams/CA/admins')).body.admins as { username: string }[];
    expect(admins.map((a) => a.username)).toContain('ben');
    expect((await w.clients.operator.post('/api/teams/ZZ/admins', { username: 'ben' })).status).toBe(404);
  });

  it('the operator decides who creates workspaces', async () => {
    const op = w.clients.operator;
    expect((await w.clients.hunter.post('/api/workspaces', { name: 'no' })).status).toBe(403);
    expect((await op.request('PUT', '/api/settings', { workspaceCreators: 'anyone' })).status).toBe(200);
    expect((await w.clients.hunter.post('/api/workspaces', { name: 'yes' })).status).toBe(201);
    expect((await w.clients.hunter.get('/api/me')).body.authority).toEqual({ siteAdmin: false, adminOf: [], mayCreateWorkspaces: true });
    expect((await op.request('PUT', '/api/settings', { workspaceCreators: 'site-admins' })).status).toBe(200);
    expect((await w.clients.usAdmin.post('/api/workspaces', { name: 'no' })).status).toBe(403);
    expect((await op.post('/api/workspaces', { name: 'operator' })).status).toBe(201);
    expect((await op.request('PUT', '/api/settings', { workspaceCreators: 'everyone' })).status).toBe(400);
    expect((await op.request('PUT', '/api/settings', { workspaceCreators: 'team-admins' })).status).toBe(200);
    expect((await w.clients.usAdmin.get('/api/me')).body.authority).toEqual({ siteAdmin: false, adminOf: ['US'], mayCreateWorkspaces: true });
  });
});

describe('guest memberships end with their handoff session', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ws: string;
  let noteId: string;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await loginAs(server.url, 'alice');
    ws = server.demo!.workspaceId;
    noteId = (await alice.post(`/api/workspaces/${ws}/notes`, { title: 'for the guests', tlp: 'GREEN' })).body.id as string;
  });
  afterAll(() => server.stop());

  /** A guest of LV in a new session, with its record socket and a document socket open on the note. */
  async function guestInSession() {
    const liga = await loginAs(server.url, 'liga');
    const started = await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 1 });
    const inviteId = ((await alice.get(`/api/workspaces/${ws}/invites`)).body.invites as { id: string; handoffId: string }[]).find(
      (i) => i.handoffId === started.body.session.id,
    )!.id;
    expect((await liga.post(`/api/invite-requests/${inviteId}`, { decision: 'approve' })).status).toBe(200);
    const guest = new ApiClient(server.url);
    const username = uniq('official');
    const accepted = await guest.post(`/api/invites/${(started.body.inviteUrl as string).split('/invite/')[1]}/accept`, { username, password: PASSWORD });
    expect(accepted.body.member.role).toBe('guest');
    expect((await guest.get(`/api/workspaces/${ws}`)).status).toBe(200);
    const socket = await connectSocket(server.url, { cookie: guest.cookie });
    expect(await socket.emitWithAck('workspace:join', { workspaceId: ws })).toEqual({ ok: true });
    const revoked: string[] = [];
    socket.on('workspace:revoked', (e: { workspaceId: string }) => revoked.push(e.workspaceId));
    const doc = rawSocket(server, noteId, guest.cookie);
    await doc.opened;
    return { sessionId: started.body.session.id as string, guest, username, socket, revoked, doc };
  }

  async function expectGone(g: Awaited<ReturnType<typeof guestInSession>>) {
    const closed = await g.doc.closed;
    expect(closed.reason).toMatch(/handoff session ended/);
    await eventually(() => expect(g.revoked).toEqual([ws]));
    expect((await g.guest.get(`/api/workspaces/${ws}`)).status).toBe(404);
    expect((await g.guest.get(`/api/workspaces/${ws}/indicators`)).status).toBe(404);
    expect((await g.guest.get('/api/workspaces')).body.workspaces).toEqual([]);
    expect(await g.socket.emitWithAck('workspace:join', { workspaceId: ws })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const members = (await alice.get(`/api/workspaces/${ws}/members`)).body.members as { username: string }[];
    expect(members.map((m) => m.username)).not.toContain(g.username);
    g.socket.disconnect();
  }

  it('ending the session removes the guest and closes its sockets at once', async () => {
    const g = await guestInSession();
    expect((await alice.post(`/api/workspaces/${ws}/handoffs/${g.sessionId}/end`)).status).toBe(200);
    await expectGone(g);
  });

  it('when the session expires, the guest loses the workspace within the sweep, sockets closed', async () => {
    const g = await guestInSession();
    // Time passes: the session's end is now in the past (as if its hours had run out).
    await server.ctx.db.run('UPDATE handoff_sessions SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1_000).toISOString(), g.sessionId]);
    // Even before the sweeper runs, the membership counts for nothing.
    expect((await g.guest.get(`/api/workspaces/${ws}`)).status).toBe(404);
    await expectGone(g);
    const audit = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('handoff.expired');
  });
});
