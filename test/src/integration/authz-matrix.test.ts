/**
 * The authorization matrix of the foundation's REST API: every route of the auth, teams and
 * workspaces routers (enumerated from the routers themselves, so a new route without a row fails
 * this file) times every kind of caller (logged out, non-member, observer, hunter, owner), each
 * with the exact status expected, on a fresh workspace per case. Then the abuse rows: malformed
 * and non-JSON bodies, oversized bodies, injection strings in every text field, and a bad CSRF
 * token on every state change. Nothing here may ever answer 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs, type ApiResponse } from '../helpers/http.js';
import {
  accountViaInvite,
  approvedInvite,
  makeOperator,
  credsOf,
  DEMO_PASSWORD,
  makeWorkspace,
  raw as rawRequest,
  startPostgresTestServer,
  TEST_DATABASE_URL,
  uniq,
  type RawOptions,
} from '../helpers/foundation.js';
// The routers as built by the server, to enumerate their routes (not to call them).
import { authRoutes } from '../../../server/dist/auth/routes.js';
import { teamRoutes } from '../../../server/dist/teams/routes.js';
import { workspaceRoutes } from '../../../server/dist/workspaces/routes.js';

const CALLERS = ['anon', 'nonMember', 'observer', 'hunter', 'owner'] as const;
type Caller = (typeof CALLERS)[number];
/** The operator (a site admin) is not a row of the matrix: authority.test.ts covers it; here it only sends valid team bodies. */
type Who = Caller | 'operator';
const OUTSIDER_PASSWORD = 'outsider-password-1';

/** Per case: a fresh workspace (alice owner, ben hunter, liga observer) and whatever the row set up. */
interface Fixture {
  ws: string;
  token?: string;
  tokenId?: string;
}

