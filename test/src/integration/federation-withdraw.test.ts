/**
 * A withdrawn share (server/src/federation/withdraw.ts), on two real instances: the home's owner
 * withdraws it in the browser's route; lv-cert drops its replica (records and documents) and its users'
 * sockets of that workspace are revoked at once; us-cert drops lv-cert's members and the items they made
 * there; both audit it. It is offered again and works; then the peer's operator withdraws it from the
 * CLI. The route's matrix: anonymous 401, a hunter 403, a non-member 404, bad input 400, an unknown
 * link 404; each refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { ApiClient } from '../helpers/http.js';
import { connect, type Client } from './indicators-helpers.js';

describe('withdrawing a shared workspace', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient; // US owner
  let adam: ApiClient; // US hunter in the workspace
  let olga: ApiClient; // US user, not a member
  let liga: ApiClient; // LV team admin
  let lauris: ApiClient; // LV user, a hunter in the replica
  let laurisSocket: Client | undefined;
  let ws: string;
  const revoked: string[] = [];

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam', 'olga']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    [alice, adam, olga, liga, lauris] = await Promise.all([loginOn(us, 'alice'), loginOn(us, 'adam'), loginOn(us, 'olga'), loginOn(lv, 'liga'), loginOn(lv, 'lauris')]);
    ws = await makeWorkspace(alice, 'Operation Recall');
    await addMember(alice, ws, 'adam', 'hunter');
  }, 90_000);
  afterAll(async () => {
    laurisSocket?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  const rows = async (node: Nation, table: string): Promise<number> =>
    Number((await node.ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`, [ws]))?.n ?? 0);
  const notes = async (node: Nation): Promise<string[]> =>
    (await node.ctx.db.all<{ title: string }>("SELECT title FROM documents WHERE workspace_id = ? AND kind = 'note' ORDER BY title", [ws])).map((d) => d.title);
  const shareState = async (node: Nation): Promise<string | undefined> => (await sharesOn(node)).filter((s) => s.workspaceId === ws).at(-1)?.state;
  const withdraw = (client: ApiClient, body: unknown) => client.post(`/api/workspaces/${ws}/federation/withdraw`, body);
  const snapshot = async (node: Nation) => ({
    shares: await node.ctx.db.all('SELECT offer_id, state FROM federation_shares ORDER BY offer_id'),
    members: await node.ctx.db.all('SELECT account_id, role FROM members WHERE workspace_id = ? ORDER BY account_id', [ws]),
    workspaces: await node.ctx.db.all('SELECT id FROM workspaces ORDER BY id'),
  });

  it('shares the workspace with notes and records both ways', async () => {
    const usItem = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'recall-us.example', tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    expect(usItem.status).toBe(201);
    expect((await alice.post(`/api/workspaces/${ws}/notes`, { title: 'Recall notes', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } })).status).toBe(201);
    await shareWorkspace(us, lv, ws, { members: ['liga', 'lauris'] });
    await eventually(async () => {
      expect(await rows(lv, 'indicators')).toBe(1);
      expect(await rows(lv, 'documents')).toBeGreaterThanOrEqual(1);
    }, 20_000);
    const lvItem = await lauris.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'recall-lv.example', tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    expect(lvItem.status).toBe(201);
    const lvNote = await lauris.post(`/api/workspaces/${ws}/notes`, { title: 'Notes from Riga', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(lvNote.status, JSON.stringify(lvNote.body)).toBe(201);
    await eventually(async () => {
      expect(await rows(us, 'indicators')).toBe(2);
      expect(await notes(us)).toEqual(['Notes from Riga', 'Recall notes']);
    }, 20_000);
    laurisSocket = await connect(lv.url, lauris, ws);
    laurisSocket.socket.on('workspace:revoked', (e: { workspaceId: string }) => revoked.push(e.workspaceId));
  }, 60_000);

  it('refuses the route to anonymous (401), a hunter (403), a non-member (404), bad input (400), an unknown link (404), changing nothing', async () => {
    const before = { us: await snapshot(us), lv: await snapshot(lv) };
    expect((await withdraw(new ApiClient(us.url), { link: 'lv-cert' })).status).toBe(401);
    const hunter = await withdraw(adam, { link: 'lv-cert' });
    expect(hunter.status).toBe(403);
    expect((await withdraw(olga, { link: 'lv-cert' })).status).toBe(404);
    expect((await alice.post(`/api/workspaces/no-such-workspace/federation/withdraw`, { link: 'lv-cert' })).status).toBe(404);
    const missing = await withdraw(alice, {});
    expect(missing.status).toBe(400);
    expect(typeof missing.body?.error?.message).toBe('string');
    expect((await withdraw(alice, { link: 'x'.repeat(65) })).status).toBe(400);
    expect((await withdraw(alice, { link: ['lv-cert'] })).status).toBe(400);
    const unknown = await withdraw(alice, { link: 'ee-cert' });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toMatch(/no link named ee-cert/);
    // On the replica: anonymous 401; a member who administers none of its teams 403.
    expect((await withdraw(new ApiClient(lv.url), { link: 'us-cert' })).status).toBe(401);
    expect((await withdraw(lauris, { link: 'us-cert' })).status).toBe(403);
    expect({ us: await snapshot(us), lv: await snapshot(lv) }).toEqual(before);
    expect(revoked).toEqual([]);
  });

  it("the owner withdraws it: lv-cert drops the replica and revokes its users' sockets at once; us-cert drops lv-cert's members and items", async () => {
    const r = await withdraw(alice, { link: 'lv-cert' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe('withdrawn');
    // The home at once: the peer's members and the items its users made are gone; its own stay.
    expect(await us.ctx.db.all("SELECT m.account_id FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ? AND a.home_link = 'lv-cert'", [ws])).toEqual([]);
    expect(await rows(us, 'indicators')).toBe(1);
    expect(await notes(us)).toEqual(['Recall notes']);
    expect(await us.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.withdrawn' AND workspace_id = ?", [ws])).toBeDefined();
    // The replica: workspace, records and documents gone, sockets revoked, the share withdrawn, audited.
    await eventually(async () => {
      expect(revoked).toEqual([ws]);
      expect(await lv.ctx.db.get('SELECT id FROM workspaces WHERE id = ?', [ws])).toBeUndefined();
    }, 20_000);
    expect(await rows(lv, 'indicators')).toBe(0);
    expect(await rows(lv, 'documents')).toBe(0);
    expect(await rows(lv, 'record_events')).toBe(0);
    expect(await rows(lv, 'members')).toBe(0);
    expect(await shareState(lv)).toBe('withdrawn');
    expect((await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.withdrawn'")).map((a) => JSON.parse(a.detail).by)).toEqual([
      'us-cert',
    ]);
    expect((await lauris.get(`/api/workspaces/${ws}`)).status).toBe(404);
    // Withdrawn twice: refused with a sentence.
    await expect(cli(us, 'federation', 'withdraw', '--workspace', ws, '--link', 'lv-cert')).rejects.toThrow(/already withdrawn from lv-cert/);
  }, 60_000);

  it('is offered again and works; then the peer withdraws it from its CLI', async () => {
    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    await eventually(async () => expect(await rows(lv, 'indicators')).toBe(1), 20_000);
    expect((await liga.get(`/api/workspaces/${ws}`)).status).toBe(200);

    const said = await cli(lv, 'federation', 'withdraw', '--workspace', ws, '--link', 'us-cert');
    expect(said).toMatch(/no longer shared with us-cert/);
    // The running server drops the replica the operator withdrew; the home hears of it.
    await eventually(async () => {
      expect(await lv.ctx.db.get('SELECT id FROM workspaces WHERE id = ?', [ws])).toBeUndefined();
      expect(await shareState(us)).toBe('withdrawn');
    }, 20_000);
    expect((await liga.get(`/api/workspaces/${ws}`)).status).toBe(404);
    expect(await us.ctx.db.all("SELECT m.account_id FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ? AND a.home_link = 'lv-cert'", [ws])).toEqual([]);
    const byPeer = await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.withdrawn' AND workspace_id = ? ORDER BY id", [ws]);
    expect(byPeer.map((a) => JSON.parse(a.detail).by)).toEqual(['admin screen', 'lv-cert']);
    await expect(cli(lv, 'federation', 'withdraw', '--workspace', 'no-such-workspace', '--link', 'us-cert')).rejects.toThrow(/no workspace no-such-workspace shared with us-cert/);
    await expect(cli(lv, 'federation', 'withdraw', '--workspace', ws)).rejects.toThrow(/--link is required/);
  }, 60_000);
});
