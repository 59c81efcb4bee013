/**
 * A member change at a workspace's home told to the peer (server/src/federation/memberChanges.ts), on two
 * real instances. us-cert is the home of a workspace shared with lv-cert for liga and lars (hunters).
 * The home's owner lowers lars to observer and removes liga: lv-cert applies both to its replica at once
 * (lars capped, liga's membership gone, her socket told and her access closed, nothing new reaching her
 * frames), audited on both sides. Then us-cert's bus stands in for a hostile home: a change to a
 * workspace not shared with it, to a user of a team the share is not for, to one of its own accounts
 * held at lv-cert, a role above the share's and a raise of lars are refused or ignored, audited, and
 * change nothing at lv-cert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count as countRows, dataBytes } from '../helpers/federationData.js';
import { rawSocket } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, type Client } from './indicators-helpers.js';

const count = async (node: Nation, action: string): Promise<number> =>
  Number((await node.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?', [action]))?.n ?? 0);
const idOf = async (node: Nation, username: string): Promise<string> => (await node.ctx.db.get<{ id: string }>('SELECT id FROM accounts WHERE username = ?', [username]))!.id;
const roleOn = async (node: Nation, ws: string, username: string): Promise<string | undefined> =>
  (await node.ctx.db.get<{ role: string }>('SELECT m.role FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ? AND a.username = ?', [ws, username]))
    ?.role;

describe('member changes at the home reach the replica', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let liga: Client | undefined;
  let lars: Client | undefined;
  let ws: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga', 'lars', 'lena'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Changing Crew');
    await shareWorkspace(us, lv, ws, { role: 'hunter', members: ['liga', 'lars'] });
    await eventually(async () => expect(await roleOn(us, ws, 'lars@lv-cert')).toBe('hunter'), 20_000);
    liga = await connect(lv.url, await loginOn(lv, 'liga'), ws);
    lars = await connect(lv.url, await loginOn(lv, 'lars'), ws);
  }, 90_000);
  afterAll(async () => {
    liga?.close();
    lars?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it("a remote member's role lowered and a remote member removed at the home are applied to the replica at once", async () => {
    // A note shared with LV, open in an editor of each of them on lv-cert.
    const note = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title: 'Crew notes', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    await eventually(async () => expect(await countRows(lv, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [note.body.id])).toBe(1), 20_000);
    const larsEditor = rawSocket(lv, note.body.id, lars!.api.cookie);
    const ligaEditor = rawSocket(lv, note.body.id, liga!.api.cookie);
    await Promise.all([larsEditor.opened, ligaEditor.opened]);

    const down = await alice.patch(`/api/workspaces/${ws}/members/lars@lv-cert`, { role: 'observer' });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    await eventually(async () => expect(await roleOn(lv, ws, 'lars')).toBe('observer'), 20_000);
    // His editor holds the role it opened with: closed so it reconnects with the new one.
    expect((await larsEditor.closed).code).toBe(4509);
    // lars's edits are now refused at lv-cert itself, as for a local observer.
    const larsApi = lars!.api;
    const made = await larsApi.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'observer-now.example', tlp: 'GREEN' });
    expect(made.status, JSON.stringify(made.body)).toBe(403);

    const out = await alice.delete(`/api/workspaces/${ws}/members/liga@lv-cert`);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    await eventually(async () => expect(await roleOn(lv, ws, 'liga')).toBeUndefined(), 20_000);
    expect((await ligaEditor.closed).code).toBe(4403);
    await expect(rawSocket(lv, note.body.id, liga!.api.cookie).opened).rejects.toThrow(/refused 4\d\d/);
    // Her socket was told, and the workspace is gone for her there.
    await eventually(() => expect(liga!.raw.join('\n')).toContain('workspace:revoked'), 20_000);
    expect((await liga!.api.get(`/api/workspaces/${ws}`)).status).toBe(404);
    // Audited on both sides.
    expect(await count(us, 'federation.member.sent')).toBe(2);
    expect(await count(lv, 'federation.member.role_capped')).toBe(1);
    expect(await count(lv, 'federation.member.removed')).toBe(1);

    // What the home makes now reaches lars (still a member) and never liga's socket.
    const marker = 'after-liga-left-5c0e2a.example';
    const r = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: marker, tlp: 'GREEN' });
    expect(r.status).toBe(201);
    await eventually(() => expect(lars!.raw.join('\n')).toContain(marker), 20_000);
    expect(liga!.raw.join('\n')).not.toContain(marker);
  }, 120_000);

  it('a hostile home cannot touch other workspaces, other teams, its own accounts, nor raise a role', async () => {
    await cli(lv, 'team', 'add', '--code', 'EE', '--name', 'Team EE');
    // A workspace of lv-cert's own, made by liga (its team admin), never shared.
    const own = await makeWorkspace(await loginOn(lv, 'liga'), 'Operation Home Alone');
    const lenaId = await idOf(lv, 'lena');
    const larsId = await idOf(lv, 'lars');
    // alice's account at lv-cert (she acted in the workspace): an account of us-cert's, held there.
    const aliceId = await idOf(us, 'alice');
    // lars is also a member of that workspace; eve is a user of EE, a team the share is not for.
    await lv.ctx.db.run('INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, ?, ?)', [own, larsId, 'hunter', new Date().toISOString()]);
    const eeTeam = (await lv.ctx.db.get<{ id: string }>("SELECT id FROM teams WHERE code = 'EE'"))!.id;
    const eveId = '11111111-1111-4111-8111-111111111111';
    await lv.ctx.db.run('INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      eveId,
      'eve',
      'Eve',
      '!none',
      eeTeam,
      new Date().toISOString(),
    ]);
    await lv.ctx.db.run('INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, ?, ?)', [ws, eveId, 'observer', new Date().toISOString()]);
    const before = await lv.ctx.db.all('SELECT workspace_id, account_id, role FROM members ORDER BY workspace_id, account_id');
    const refusedBefore = await count(lv, 'federation.refused');
    const bus = us.ctx.federation!;
    const messages: unknown[] = [
      // A workspace lv-cert did not get from us-cert (its own), for lars who is a member of it.
      { workspaceId: own, accountId: larsId, role: null },
      // A user of a team the share is not for (eve, EE, made a member of the replica here), and a user of
      // the share's team who is not a member of the replica (lena).
      { workspaceId: ws, accountId: eveId, role: null },
      { workspaceId: ws, accountId: lenaId, role: null },
      // us-cert's own user as held at lv-cert (not lv-cert's to lose by a remote's word) and an unknown id.
      { workspaceId: ws, accountId: aliceId, role: null },
      { workspaceId: ws, accountId: '00000000-0000-4000-8000-000000000000', role: null },
      // A role above any replica member's.
      { workspaceId: ws, accountId: larsId, role: 'owner' },
    ];
    await us.ctx.db.transaction(async (tx) => {
      for (const body of messages) await bus.enqueue(tx, 'lv-cert', 'member.changed', body);
      // A raise: lars is an observer at lv-cert, and the home says hunter. Applied as "kept".
      await bus.enqueue(tx, 'lv-cert', 'member.changed', { workspaceId: ws, accountId: larsId, role: 'hunter' });
    });
    bus.flush('lv-cert');
    await eventually(async () => expect(await count(lv, 'federation.member.kept')).toBe(1), 20_000);
    expect((await count(lv, 'federation.refused')) - refusedBefore).toBe(messages.length);
    expect(await lv.ctx.db.all('SELECT workspace_id, account_id, role FROM members ORDER BY workspace_id, account_id')).toEqual(before);
    expect(await roleOn(lv, ws, 'lars')).toBe('observer');
    expect(await roleOn(lv, own, 'lars')).toBe('hunter');
    // lv-cert's own workspace never reached us-cert.
    expect((await dataBytes(us)).includes(Buffer.from('Operation Home Alone'))).toBe(false);
  }, 120_000);
});
