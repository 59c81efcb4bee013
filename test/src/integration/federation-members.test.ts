/**
 * Remote accounts in a workspace's members (issue 20, server/src/federation/members.ts), on two real
 * instances: at the workspace's home the owner changes a remote member's role within what the share
 * allows, removes and re-adds it; every other caller is refused as for a local member (anonymous 401,
 * non-member 404, hunter and observer 403), and each bad request (an unknown `name@instance`, a role
 * above the share's, a workspace not shared with that instance, a malformed name, a replica's local
 * hunter) is refused with a sentence and changes nothing. A foreign team is marked in `GET /api/teams`
 * and an invite into it is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, eventually, makeWorkspace } from '../helpers/foundation.js';
import { linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { ApiClient, type ApiResponse } from '../helpers/http.js';

/**
 * The members and invites of every workspace, and the audit count: a refused request changes none. The
 * link's own audit rows (`federation.*`: crossings, acknowledged member changes) are left out: the
 * changes the test before made still cross meanwhile, and no refused request here writes one.
 */
async function snapshot(node: Nation): Promise<unknown> {
  const db = node.ctx.db;
  return {
    members: await db.all('SELECT workspace_id, account_id, role FROM members ORDER BY workspace_id, account_id'),
    invites: await db.all('SELECT id FROM invites ORDER BY id'),
    audit: (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action NOT LIKE 'federation.%'"))?.n,
  };
}

const sentence = (res: ApiResponse): string => {
  expect(typeof res.body?.error?.message, JSON.stringify(res.body)).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(10);
  return res.body.error.message as string;
};

describe('remote accounts in workspace members', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient; // owner of ws at us-cert (its home)
  let adam: ApiClient; // hunter in ws
  let olga: ApiClient; // observer in ws
  let xena: ApiClient; // us-cert user, not a member
  let liga: ApiClient; // lv-cert, hunter of the replica until the home removes her
  let lauris: ApiClient; // lv-cert, hunter of the replica (stays one)
  let ws: string;
  let unshared: string;

  const roleAtHome = async (username: string): Promise<string | undefined> => {
    const res = await alice.get<{ members: { username: string; role: string }[] }>(`/api/workspaces/${ws}/members`);
    return res.body.members.find((m) => m.username === username)?.role;
  };

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam', 'olga', 'xena']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    [alice, adam, olga, xena] = await Promise.all([loginOn(us, 'alice'), loginOn(us, 'adam'), loginOn(us, 'olga'), loginOn(us, 'xena')]);
    ws = await makeWorkspace(alice, 'Operation Linden Gate');
    unshared = await makeWorkspace(alice, 'Operation Kept Home');
    await addMember(alice, ws, 'adam', 'hunter');
    await addMember(alice, ws, 'olga', 'observer');
    await shareWorkspace(us, lv, ws, { role: 'hunter', members: ['liga', 'lauris'] });
    [liga, lauris] = await Promise.all([loginOn(lv, 'liga'), loginOn(lv, 'lauris')]);
    await eventually(async () => expect(await roleAtHome('liga@lv-cert')).toBe('hunter'), 20_000);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it("the home's owner changes a remote member's role within the share, removes and re-adds it", async () => {
    const path = `/api/workspaces/${ws}/members/liga@lv-cert`;
    const down = await alice.patch(path, { role: 'observer' });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect(down.body).toMatchObject({ username: 'liga@lv-cert', role: 'observer' });
    expect(await roleAtHome('liga@lv-cert')).toBe('observer');
    // The home authorizes liga's changes with that role: her edit from lv-cert is refused there.
    const made = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'linden-gate.example', tlp: 'GREEN' });
    expect(made.status).toBe(201);
    const id = made.body.indicator.id;
    await eventually(async () => expect((await liga.get(`/api/workspaces/${ws}/indicators/${id}`)).status).toBe(200), 20_000);
    const edit = await liga.patch(`/api/workspaces/${ws}/indicators/${id}`, { confidence: 12 });
    expect(edit.status, JSON.stringify(edit.body)).toBe(403);

    expect((await alice.patch(path, { role: 'hunter' })).status).toBe(200);
    expect((await alice.delete(path)).status).toBe(200);
    expect(await roleAtHome('liga@lv-cert')).toBeUndefined();
    // lv-cert applied the removal to its replica (memberChanges.ts); adding her again at home gives her a
    // role there, not back her membership of the replica (lv-cert's team admin decides that).
    await eventually(async () => expect((await liga.get(`/api/workspaces/${ws}`)).status).toBe(404), 20_000);
    const again = await alice.post(`/api/workspaces/${ws}/members`, { username: 'Liga@LV-CERT', role: 'observer' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await roleAtHome('liga@lv-cert')).toBe('observer');
    expect((await alice.patch(path, { role: 'hunter' })).status).toBe(200);
  }, 60_000);

  it('refuses other callers as for a local member, and bad requests with a sentence, changing nothing', async () => {
    const before = await snapshot(us);
    const anon = new ApiClient(us.url);
    const members = `/api/workspaces/${ws}/members`;
    const one = `${members}/liga@lv-cert`;
    const calls: [string, ApiClient, string, string, unknown, number, RegExp?][] = [
      ['anonymous', anon, 'PATCH', one, { role: 'observer' }, 401],
      ['a non-member', xena, 'PATCH', one, { role: 'observer' }, 404],
      ['a hunter', adam, 'PATCH', one, { role: 'observer' }, 403],
      ['an observer', olga, 'DELETE', one, undefined, 403],
      ['a hunter adding', adam, 'POST', members, { username: 'liga@lv-cert', role: 'observer' }, 403],
      ['a role above the share', alice, 'PATCH', one, { role: 'owner' }, 400, /at most the role hunter/],
      ['a user lv-cert never named', alice, 'POST', members, { username: 'laila@lv-cert', role: 'observer' }, 404, /laila@lv-cert.*accepts a share/],
      ['an instance with no link', alice, 'POST', members, { username: 'ben@ca-cert', role: 'observer' }, 404, /no account named ben@ca-cert/],
      ['a workspace not shared with lv-cert', alice, 'POST', `/api/workspaces/${unshared}/members`, { username: 'liga@lv-cert', role: 'observer' }, 409, /not shared with lv-cert/],
      ['a malformed name', alice, 'POST', members, { username: 'liga@@lv-cert', role: 'observer' }, 400],
      ['an empty instance', alice, 'POST', members, { username: 'liga@', role: 'observer' }, 400],
      ['already a member', alice, 'POST', members, { username: 'liga@lv-cert', role: 'observer' }, 409, /already a member/],
    ];
    for (const [who, client, method, path, body, status, words] of calls) {
      const res = await client.request(method, path, body);
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBe(status);
      if (words) expect(sentence(res), who).toMatch(words);
    }
    expect(await snapshot(us)).toEqual(before);

    // On lv-cert the replica's members are not lauris's to manage (he is a hunter there; the owner is at home).
    const lvBefore = await snapshot(lv);
    const atReplica = await lauris.post(`/api/workspaces/${ws}/members`, { username: 'alice@us-cert', role: 'observer' });
    expect(atReplica.status).toBe(403);
    const ligaBack = await lauris.post(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'hunter' });
    expect(ligaBack.status).toBe(403);
    expect(await snapshot(lv)).toEqual(lvBefore);
  }, 60_000);

  it('marks a foreign team in the team list and refuses an invite into it', async () => {
    const teams = await alice.get<{ teams: { code: string; instance?: string }[] }>('/api/teams');
    expect(teams.body.teams.find((t) => t.code === 'LV')).toMatchObject({ instance: 'lv-cert' });
    expect(teams.body.teams.find((t) => t.code === 'US')?.instance).toBeUndefined();
    const before = await snapshot(us);
    const invite = await alice.post(`/api/workspaces/${ws}/invites`, { role: 'observer', team: 'LV', expiresInHours: 24 });
    expect(invite.status).toBe(400);
    expect(sentence(invite)).toMatch(/LV is a team of lv-cert.*share/);
    expect(await snapshot(us)).toEqual(before);
    // An invite into its own team still works.
    expect((await alice.post(`/api/workspaces/${ws}/invites`, { role: 'observer', team: 'US', expiresInHours: 24 })).status).toBe(201);
  }, 60_000);
});
