/**
 * Federation's REST for the admin screen (server/src/federation/routes.ts), on two real instances: who
 * may call each route (anonymous 401; hunter, observer, guest and another team's admin 403; the right
 * role 200), that the link the US site admin adds in the screen comes up, that an owner's offer reaches
 * LV and LV's team admin accepts it for chosen members, and that bad input is refused with a sentence
 * and changes nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, loginOn, NATION_PASSWORD, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { ApiClient, type ApiResponse } from '../helpers/http.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');

/** A user of `team` on `node`, made as the operator makes one. */
async function addUser(node: Nation, username: string, team: string): Promise<void> {
  await runCommand(node.ctx.db, ['user', 'add', '--username', username, '--team', team, '--password-stdin'], {
    stdin: Readable.from([`${NATION_PASSWORD}\n`]),
    stdout: new PassThrough(),
  });
}

const freshKey = (): string => `ed25519:${generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!}`;

/** Every federation row and audit row, to prove a refused request changed nothing. */
async function snapshot(node: Nation): Promise<unknown> {
  const db = node.ctx.db;
  return {
    links: await db.all('SELECT name, url, public_key, teams, state FROM federation_links ORDER BY name'),
    shares: await db.all('SELECT offer_id, state FROM federation_shares ORDER BY offer_id'),
    workspaces: await db.all('SELECT id FROM workspaces ORDER BY id'),
    members: await db.all('SELECT workspace_id, account_id, role FROM members ORDER BY workspace_id, account_id'),
    audit: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))?.n,
  };
}

