/**
 * Shared workspaces across two real instances (issue 20 item 3, server/src/federation/shares.ts): the
 * operators' `federation offer` and `federation accept`, the replica workspace and its members on the
 * peer, the remote accounts with capped roles at the home, and what a hostile peer cannot do with the
 * share messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, eventually } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, sharesOn, startNation, teamIdOn, type Nation } from '../helpers/federation.js';
import type { ApiClient } from '../helpers/http.js';

const auditActions = async (node: Nation): Promise<string[]> =>
  (await node.ctx.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'federation.%' ORDER BY id")).map((r) => r.action);

describe('shared workspaces between two instances', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let ws: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Amber Lynx');
  }, 60_000);
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('offers over the link, and the accepting operator chooses which of its users join', async () => {
    const offerId = await shareWorkspace(us, lv, ws, { role: 'hunter', members: ['liga'] });
    expect(offerId).toMatch(/^[\w-]{8,}$/);

    const liga = await loginOn(lv, 'liga');
    const list = await liga.get<{ workspaces: { id: string; name: string; role: string }[] }>('/api/workspaces');
    expect(list.body.workspaces.find((w) => w.id === ws)).toMatchObject({ name: 'Operation Amber Lynx', role: 'hunter' });
    const lauris = await loginOn(lv, 'lauris');
    expect((await lauris.get<{ workspaces: { id: string }[] }>('/api/workspaces')).body.workspaces.some((w) => w.id === ws)).toBe(false);

    // At the home, liga is a remote account with her home's id, in her home's team, as a hunter.
    const members = await alice.get<{ members: { username: string; role: string; team: { code: string } }[] }>(`/api/workspaces/${ws}/members`);
    expect(members.status).toBe(200);
    expect(members.body.members.map((m) => [m.username, m.role, m.team.code])).toEqual(expect.arrayContaining([['liga@lv-cert', 'hunter', 'LV']]));
    const ligaId = (await lv.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'liga'"))?.id;
    expect(await us.ctx.db.get<{ id: string; home_link: string }>("SELECT id, home_link FROM accounts WHERE username = 'liga@lv-cert'")).toEqual({
      id: ligaId,
      home_link: 'lv-cert',
    });
    // A remote account cannot log in at the home.
    await expect(loginOn(us, 'liga@lv-cert')).rejects.toThrow(/login liga@lv-cert failed: 4\d\d/);

    expect(await auditActions(us)).toEqual(expect.arrayContaining(['federation.offered', 'federation.share.active']));
    expect(await auditActions(lv)).toEqual(expect.arrayContaining(['federation.offer.received', 'federation.accepted']));
  });

  it('refuses what an operator should not do, with a sentence, and changes nothing', async () => {
    const before = await sharesOn(us);
    await expect(cli(us, 'federation', 'offer', '--workspace', ws, '--link', 'lv-cert')).rejects.toThrow(/already shared with lv-cert/);
    await expect(cli(lv, 'federation', 'offer', '--workspace', ws, '--link', 'us-cert')).rejects.toThrow(/is a replica of another instance's/);
    await expect(cli(us, 'federation', 'offer', '--workspace', 'no-such-workspace', '--link', 'lv-cert')).rejects.toThrow(/no workspace no-such-workspace/);
    await expect(cli(us, 'federation', 'offer', '--workspace', ws, '--link', 'ee-cert')).rejects.toThrow(/no link named ee-cert/);
    const other = await makeWorkspace(alice, 'Operation Grey Heron');
    await expect(cli(us, 'federation', 'offer', '--workspace', other, '--link', 'lv-cert', '--role', 'owner')).rejects.toThrow(/--role: hunter or observer/);
    await expect(cli(lv, 'federation', 'accept', '--offer', 'not-an-offer', '--link', 'us-cert')).rejects.toThrow(/no offer not-an-offer from us-cert here/);
    expect(await sharesOn(us)).toEqual(before);

    const offerId = (await cli(us, 'federation', 'offer', '--workspace', other, '--link', 'lv-cert', '--role', 'observer')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
    await expect(cli(lv, 'federation', 'accept', '--offer', offerId, '--link', 'us-cert', '--members', 'liga,alice')).rejects.toThrow(
      /alice is not a user of the teams this offer is for/,
    );
    expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered');
    expect(await lv.ctx.db.get('SELECT id FROM workspaces WHERE id = ?', [other])).toBeUndefined();
  });

  it('caps the roles a hostile peer claims and refuses members of teams it does not speak for', async () => {
    const third = await makeWorkspace(alice, 'Operation Red Kite');
    const offerId = (await cli(us, 'federation', 'offer', '--workspace', third, '--link', 'lv-cert', '--role', 'observer')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
    const bus = lv.ctx.federation!;
    const usTeam = (await teamIdOn(lv, 'US'))!;
    const lvTeam = (await teamIdOn(lv, 'LV'))!;
    const adamId = (await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'adam'"))!.id;
    // Claims a member of the US team (a team lv-cert does not speak for): refused as a whole.
    await lv.ctx.db.transaction((tx) =>
      bus.enqueue(tx, 'us-cert', 'share.accepted', { offerId, members: [{ id: adamId, username: 'adam', displayName: 'Adam', teamId: usTeam, role: 'hunter' }] }),
    );
    bus.flush('us-cert');
    await eventually(async () => expect(await auditActions(us)).toContain('federation.refused'), 20_000);
    expect((await sharesOn(us)).find((s) => s.offerId === offerId)?.state).toBe('offered');
    // Adam (a US user at his own home) was not made a member by the peer's claim.
    expect(await us.ctx.db.get('SELECT account_id FROM members WHERE workspace_id = ? AND account_id = ?', [third, adamId])).toBeUndefined();

    // Claims more than the offer allows: the member is recorded with the offer's role.
    await lv.ctx.db.transaction((tx) =>
      bus.enqueue(tx, 'us-cert', 'share.accepted', { offerId, members: [{ id: 'lauris-id-0001', username: 'lauris', displayName: 'Lauris', teamId: lvTeam, role: 'hunter' }] }),
    );
    bus.flush('us-cert');
    await eventually(async () => expect((await sharesOn(us)).find((s) => s.offerId === offerId)?.state).toBe('active'), 20_000);
    expect(await us.ctx.db.get('SELECT role FROM members WHERE workspace_id = ? AND account_id = ?', [third, 'lauris-id-0001'])).toEqual({ role: 'observer' });
  });
});