interface Row {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The route as the router declares it, e.g. /workspaces/:id. */
  route: string;
  path(f: Fixture): string;
  body?(f: Fixture, caller: Caller): unknown;
  setup?(f: Fixture, caller: Caller): Promise<void>;
  /** Expected status for anon, nonMember, observer, hunter, owner. */
  expect: [number, number, number, number, number];
  /** Use a new login session of the caller (for logout, which would end the shared one). */
  freshSession?: boolean;
  /** Undo what a successful call made, so it cannot change later rows (e.g. make someone an owner). */
  cleanup?(res: ApiResponse, caller: Caller): Promise<void>;
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set, since both must answer the same. */
const BACKENDS: { name: string; start: () => Promise<TestServer> }[] = [{ name: 'SQLite', start: () => startTestServer() }];
if (TEST_DATABASE_URL) BACKENDS.push({ name: 'PostgreSQL', start: startPostgresTestServer });
else console.warn('authz-matrix.test.ts: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

describe.each(BACKENDS)('authorization matrix and abuse on $name', ({ start }) => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let outsider: ApiClient;
  let operator: ApiClient;
  let outsiderName: string;
  let teamCounter = 0;
  const statuses: { what: string; status: number }[] = [];

  /** Every request of this file goes through here, so the last test can prove none was a 500. */
  const raw = async (method: string, path: string, o: RawOptions = {}) => {
    const res = await rawRequest(server.url, method, path, o);
    statuses.push({ what: `${method} ${path}`, status: res.status });
    return res;
  };

  const client = (c: Who): ApiClient | undefined => ({ anon: undefined, nonMember: outsider, observer: liga, hunter: ben, owner: alice, operator })[c];
  const creds = (c: Who): RawOptions => {
    const cl = client(c);
    return cl ? credsOf(cl) : {};
  };
  const usernameOf = (c: Caller) => ({ anon: '', nonMember: outsiderName, observer: 'liga', hunter: 'ben', owner: 'alice' })[c];

  async function fixture(): Promise<Fixture> {
    const ws = await makeWorkspace(alice, uniq('matrix-'));
    for (const [username, role] of [
      ['ben', 'hunter'],
      ['liga', 'observer'],
    ]) {
      const res = await alice.post(`/api/workspaces/${ws}/members`, { username, role });
      if (res.status !== 201) throw new Error(`fixture: ${res.status}`);
    }
    return { ws };
  }

  const invite = async (f: Fixture) => {
    // alice does not administer LV: liga (LV's admin) approves, so the link may create accounts.
    f.token = (await approvedInvite(alice, f.ws, { role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: 10 })).token;
  };

  const ROWS: Row[] = [
    { method: 'POST', route: '/auth/login', path: () => '/api/auth/login', body: () => ({ username: 'ben', password: DEMO_PASSWORD }), expect: [200, 200, 200, 200, 200] },
    { method: 'POST', route: '/auth/logout', path: () => '/api/auth/logout', body: () => ({}), freshSession: true, expect: [200, 200, 200, 200, 200] },
    { method: 'GET', route: '/me', path: () => '/api/me', expect: [401, 200, 200, 200, 200] },
    { method: 'GET', route: '/tokens', path: () => '/api/tokens', expect: [401, 200, 200, 200, 200] },
    { method: 'POST', route: '/tokens', path: () => '/api/tokens', body: () => ({ name: 'matrix' }), expect: [401, 201, 201, 201, 201] },
    {
      method: 'DELETE',
      route: '/tokens/:tokenId',
      path: (f) => `/api/tokens/${f.tokenId}`,
      async setup(f, caller) {
        // The caller's own token; a logged-out caller tries alice's.
        const res = await (client(caller) ?? alice).post('/api/tokens', { name: 'to revoke' });
        f.tokenId = res.body.id;
      },
      expect: [401, 200, 200, 200, 200],
    },
    { method: 'GET', route: '/teams', path: () => '/api/teams', expect: [401, 200, 200, 200, 200] },
    {
      method: 'POST',
      route: '/teams',
      path: () => '/api/teams',
      body: () => ({ code: `T${++teamCounter}`, name: 'Matrix team' }),
      // Only the operator (a site admin) adds teams; owning a workspace gives no such right.
      expect: [401, 403, 403, 403, 403],
    },
    { method: 'GET', route: '/workspaces', path: () => '/api/workspaces', expect: [401, 200, 200, 200, 200] },
    {
      method: 'POST',
      route: '/workspaces',
      path: () => '/api/workspaces',
      body: () => ({ name: 'made in the matrix' }),
      // The default setting lets team admins create workspaces: liga, ben and alice administer their
      // teams (the demo); the outsider administers none.
      expect: [401, 403, 201, 201, 201],
      // Owning a workspace would let the caller add teams; keep the callers as they were.
      async cleanup(res, caller) {
        await client(caller)!.delete(`/api/workspaces/${res.body.id}`);
      },
    },
    { method: 'GET', route: '/workspaces/:id', path: (f) => `/api/workspaces/${f.ws}`, expect: [401, 404, 200, 200, 200] },
    { method: 'PATCH', route: '/workspaces/:id', path: (f) => `/api/workspaces/${f.ws}`, body: () => ({ name: 'renamed' }), expect: [401, 404, 403, 403, 200] },
    { method: 'DELETE', route: '/workspaces/:id', path: (f) => `/api/workspaces/${f.ws}`, expect: [401, 404, 403, 403, 200] },
    { method: 'GET', route: '/workspaces/:id/members', path: (f) => `/api/workspaces/${f.ws}/members`, expect: [401, 404, 200, 200, 200] },
    {
      method: 'POST',
      route: '/workspaces/:id/members',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      body: () => ({ username: outsiderName, role: 'hunter' }),
      expect: [401, 404, 403, 403, 201],
    },
    {
      method: 'PATCH',
      route: '/workspaces/:id/members',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      body: () => ({ username: 'ben', role: 'observer' }),
      expect: [401, 404, 403, 403, 200],
    },
    {
      method: 'PATCH',
      route: '/workspaces/:id/members/:username',
      path: (f) => `/api/workspaces/${f.ws}/members/liga`,
      body: () => ({ role: 'hunter' }),
      expect: [401, 404, 403, 403, 200],
    },
    {
      method: 'DELETE',
      route: '/workspaces/:id/members',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      body: () => ({ username: 'ben' }),
      expect: [401, 404, 403, 403, 200],
    },
    {
      method: 'DELETE',
      route: '/workspaces/:id/members/:username',
      path: (f) => `/api/workspaces/${f.ws}/members/liga`,
      expect: [401, 404, 403, 403, 200],
    },
    {
      method: 'POST',
      route: '/workspaces/:id/invites',
      path: (f) => `/api/workspaces/${f.ws}/invites`,
      body: () => ({ role: 'observer', team: 'CA', expiresInHours: 1 }),
      expect: [401, 404, 403, 403, 201],
    },
    { method: 'GET', route: '/workspaces/:id/audit', path: (f) => `/api/workspaces/${f.ws}/audit`, expect: [401, 404, 403, 403, 200] },
    { method: 'GET', route: '/invites/:token', path: (f) => `/api/invites/${f.token}`, setup: invite, expect: [200, 200, 200, 200, 200] },
    {
      method: 'POST',
      route: '/invites/:token/accept',
      path: (f) => `/api/invites/${f.token}/accept`,
      setup: invite,
      body: (_f, caller) => (caller === 'anon' ? { username: uniq('matrix'), password: 'long enough pass' } : {}),
      // The invite is for team LV and role hunter: a logged-out caller gets a new LV account, the LV
      // outsider joins; liga (LV) is already a member; ben (CA) and alice (US) are of another team.
      expect: [201, 201, 409, 409, 409],
    },
  ];

  beforeAll(async () => {
    server = await start();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    // The non-member: an LV account that is a hunter of another workspace and owns none.
    const elsewhere = await makeWorkspace(alice, 'elsewhere');
    outsiderName = uniq('outsider');
    outsider = await accountViaInvite(server.url, alice, elsewhere, { team: 'LV', role: 'hunter', username: outsiderName, password: OUTSIDER_PASSWORD });
    operator = await makeOperator(server);
  });
  afterAll(() => server.stop());

  it('covers every route the auth, teams and workspaces routers declare', () => {
    const declared = [authRoutes, teamRoutes, workspaceRoutes].flatMap((make) =>
      (make(server.ctx) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack.flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
      ),
    );
    expect(declared.length).toBeGreaterThan(20);
    expect(ROWS.map((r) => `${r.method} ${r.route}`).sort()).toEqual([...new Set(declared)].sort());
  });

  describe.each(CALLERS.map((caller, i) => ({ caller, i })))('as $caller', ({ caller, i }) => {
    it.each(ROWS.map((row) => ({ row, label: `${row.method} ${row.route}` })))('$label', async ({ row }) => {
      const f = await fixture();
      await row.setup?.(f, caller);
      let who = creds(caller);
      if (row.freshSession && caller !== 'anon') {
        const name = usernameOf(caller);
        who = credsOf(await loginAs(server.url, name, caller === 'nonMember' ? OUTSIDER_PASSWORD : DEMO_PASSWORD));
      }
      const res = await raw(row.method, row.path(f), { ...who, body: row.body?.(f, caller) });
      expect(res.status, JSON.stringify(res.body)).toBe(row.expect[i]);
      if (res.status >= 400) {
        expect(res.body.error.code).toBe({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict' }[res.status as 401 | 403 | 404 | 409]);
      }
      if (res.status < 300) await row.cleanup?.(res, caller);
    });
  });

  it('refusals changed nothing: the fixture workspaces still have exactly their three members unless an owner acted', async () => {
    // Spot-check the state behind the 403/404 rows: after a hunter's and a non-member's attempts on
    // one workspace, it is as it was.
    const f = await fixture();
    for (const caller of ['anon', 'nonMember', 'observer', 'hunter'] as const) {
      for (const row of ROWS.filter((r) => r.route.startsWith('/workspaces/:id') && r.method !== 'GET')) {
        await raw(row.method, row.path(f), { ...creds(caller), body: row.body?.(f, caller) });
      }
    }
    const ws = await alice.get(`/api/workspaces/${f.ws}`);
    expect(ws.status).toBe(200);
    expect(ws.body.name).toMatch(/^matrix-/);
    const members = (await alice.get(`/api/workspaces/${f.ws}/members`)).body.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`);
    expect(members.sort()).toEqual(['alice:owner', 'ben:hunter', 'liga:observer']);
    expect(await server.ctx.db.all('SELECT id FROM invites WHERE workspace_id = ?', [f.ws])).toEqual([]);
  });

  it('a team code that exists (in any case) is 409 and changes nothing', async () => {
    const teams = await alice.get('/api/teams');
    for (const code of ['US', 'us', ' Lv ']) {
      const res = await raw('POST', '/api/teams', { ...creds('operator'), body: { code, name: 'Duplicate' } });
      expect(res.status, code).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    expect((await alice.get('/api/teams')).body).toEqual(teams.body);
  });

  it('an owner of one workspace gets 404 for another owner’s workspace on every workspace route', async () => {
    const theirs = await makeWorkspace(ben, 'bens own');
    const f: Fixture = { ws: theirs };
    for (const row of ROWS.filter((r) => r.route.startsWith('/workspaces/:id'))) {
      const res = await raw(row.method, row.path(f), { ...creds('owner'), body: row.body?.(f, 'owner') });
      expect(res.status, `${row.method} ${row.route}`).toBe(404);
    }
    await ben.delete(`/api/workspaces/${theirs}`);
  });

  /** Routes that take a body, with bodies that must be refused and the field each must name. */
  const MALFORMED: { method: string; path: (f: Fixture) => string; caller?: Who; cases: [unknown, string][] }[] = [
    {
      method: 'POST',
      path: () => '/api/auth/login',
      caller: 'anon',
      cases: [
        [{}, 'username'],
        [{ username: 1, password: 'x' }, 'username'],
        [{ username: 'alice' }, 'password'],
        [{ username: 'alice', password: ['x'] }, 'password'],
        [{ username: 'alice', password: 'x'.repeat(257) }, 'password'],
        [[], '(body)'],
      ],
    },
    {
      method: 'POST',
      path: () => '/api/tokens',
      cases: [
        [{}, 'name'],
        [{ name: 5 }, 'name'],
        [{ name: 'x'.repeat(121) }, 'name'],
        [{ name: 'x', expiresInDays: '7' }, 'expiresInDays'],
        [{ name: 'x', expiresInDays: 367 }, 'expiresInDays'],
      ],
    },
    {
      method: 'POST',
      path: () => '/api/teams',
      caller: 'operator',
      cases: [
        [{ name: 'x' }, 'code'],
        [{ code: 'ok', name: 7 }, 'name'],
        [{ code: 'bad code', name: 'x' }, 'code'],
        [{ code: 'X'.repeat(13), name: 'x' }, 'code'],
        [{ code: 'OK', name: 'x', color: 'red' }, 'color'],
        [{ code: 'OK', name: 'x', color: '#12345' }, 'color'],
      ],
    },
    {
      method: 'POST',
      path: () => '/api/workspaces',
      cases: [
        [{}, 'name'],
        [{ name: [] }, 'name'],
        [{ name: null }, 'name'],
        [{ name: 'x', description: 5 }, 'description'],
        [{ name: 'x', description: 'd'.repeat(5001) }, 'description'],
        [{ name: 'x', defaultTlp: 'amber' }, 'defaultTlp'],
      ],
    },
    {
      method: 'PATCH',
      path: (f) => `/api/workspaces/${f.ws}`,
      cases: [
        [{ name: 5 }, 'name'],
        [{ name: '' }, 'name'],
        [{ defaultTlp: 'WHITE' }, 'defaultTlp'],
        [{ description: { $set: 'x' } }, 'description'],
      ],
    },
    {
      method: 'POST',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      cases: [
        [{ username: 'ben' }, 'role'],
        [{ role: 'hunter' }, 'username'],
        [{ username: 5, role: 'hunter' }, 'username'],
        [{ username: 'ben', role: 'OWNER' }, 'role'],
        [{ username: 'b', role: 'hunter' }, 'username'],
      ],
    },
    {
      method: 'PATCH',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      cases: [
        [{ role: 'owner' }, 'username'],
        [{ username: 'ben', role: 'root' }, 'role'],
      ],
    },
    {
      method: 'PATCH',
      path: (f) => `/api/workspaces/${f.ws}/members/ben`,
      cases: [
        [{}, 'role'],
        [{ role: 1 }, 'role'],
      ],
    },
    {
      method: 'PATCH',
      path: (f) => `/api/workspaces/${f.ws}/members/${encodeURIComponent('no such/name!')}`,
      cases: [[{ role: 'hunter' }, 'username']],
    },
    {
      method: 'DELETE',
      path: (f) => `/api/workspaces/${f.ws}/members`,
      cases: [
        [{}, 'username'],
        [{ username: ['ben'] }, 'username'],
      ],
    },
    {
      method: 'DELETE',
      path: (f) => `/api/workspaces/${f.ws}/members/${encodeURIComponent("ben' OR '1'='1")}`,
      cases: [[undefined, 'username']],
    },
    {
      method: 'POST',
      path: (f) => `/api/workspaces/${f.ws}/invites`,
      cases: [
        [{ team: 'LV', expiresInHours: 1 }, 'role'],
        [{ role: 'hunter', team: 5, expiresInHours: 1 }, 'team'],
        [{ role: 'hunter', team: 'LV', expiresInHours: 1.5 }, 'expiresInHours'],
        [{ role: 'hunter', team: 'LV', expiresInHours: 1, maxUses: -1 }, 'maxUses'],
      ],
    },
    {
      method: 'POST',
      path: (f) => `/api/invites/${f.token}/accept`,
      caller: 'anon',
      cases: [
        [{ username: 5, password: 'long enough pass' }, 'username'],
        [{ username: uniq('v'), password: 'short' }, 'password'],
        [{ username: uniq('v'), password: 'long enough pass', displayName: '' }, 'displayName'],
        [{ username: uniq('v'), password: 'long enough pass', displayName: 'd'.repeat(121) }, 'displayName'],
      ],
    },
  ];

  it('malformed bodies (wrong types, missing fields, out of range) get 400 validation_failed naming the field, and change nothing', async () => {
    const f = await fixture();
    await invite(f);
    const before = await server.ctx.db.all('SELECT workspace_id, account_id, role FROM members ORDER BY 1, 2');
    const teams = await server.ctx.db.all('SELECT code FROM teams');
    for (const route of MALFORMED) {
      for (const [body, field] of route.cases) {
        const res = await raw(route.method, route.path(f), { ...creds(route.caller ?? 'owner'), body });
        const what = `${route.method} ${route.path(f)} ${JSON.stringify(body)?.slice(0, 60)}`;
        expect(res.status, what).toBe(400);
        expect(res.body.error.code, what).toBe('validation_failed');
        expect(res.body.error.fields, what).toHaveProperty([field]);
        expect(typeof res.body.error.fields[field], what).toBe('string');
      }
    }
    expect(await server.ctx.db.all('SELECT workspace_id, account_id, role FROM members ORDER BY 1, 2')).toEqual(before);
    expect(await server.ctx.db.all('SELECT code FROM teams')).toEqual(teams);
    expect((await alice.get(`/api/workspaces/${f.ws}`)).body.name).toMatch(/^matrix-/);
  });

  /** Every route that reads a body, with the caller who may use it. */
  const bodyRoutes = (f: Fixture): [string, string, Who][] => [
    ['POST', '/api/auth/login', 'anon'],
    ['POST', '/api/auth/logout', 'anon'],
    ['POST', '/api/tokens', 'owner'],
    ['POST', '/api/teams', 'operator'],
    ['POST', '/api/workspaces', 'owner'],
    ['PATCH', `/api/workspaces/${f.ws}`, 'owner'],
    ['POST', `/api/workspaces/${f.ws}/members`, 'owner'],
    ['PATCH', `/api/workspaces/${f.ws}/members`, 'owner'],
    ['PATCH', `/api/workspaces/${f.ws}/members/ben`, 'owner'],
    ['DELETE', `/api/workspaces/${f.ws}/members`, 'owner'],
    ['POST', `/api/workspaces/${f.ws}/invites`, 'owner'],
    ['POST', `/api/invites/${f.token}/accept`, 'anon'],
  ];

  it('a body that is not valid JSON gets 400 bad_request on every route that reads one', async () => {
    const f = await fixture();
    await invite(f);
    for (const [method, path, caller] of bodyRoutes(f)) {
      // Top-level scalars are valid JSON but never a valid body: refused by the parser too.
      for (const text of ['{"name": ', 'not json at all', "{'name': 'single quotes'}", '{"a":1}}', '\u0000\u0001\u0002', '"just a string"', '42', 'null']) {
        const res = await raw(method, path, { ...creds(caller), body: text });
        expect(res.status, `${method} ${path} ${JSON.stringify(text)}`).toBe(400);
        expect(res.body.error.code).toBe('bad_request');
        expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
      }
    }
    // Not JSON by content type: never parsed as JSON, so required fields are missing (400).
    for (const [method, path, caller] of bodyRoutes(f).filter(([m, p]) => m === 'POST' && !p.endsWith('/logout') && !p.endsWith('/accept'))) {
      const res = await raw(method, path, { ...creds(caller), headers: { 'content-type': 'text/plain' }, body: 'name=evil&role=owner' });
      expect(res.status, `${method} ${path} text/plain`).toBe(400);
    }
    const form = await raw('PATCH', `/api/workspaces/${f.ws}`, {
      ...creds('owner'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=evil',
    });
    expect(form.status).toBeLessThan(500);
    expect((await alice.get(`/api/workspaces/${f.ws}`)).body.name).toMatch(/^matrix-/);
  });

  it('a body over 1 MB gets 413 payload_too_large on every route, logged in or not, and changes nothing', async () => {
    const f = await fixture();
    await invite(f);
    const huge = JSON.stringify({ name: 'x'.repeat(1_100_000), username: 'alice', password: 'x', role: 'hunter', code: 'BIG' });
    const workspaces = (await server.ctx.db.all('SELECT id FROM workspaces')).length;
    for (const [method, path, caller] of bodyRoutes(f)) {
      for (const who of [caller, 'anon'] as const) {
        const res = await raw(method, path, { ...creds(who), body: huge });
        expect(res.status, `${method} ${path} as ${who}`).toBe(413);
        expect(res.body.error.code).toBe('payload_too_large');
      }
    }
    expect((await server.ctx.db.all('SELECT id FROM workspaces')).length).toBe(workspaces);
    // Just under the limit is parsed (and then refused by validation for its size, not by the parser).
    const justUnder = await raw('POST', '/api/workspaces', { ...creds('owner'), body: { name: 'x'.repeat(990_000) } });
    expect(justUnder.status).toBe(400);
    expect(justUnder.body.error.code).toBe('validation_failed');
  });

  const INJECTIONS = [
    "Robert'); DROP TABLE workspaces;--",
    `" OR "1"="1`,
    "' OR 1=1 --",
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    "{{constructor.constructor('alert(1)')()}}",
    '${process.exit(1)}',
    '../../../../etc/passwd',
    '%00%27%22',
    'Ωmega 日本語 العربية עברית 🕵️‍♀️🇱🇻 e\u0301',
    'rtl \u202Eexe.txt\u202C zero\u200Bwidth',
    '__proto__',
    '\\"; \\\\ backslashes \\u0000',
  ];

  it('stores injection strings in every free-text field verbatim and returns them unchanged', async () => {
    const f = await fixture();
    for (const s of INJECTIONS) {
      const created = await raw('POST', '/api/workspaces', { ...creds('owner'), body: { name: s, description: s } });
      expect(created.status, s).toBe(201);
      const got = await alice.get(`/api/workspaces/${created.body.id}`);
      expect(got.body.name, s).toBe(s);
      expect(got.body.description, s).toBe(s);
      const patched = await raw('PATCH', `/api/workspaces/${f.ws}`, { ...creds('owner'), body: { name: s, description: `${s} (patched)` } });
      expect(patched.status, s).toBe(200);
      expect((await alice.get(`/api/workspaces/${f.ws}`)).body).toMatchObject({ name: s, description: `${s} (patched)` });
      const listed = (await alice.get('/api/workspaces')).body.workspaces.find((w: { id: string }) => w.id === created.body.id);
      expect(listed.name).toBe(s);

      const token = await raw('POST', '/api/tokens', { ...creds('owner'), body: { name: s } });
      expect(token.status, s).toBe(201);
      expect((await alice.get('/api/tokens')).body.tokens.find((t: { id: string }) => t.id === token.body.id).name).toBe(s);

      const team = await raw('POST', '/api/teams', { ...creds('operator'), body: { code: `INJ${INJECTIONS.indexOf(s)}`, name: s } });
      expect(team.status, s).toBe(201);
      expect((await alice.get('/api/teams')).body.teams.find((t: { id: string }) => t.id === team.body.id).name).toBe(s);

      const inv = { body: await approvedInvite(alice, f.ws, { role: 'observer', team: 'LV', expiresInHours: 1 }) };
      const guest = new ApiClient(server.url);
      const accepted = await guest.post(`/api/invites/${inv.body.token}/accept`, { username: uniq('inj'), password: 'long enough pass', displayName: s });
      expect(accepted.status, s).toBe(201);
      expect(accepted.body.member.displayName).toBe(s);
      expect((await guest.get('/api/me')).body.account.displayName).toBe(s);
    }
    // The tables the SQL strings aimed at are all still there.
    for (const table of ['workspaces', 'members', 'accounts', 'teams', 'invites', 'audit_log']) {
      expect(await server.ctx.db.get(`SELECT COUNT(*) AS n FROM ${table}`)).toBeDefined();
    }
    // The audit trail kept them as data too.
    const audit = (await alice.get(`/api/workspaces/${f.ws}/audit`)).body.entries as { action: string; detail: { name?: string } }[];
    expect(audit.filter((e) => e.action === 'workspace.updated').map((e) => e.detail.name)).toEqual(expect.arrayContaining(INJECTIONS));
  });

  it('refuses injection strings where the field has a format (usernames, team codes, roles, ids), never with a 500', async () => {
    const f = await fixture();
    await invite(f);
    for (const s of [...INJECTIONS, 'x'.repeat(100_000), ' ', '']) {
      const login = await raw('POST', '/api/auth/login', { body: { username: s, password: s || 'x' } });
      // Public routes take at most 16 KB (http/body.ts): the 100,000-character one is refused unread (413).
      expect([400, 401, 413], `login ${JSON.stringify(s).slice(0, 40)}`).toContain(login.status);
      for (const [method, path, body] of [
        ['POST', `/api/workspaces/${f.ws}/members`, { username: s, role: 'hunter' }],
        ['POST', `/api/workspaces/${f.ws}/members`, { username: 'ben', role: s }],
        ['PATCH', `/api/workspaces/${f.ws}/members`, { username: s, role: 'owner' }],
        ['DELETE', `/api/workspaces/${f.ws}/members`, { username: s }],
        ['POST', '/api/teams', { code: s, name: 'x' }],
        ['POST', `/api/workspaces/${f.ws}/invites`, { role: 'hunter', team: s, expiresInHours: 1 }],
        ['POST', `/api/invites/${f.token}/accept`, { username: s, password: 'long enough pass' }],
      ] as const) {
        const who: Who = path.includes('/accept') ? 'anon' : path === '/api/teams' ? 'operator' : 'owner';
        const res = await raw(method, path, { ...creds(who), body });
        // Failed invite attempts are rate-limited per address, and this test makes dozens of them.
        const allowed = path.includes('/api/invites/') ? [400, 404, 413, 429] : [400, 404];
        expect(allowed, `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`).toContain(res.status);
      }
      // In a path: an id or a token that is an injection string is simply not found.
      const enc = encodeURIComponent(s) || '%20';
      for (const [method, path, who] of [
        ['GET', `/api/workspaces/${enc}`, 'owner'],
        ['GET', `/api/workspaces/${enc}/members`, 'owner'],
        ['PATCH', `/api/workspaces/${enc}`, 'owner'],
        ['DELETE', `/api/tokens/${enc}`, 'owner'],
        ['GET', `/api/invites/${enc}`, 'anon'],
      ] as const) {
        const res = await raw(method, path, { ...creds(who), body: method === 'PATCH' ? { name: 'x' } : undefined });
        const allowed = path.startsWith('/api/invites/') ? [404, 429, 431] : [400, 404, 431];
        expect(allowed, `${method} ${path.slice(0, 60)}`).toContain(res.status);
        if (res.status === 429) expect(res.body.error.code).toBe('rate_limited');
      }
    }
    const members = (await alice.get(`/api/workspaces/${f.ws}/members`)).body.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`);
    expect(members.sort()).toEqual(['alice:owner', 'ben:hunter', 'liga:observer']);
  });

  it('refuses text that cannot be stored and returned unchanged (NUL, lone surrogates) with 400 naming the field', async () => {
    const f = await fixture();
    const before = await server.ctx.db.all('SELECT id, name, description FROM workspaces ORDER BY id');
    for (const [body, field] of [
      ['{"name":"nul\\u0000byte"}', 'name'],
      ['{"name":"ok","description":"lone \\ud800 high"}', 'description'],
      ['{"name":"lone \\udfff low"}', 'name'],
      ['{"name":"reversed \\udc00\\ud800 pair"}', 'name'],
      ['{"name":"ok","tags":[["deep","\\u0000"]]}', 'tags.0.1'],
      ['{"name":"ok","bad\\u0000key":1}', 'bad\u0000key'],
    ] as const) {
      for (const [method, path] of [
        ['POST', '/api/workspaces'],
        ['PATCH', `/api/workspaces/${f.ws}`],
      ] as const) {
        const res = await raw(method, path, { ...creds('owner'), body });
        expect(res.status, `${method} ${body}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.fields).toHaveProperty([field]);
      }
    }
    // Well-formed astral characters (surrogate pairs) are fine.
    const ok = await raw('POST', '/api/workspaces', { ...creds('owner'), body: '{"name":"pair \\ud83d\\udd75 ok"}' });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('pair 🕵 ok');
    await alice.delete(`/api/workspaces/${ok.body.id}`);
    expect(await server.ctx.db.all('SELECT id, name, description FROM workspaces ORDER BY id')).toEqual(before);
  });

  it('deeply nested or wide JSON bodies are refused cleanly', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const wide = JSON.stringify({ name: 'wide', ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])) });
    const nestedObj = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    for (const body of [deep, nestedObj]) {
      const res = await raw('POST', '/api/workspaces', { ...creds('owner'), body });
      expect(res.status).toBe(400);
    }
    const res = await raw('POST', '/api/workspaces', { ...creds('owner'), body: wide });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).not.toContain('k1');
  });

  it('a JSON body with __proto__ / constructor keys neither pollutes nor grants anything', async () => {
    const f = await fixture();
    const res = await raw('POST', `/api/workspaces/${f.ws}/members`, {
      ...creds('hunter'),
      body: '{"username":"liga","role":"owner","__proto__":{"role":"owner","isOwner":true},"constructor":{"prototype":{"admin":true}}}',
    });
    expect(res.status).toBe(403);
    const created = await raw('POST', '/api/workspaces', { ...creds('owner'), body: '{"name":"proto","__proto__":{"role":"observer","defaultTlp":"RED"}}' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'proto', role: 'owner', defaultTlp: 'AMBER' });
    expect(({} as Record<string, unknown>).isOwner).toBeUndefined();
  });

  it('refuses every cookie-authenticated state change with a bad CSRF token (403 csrf_failed)', async () => {
    const f = await fixture();
    await invite(f);
    const { tokenId } = { tokenId: (await alice.post('/api/tokens', { name: 'csrf row' })).body.id as string };
    f.tokenId = tokenId;
    const changes = ROWS.filter((r) => r.method !== 'GET');
    expect(changes.length).toBeGreaterThanOrEqual(15);
    for (const row of changes) {
      for (const bad of ['wrong', alice.csrfToken!.slice(0, -1), `${alice.csrfToken}x`, ben.csrfToken!]) {
        const res = await raw(row.method, row.path(f), { cookie: alice.cookie, csrf: bad, body: row.body?.(f, 'owner') });
        expect(res.status, `${row.method} ${row.route}`).toBe(403);
        expect(res.body.error.code).toBe('csrf_failed');
      }
    }
    const members = (await alice.get(`/api/workspaces/${f.ws}/members`)).body.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`);
    expect(members.sort()).toEqual(['alice:owner', 'ben:hunter', 'liga:observer']);
    expect((await alice.get('/api/tokens')).body.tokens.map((t: { id: string }) => t.id)).toContain(tokenId);
    expect((await alice.get('/api/me')).status).toBe(200);
  });

  it('never answered 500 to anything in this file', () => {
    expect(statuses.length).toBeGreaterThan(500);
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
  });
});