const sentence = (res: ApiResponse) => {
  expect(typeof res.body?.error?.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(10);
  return res.body.error.message as string;
};

describe('federation routes', () => {
  let us: Nation;
  let lv: Nation;
  const anon = {} as { us: ApiClient; lv: ApiClient };
  let sam: ApiClient; // US site admin
  let alice: ApiClient; // US team admin, owner of the workspace
  let adam: ApiClient; // hunter in it
  let olga: ApiClient; // observer in it
  let gus: ApiClient; // guest in it
  let xena: ApiClient; // admin of another US team
  /** Everyone signed in at us-cert who is not its operator: each must get 403 on a site-admin route. */
  const notSiteAdmins = () =>
    [
      ['alice (team admin)', alice],
      ['adam (hunter)', adam],
      ['olga (observer)', olga],
      ['gus (guest)', gus],
      ['xena (other team admin)', xena],
    ] as const;
  let liga: ApiClient; // LV team admin
  let lauris: ApiClient; // LV user, no admin
  let lina: ApiClient; // admin of another LV team
  let ws: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam', 'olga', 'gus', 'sam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await cli(us, 'user', 'site-admin', '--username', 'sam', '--on');
    await cli(us, 'team', 'add', '--code', 'XX', '--name', 'Team XX');
    await addUser(us, 'xena', 'XX');
    await cli(us, 'team', 'admin', 'add', '--team', 'XX', '--username', 'xena');
    await cli(lv, 'team', 'add', '--code', 'LT', '--name', 'Team LT');
    await addUser(lv, 'lina', 'LT');
    await cli(lv, 'team', 'admin', 'add', '--team', 'LT', '--username', 'lina');
    [sam, alice, adam, olga, gus, xena, liga, lauris, lina] = await Promise.all([
      loginOn(us, 'sam'),
      loginOn(us, 'alice'),
      loginOn(us, 'adam'),
      loginOn(us, 'olga'),
      loginOn(us, 'gus'),
      loginOn(us, 'xena'),
      loginOn(lv, 'liga'),
      loginOn(lv, 'lauris'),
      loginOn(lv, 'lina'),
    ]);
    anon.us = new ApiClient(us.url);
    anon.lv = new ApiClient(lv.url);
    ws = await makeWorkspace(alice, 'Operation Silver Birch');
    await addMember(alice, ws, 'adam', 'hunter');
    await addMember(alice, ws, 'olga', 'observer');
    const gusId = (await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'gus'"))!.id;
    await us.ctx.db.run("INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, 'guest', ?)", [ws, gusId, new Date().toISOString()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('the site admin adds the link in the screen; it comes up once LV adds it too', async () => {
    const identity = await sam.get('/api/federation/identity');
    expect(identity.status).toBe(200);
    expect(identity.body.identity).toEqual({ name: 'us-cert', url: us.url, publicKey: us.publicKey });

    const added = await sam.post('/api/federation/links', { name: 'lv-cert', url: lv.url, teams: ['LV'], key: lv.publicKey });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'lv-cert', teams: ['LV'], state: 'active', up: false });
    await cli(lv, 'federation', 'link', 'add', '--name', 'us-cert', '--url', us.url, '--teams', 'US', '--key', us.publicKey);
    await eventually(async () => {
      const links = await sam.get<{ links: { name: string; up: boolean; lastConnectedAt: string | null }[] }>('/api/federation/links');
      expect(links.body.links.find((l) => l.name === 'lv-cert')).toMatchObject({ up: true, lastConnectedAt: expect.any(String) });
      expect(await lv.ctx.db.get("SELECT id FROM teams WHERE code = 'US'")).toBeTruthy();
      expect(await us.ctx.db.get("SELECT id FROM teams WHERE code = 'LV'")).toBeTruthy();
    }, 30_000);
    const audit = await us.ctx.db.get<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM audit_log WHERE action = 'federation.link.added'");
    expect(JSON.parse(audit!.detail)).toMatchObject({ name: 'lv-cert', via: 'admin screen' });
    expect(audit!.actor_id).toBe((await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'sam'"))!.id);
  });

  it('site-admin routes: anonymous 401, everyone else 403, the site admin 200', async () => {
    // A second link to act on, so the live one stays up.
    const dummyKey = freshKey();
    expect((await sam.post('/api/federation/links', { name: 'ee-cert', url: 'https://ee.example.org', teams: 'EE', key: dummyKey })).status).toBe(201);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/federation/identity'],
      ['GET', '/api/federation/links'],
      ['POST', '/api/federation/links', { name: 'fi-cert', url: 'https://fi.example.org', teams: 'FI', key: freshKey() }],
      ['POST', '/api/federation/links/ee-cert/suspend', {}],
      ['POST', '/api/federation/links/ee-cert/resume', {}],
      ['POST', '/api/federation/links/ee-cert/rotate', { key: freshKey() }],
      ['DELETE', '/api/federation/links/ee-cert'],
    ];
    const before = await snapshot(us);
    for (const [method, path, body] of routes) {
      expect((await anon.us.request(method, path, body)).status, `anonymous ${method} ${path}`).toBe(401);
      for (const [who, client] of notSiteAdmins()) {
        const res = await client.request(method, path, body);
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
        expect(sentence(res)).toMatch(/site admin/);
      }
    }
    expect(await snapshot(us)).toEqual(before);
    for (const [method, path, body] of routes) {
      const res = await sam.request(method, path, body);
      expect(res.status, `sam ${method} ${path}: ${JSON.stringify(res.body)}`).toBe(method === 'POST' && path === '/api/federation/links' ? 201 : 200);
    }
    const links = (await sam.get<{ links: { name: string }[] }>('/api/federation/links')).body.links.map((l) => l.name);
    expect(links).toEqual(['fi-cert', 'lv-cert']);
    const actions = await us.ctx.db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action LIKE 'federation.link.%' ORDER BY id");
    expect(actions.map((a) => a.action)).toEqual([
      'federation.link.added',
      'federation.link.added',
      'federation.link.added',
      'federation.link.suspended',
      'federation.link.resumed',
      'federation.link.rotated',
      'federation.link.removed',
    ]);
    expect(actions.every((a) => (JSON.parse(a.detail) as { via: string }).via === 'admin screen')).toBe(true);
    expect((await sam.delete('/api/federation/links/fi-cert')).status).toBe(200);
  });

  it('refuses bad link input with a sentence and changes nothing', async () => {
    const before = await snapshot(us);
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/api/federation/links', { name: 'Bad Name!', url: 'https://x.example.org', teams: 'XY', key: freshKey() }, 400, /name: use 2-40 lowercase/],
      ['POST', '/api/federation/links', { name: 'xy-cert', url: 'ftp://x.example.org', teams: 'XY', key: freshKey() }, 400, /url: must start with https/],
      ['POST', '/api/federation/links', { name: 'xy-cert', url: 'https://x.example.org', teams: 'US', key: freshKey() }, 400, /US is a team of this instance/],
      ['POST', '/api/federation/links', { name: 'xy-cert', url: 'https://x.example.org', teams: 'XY', key: 'not-a-key' }, 400, /key: a peer key starts with "ed25519:"/],
      ['POST', '/api/federation/links', { name: 'xy-cert', url: 'https://x.example.org', teams: 'XY', key: us.publicKey }, 400, /this instance's own key/],
      ['POST', '/api/federation/links', { name: 'lv-cert', url: 'https://x.example.org', teams: 'XY', key: freshKey() }, 409, /exists already/],
      ['POST', '/api/federation/links', { name: 'xy-cert', url: 42 }, 400, /Invalid input/],
      ['POST', '/api/federation/links/no-such/suspend', {}, 404, /no link named no-such/],
      ['POST', '/api/federation/links/lv-cert/rotate', { key: lv.publicKey }, 409, /has that key already/],
      ['POST', '/api/federation/links/lv-cert/rotate', {}, 400, /Invalid input/],
      ['DELETE', '/api/federation/links/no-such', undefined, 404, /no link named no-such/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await sam.request(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(sentence(res)).toMatch(message);
    }
    expect(await snapshot(us)).toEqual(before);
    expect(us.ctx.federation?.isUp('lv-cert')).toBe(true);
  });

  it('owner routes: the owner offers and lists shares; the others are refused', async () => {
    const offers = `/api/workspaces/${ws}/federation/offers`;
    const shares = `/api/workspaces/${ws}/federation/shares`;
    const before = await snapshot(us);
    for (const [method, path, body] of [
      ['GET', shares, undefined],
      ['POST', offers, { link: 'lv-cert', role: 'hunter' }],
    ] as const) {
      expect((await anon.us.request(method, path, body)).status).toBe(401);
      for (const [who, client] of [
        ['adam (hunter)', adam],
        ['olga (observer)', olga],
        ['gus (guest)', gus],
      ] as const) {
        const res = await client.request(method, path, body);
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
        expect(sentence(res)).toMatch(/only owners/);
      }
      // Not a member: the workspace is not shown to exist (as every workspace route does).
      for (const client of [xena, sam]) expect((await client.request(method, path, body)).status).toBe(404);
    }
    // Bad input from the owner.
    for (const [body, status, message] of [
      [{ link: 'lv-cert', role: 'owner' }, 400, /hunter or observer/],
      [{ role: 'hunter' }, 400, /Invalid input \(link/],
      [{ link: 'no-such', role: 'hunter' }, 404, /no link named no-such/],
    ] as const) {
      const res = await alice.post(offers, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(sentence(res)).toMatch(message);
    }
    expect(await snapshot(us)).toEqual(before);

    const listed = await alice.get(shares);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ shares: [], links: [{ name: 'lv-cert', teams: ['LV'], state: 'active', up: true }] });
    const offered = await alice.post(offers, { link: 'lv-cert', role: 'observer' });
    expect(offered.status, JSON.stringify(offered.body)).toBe(201);
    expect(offered.body).toMatchObject({ workspaceId: ws, link: 'lv-cert', home: 'here', role: 'observer', state: 'offered', teams: ['LV'] });
    const again = await alice.post(offers, { link: 'lv-cert', role: 'hunter' });
    expect(again.status).toBe(409);
    expect(sentence(again)).toMatch(/already offered to lv-cert/);
    expect((await alice.get(shares)).body.shares).toEqual([expect.objectContaining({ offerId: offered.body.offerId, state: 'offered' })]);
  });

  it('team-admin routes at LV: the offer waits for LV admins only; liga accepts it for the members she chooses', async () => {
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.workspaceId === ws)?.state).toBe('offered'), 30_000);
    const offerId = (await sharesOn(lv)).find((s) => s.workspaceId === ws)!.offerId;
    const accept = `/api/federation/offers/${offerId}/accept`;

    expect((await anon.lv.get('/api/federation/offers')).status).toBe(401);
    expect((await anon.lv.post(accept, {})).status).toBe(401);
    const notAdmin = await lauris.get('/api/federation/offers');
    expect(notAdmin.status).toBe(403);
    expect(sentence(notAdmin)).toMatch(/only team admins/);
    expect((await lauris.post(accept, {})).status).toBe(403);
    // Another team's admin sees nothing waiting and may not accept.
    const other = await lina.get('/api/federation/offers');
    expect(other.status).toBe(200);
    expect(other.body.offers).toEqual([]);
    const otherAccept = await lina.post(accept, {});
    expect(otherAccept.status).toBe(403);
    expect(sentence(otherAccept)).toMatch(/not for a team you administer/);

    const waiting = await liga.get('/api/federation/offers');
    expect(waiting.status).toBe(200);
    expect(waiting.body.offers).toEqual([
      expect.objectContaining({
        offerId,
        workspaceId: ws,
        workspaceName: 'Operation Silver Birch',
        link: 'us-cert',
        role: 'observer',
        teams: ['LV'],
        candidates: [
          { username: 'lauris', displayName: expect.any(String), teamCode: 'LV' },
          { username: 'liga', displayName: expect.any(String), teamCode: 'LV' },
        ],
      }),
    ]);

    const before = await snapshot(lv);
    for (const [path, body, status, message] of [
      [accept, { members: ['lina'] }, 400, /members: lina is not a user of the teams/],
      [accept, { members: [] }, 400, /choose at least one member/],
      [accept, { members: 'liga' }, 400, /Invalid input/],
      ['/api/federation/offers/no-such-offer/accept', {}, 404, /no offer no-such-offer/],
    ] as const) {
      const res = await liga.post(path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(sentence(res)).toMatch(message);
    }
    expect(await snapshot(lv)).toEqual(before);

    const accepted = await liga.post(accept, { members: ['liga'] });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ offerId, state: 'active', members: ['liga'] });
    const list = await liga.get<{ workspaces: { id: string; role: string }[] }>('/api/workspaces');
    expect(list.body.workspaces.find((w) => w.id === ws)).toMatchObject({ role: 'observer' });
    expect((await lauris.get<{ workspaces: { id: string }[] }>('/api/workspaces')).body.workspaces.some((w) => w.id === ws)).toBe(false);
    const twice = await liga.post(accept, {});
    expect(twice.status).toBe(404);
    expect(sentence(twice)).toMatch(/already accepted/);
    expect((await liga.get('/api/federation/offers')).body.offers).toEqual([]);

    // The home sees the share active, with liga as a remote observer.
    await eventually(async () => {
      const shares = await alice.get(`/api/workspaces/${ws}/federation/shares`);
      expect(shares.body.shares).toEqual([expect.objectContaining({ offerId, state: 'active' })]);
    }, 30_000);
    const members = await alice.get<{ members: { username: string; role: string }[] }>(`/api/workspaces/${ws}/members`);
    expect(members.body.members).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'liga@lv-cert', role: 'observer' })]));
    const audit = await lv.ctx.db.get<{ actor_id: string }>("SELECT actor_id FROM audit_log WHERE action = 'federation.accepted'");
    expect(audit?.actor_id).toBe((await lv.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'liga'"))!.id);
  });

  it("rotating this instance's key: anonymous 401, everyone but the site admin 403; the site admin gets the new key, audited", async () => {
    const rotate = '/api/federation/identity/rotate';
    const keyBefore = async () => (await us.ctx.db.get<{ public_key: string; private_key: string }>('SELECT public_key, private_key FROM federation_identity'))!;
    // Not the whole snapshot: the share accepted just before still writes its crossings' audit rows.
    const before = { identity: await keyBefore() };
    const rotations = async () => (await us.ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.identity.rotated'"))!.n;
    expect((await anon.us.request('POST', rotate, {})).status).toBe(401);
    for (const [who, client] of notSiteAdmins()) {
      const res = await client.request('POST', rotate, {});
      expect(res.status, who).toBe(403);
      expect(sentence(res)).toMatch(/site admin/);
    }
    expect({ identity: await keyBefore() }).toEqual(before);
    expect(await rotations()).toBe(0);

    const res = await sam.post<{ identity: { name: string; publicKey: string } }>(rotate, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.identity.name).toBe('us-cert');
    expect(res.body.identity.publicKey).not.toBe(before.identity.public_key);
    expect(await keyBefore()).toMatchObject({ public_key: res.body.identity.publicKey });
    expect((await keyBefore()).private_key).not.toBe(before.identity.private_key);
    expect((await sam.get<{ identity: { publicKey: string } }>('/api/federation/identity')).body.identity.publicKey).toBe(res.body.identity.publicKey);
    const audit = await us.ctx.db.get<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM audit_log WHERE action = 'federation.identity.rotated'");
    expect(JSON.parse(audit!.detail)).toMatchObject({ from: before.identity.public_key, to: res.body.identity.publicKey, via: 'admin screen' });
    expect(audit!.actor_id).toBe((await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'sam'"))!.id);
  });
});
