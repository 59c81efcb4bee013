/**
 * Commands across instances (issue 20 item 4, server/src/federation/commands/): a member on the replica
 * changes an item homed on the other instance; the change is made at the home, by the member's remote
 * account through the home's own checks, and comes back through the records replication. Refusals are
 * the local ones (role, membership, hidden = missing); a forged actor is refused at the home; while the
 * link is down the answer says so and nothing changes; a retried command id is applied once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, eventually, makeWorkspace, uniq } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import type { ApiClient } from '../helpers/http.js';
import { connect } from './indicators-helpers.js';

interface Indicator {
  id: string;
  confidence: number;
  tags: string[];
  sightingCount: number;
}
interface Ack {
  ok: boolean;
  seq?: number;
  data?: unknown;
  error?: { code: string; message: string };
}

const count = async (node: Nation, sql: string, params: string[]): Promise<number> => Number((await node.ctx.db.get<{ n: number }>(sql, params))?.n ?? 0);
const idOf = async (node: Nation, username: string): Promise<string> => (await node.ctx.db.get<{ id: string }>('SELECT id FROM accounts WHERE username = ?', [username]))!.id;

describe('commands across instances', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let adam: ApiClient;
  let liga: ApiClient;
  /** Shared as hunter with liga; ws2 as observer with liga and lauris (adam is a local observer of ws2). */
  let ws: string;
  let ws2: string;
  let shared: string;
  let hidden: string;
  let shared2: string;

  const create = async (workspaceId: string, body: Record<string, unknown>): Promise<string> => {
    const r = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${workspaceId}/indicators`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.indicator.id;
  };
  const at = async (client: ApiClient, workspaceId: string, id: string): Promise<Indicator | undefined> =>
    (await client.get<{ indicator?: Indicator }>(`/api/workspaces/${workspaceId}/indicators/${id}`)).body.indicator;
  /** A request as lv-cert's server sends it to us-cert, with whatever it names. */
  const ask = (params: Record<string, unknown>): Promise<unknown> => lv.ctx.federation!.request('us-cert', 'command', params);
  const updateBy = (actorId: string, workspaceId: string, id: string, change: Record<string, unknown>) =>
    ask({ workspaceId, actorId, type: 'indicator:update', id: uniq('cmd'), payload: { workspaceId, id, ...change } }) as Promise<Ack>;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    adam = await loginOn(us, 'adam');
    ws = await makeWorkspace(alice, 'Operation Copper Heron');
    ws2 = await makeWorkspace(alice, 'Operation Slate Owl');
    await addMember(alice, ws2, 'adam', 'observer');
    shared = await create(ws, { type: 'domain', value: 'heron-c2.example', tlp: 'AMBER', releasableTo: ['US', 'LV'], confidence: 40, tags: ['c2'] });
    hidden = await create(ws, { type: 'domain', value: 'heron-us-only.example', tlp: 'RED', releasableTo: ['US'], confidence: 40 });
    shared2 = await create(ws2, { type: 'domain', value: 'owl.example', tlp: 'GREEN', confidence: 40 });
    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    await shareWorkspace(us, lv, ws2, { role: 'observer', members: ['liga', 'lauris'] });
    liga = await loginOn(lv, 'liga');
    await eventually(async () => {
      expect(await at(liga, ws, shared)).toBeDefined();
      expect(await at(liga, ws2, shared2)).toBeDefined();
    }, 30_000);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('makes liga’s update of a US indicator at us-cert, as liga, and it comes back to lv-cert', async () => {
    const r = await liga.patch<Indicator & { seq: number; indicator: Indicator }>(`/api/workspaces/${ws}/indicators/${shared}`, { confidence: 77, tags: ['c2', 'from-lv'] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.indicator).toMatchObject({ id: shared, confidence: 77, tags: ['c2', 'from-lv'] });
    // The ack's seq is lv-cert's own log's (never ahead of it), not us-cert's.
    expect(r.body.seq).toBeLessThanOrEqual(Number((await lv.ctx.db.get<{ seq: number }>('SELECT seq FROM workspace_seq WHERE workspace_id = ?', [ws]))?.seq));
    // Made at the home, by liga's remote account there.
    expect(await at(alice, ws, shared)).toMatchObject({ confidence: 77, tags: ['c2', 'from-lv'] });
    const ligaId = await idOf(lv, 'liga');
    expect(await idOf(us, 'liga@lv-cert')).toBe(ligaId);
    expect(await count(us, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated' AND actor_id = ?", [shared, ligaId])).toBe(1);
    // And back on lv-cert through the replication (applied as received, not written by the command here).
    await eventually(async () => expect(await at(liga, ws, shared)).toMatchObject({ confidence: 77, tags: ['c2', 'from-lv'] }), 20_000);
    const received = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.received'");
    expect(received.some((row) => (JSON.parse(row.detail) as { id: string; type: string }).type === 'indicator:updated' && row.detail.includes(shared))).toBe(true);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM command_log WHERE type = 'indicator:update'", [])).toBe(0);
    // The crossing is in lv-cert's trail too.
    const forwarded = await lv.ctx.db.all<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM audit_log WHERE action = 'federation.forwarded'");
    expect(forwarded.map((row) => ({ actor: row.actor_id, ...(JSON.parse(row.detail) as object) }))).toEqual([
      { actor: ligaId, link: 'us-cert', type: 'indicator:update', commandId: expect.any(String) as unknown, ids: [shared], outcome: 'ok' },
    ]);

    // A comment on it is made at its home too (its parent's home decides), authored by liga.
    const c = await liga.post<{ comment: { id: string } }>(`/api/workspaces/${ws}/indicators/${shared}/comments`, { body: 'seen in Riga too' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(await count(us, 'SELECT COUNT(*) AS n FROM indicator_comments WHERE id = ? AND indicator_id = ?', [c.body.comment.id, shared])).toBe(1);
    await eventually(async () => {
      const d = (await liga.get<{ comments: { id: string; body: string }[] }>(`/api/workspaces/${ws}/indicators/${shared}`)).body;
      expect(d.comments.map((x) => x.body)).toContain('seen in Riga too');
    }, 20_000);
  }, 60_000);

  it('refuses liga as an observer with the code a local observer gets, on lv-cert and at us-cert', async () => {
    const local = await adam.patch(`/api/workspaces/${ws2}/indicators/${shared2}`, { confidence: 1 });
    expect(local.status).toBe(403);
    const onLv = await liga.patch(`/api/workspaces/${ws2}/indicators/${shared2}`, { confidence: 1 });
    expect(onLv.status).toBe(403);
    expect(onLv.body).toEqual(local.body);
    // Asked of the home directly (as if lv-cert thought liga a hunter): the home's own check says the same.
    const atHome = await updateBy(await idOf(lv, 'liga'), ws2, shared2, { confidence: 1 });
    expect(atHome).toEqual({ ok: false, error: (local.body as { error: unknown }).error });
    expect((await at(alice, ws2, shared2))?.confidence).toBe(40);
  }, 60_000);

  it('refuses at us-cert a forged actor (a US user) and a remote user who is not a member', async () => {
    await expect(updateBy(await idOf(us, 'adam'), ws, shared, { confidence: 2 })).rejects.toThrow(/not one of its users here/);
    await expect(updateBy(uniq('nobody-'), ws, shared, { confidence: 2 })).rejects.toThrow(/not one of its users here/);
    // lauris is a remote account at us-cert (a member of ws2) but not a member of ws: what a local non-member gets.
    const lauris = await updateBy(await idOf(lv, 'lauris'), ws, shared, { confidence: 2 });
    expect(lauris).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const outsider = await loginOn(us, 'adam');
    const local = await outsider.patch(`/api/workspaces/${ws}/indicators/${shared}`, { confidence: 2 });
    expect(lauris.error).toEqual((local.body as { error: unknown }).error);
    // A payload naming another workspace than the request, a workspace not shared with the link, a type that does not cross.
    await expect(
      ask({ workspaceId: ws, actorId: await idOf(lv, 'liga'), type: 'indicator:update', id: uniq('cmd'), payload: { workspaceId: ws2, id: shared2, confidence: 2 } }),
    ).rejects.toThrow(/another workspace/);
    const other = await makeWorkspace(alice);
    await expect(updateBy(await idOf(lv, 'liga'), other, shared, { confidence: 2 })).rejects.toThrow(/not shared with lv-cert/);
    await expect(ask({ workspaceId: ws, actorId: await idOf(lv, 'liga'), type: 'indicator:create', id: uniq('cmd'), payload: { workspaceId: ws } })).rejects.toThrow(
      /not a command that crosses a link/,
    );
    expect((await at(alice, ws, shared))?.confidence).toBe(77);
  }, 60_000);

  it('answers a command on an item hidden from LV as it answers one on a missing item', async () => {
    const missing = uniq('missing-');
    const hiddenOnLv = await liga.patch(`/api/workspaces/${ws}/indicators/${hidden}`, { confidence: 3 });
    const missingOnLv = await liga.patch(`/api/workspaces/${ws}/indicators/${missing}`, { confidence: 3 });
    expect(hiddenOnLv.status).toBe(404);
    expect(hiddenOnLv.body).toEqual(missingOnLv.body);
    // Asked of the home: the same answer for both, and nothing changes.
    const ligaId = await idOf(lv, 'liga');
    const hiddenAtHome = await updateBy(ligaId, ws, hidden, { confidence: 3 });
    const missingAtHome = await updateBy(ligaId, ws, missing, { confidence: 3 });
    expect(hiddenAtHome).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(hiddenAtHome).toEqual(missingAtHome);
    expect(hiddenAtHome.error).toEqual((hiddenOnLv.body as { error: unknown }).error);
    expect((await at(alice, ws, hidden))?.confidence).toBe(40);
  }, 60_000);

  it('applies a retried command id once', async () => {
    const key = uniq('retry-');
    const send = () =>
      liga.request<{ sighting: { id: string } }>('POST', `/api/workspaces/${ws}/indicators/${shared}/sightings`, { context: 'edr in Riga' }, { 'idempotency-key': key });
    const first = await send();
    const second = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.sighting).toEqual(first.body.sighting);
    expect(await count(us, 'SELECT COUNT(*) AS n FROM indicator_sightings WHERE indicator_id = ?', [shared])).toBe(1);
    await eventually(async () => expect((await at(liga, ws, shared))?.sightingCount).toBe(1), 20_000);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicator_sightings WHERE indicator_id = ?', [shared])).toBe(1);
  }, 60_000);

  it('takes liga’s changes to US hunt items to us-cert; a host she adds to a US network is homed on lv-cert', async () => {
    const post = async (path: string, body: Record<string, unknown>): Promise<string> => {
      const r = await alice.post<Record<string, { id: string }>>(`/api/workspaces/${ws}/${path}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return Object.values(r.body).find((v) => v && typeof v === 'object' && 'id' in v)!.id;
    };
    const both = { tlp: 'AMBER', releasableTo: ['US', 'LV'] };
    const net = await post('networks', { name: 'Harbour LAN', partner: 'Harbour', ...both });
    const host = await post('hosts', { networkId: net, hostname: 'fs01.harbour.example', ...both });
    const finding = await post('findings', { hostId: host, kind: 'persistence', title: 'Service on fs01', ...both });
    const event = await post('timeline', { at: '2026-11-02T08:00:00Z', hostId: host, description: 'first logon', ...both });
    const item = async (client: ApiClient, path: string, id: string) => (await client.get<Record<string, Record<string, unknown>>>(`/api/workspaces/${ws}/${path}/${id}`)).body;
    await eventually(async () => expect(await item(liga, 'timeline', event)).toHaveProperty('event'), 20_000);

    const changes: [string, string, Record<string, unknown>, string][] = [
      ['networks', net, { name: 'Harbour LAN (segment B)' }, 'network'],
      ['hosts', host, { state: 'suspicious' }, 'host'],
      ['findings', finding, { status: 'confirmed' }, 'finding'],
      ['timeline', event, { description: 'first logon, from Riga' }, 'event'],
    ];
    for (const [path, id, change, key] of changes) {
      const r = await liga.patch(`/api/workspaces/${ws}/${path}/${id}`, change);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
      expect((await item(alice, path, id))[key], `${path} at us-cert`).toMatchObject(change);
      await eventually(async () => expect((await item(liga, path, id))[key], `${path} back on lv-cert`).toMatchObject(change), 20_000);
    }
    const ligaId = await idOf(lv, 'liga');
    expect(
      await count(us, "SELECT COUNT(*) AS n FROM record_events WHERE actor_id = ? AND type IN ('network:updated', 'host:updated', 'finding:updated', 'timeline:updated')", [
        ligaId,
      ]),
    ).toBe(4);

    // A new host under the US network is liga's, homed here: made on lv-cert, whatever the network's home.
    const made = await liga.post<{ host: { id: string } }>(`/api/workspaces/${ws}/hosts`, { networkId: net, hostname: 'riga-ws07.harbour.example', ...both });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const lvTeam = (await lv.ctx.db.get<{ owner_team_id: string }>('SELECT owner_team_id FROM hunt_hosts WHERE id = ?', [made.body.host.id]))?.owner_team_id;
    expect(lvTeam).toBe((await lv.ctx.db.get<{ id: string }>("SELECT id FROM teams WHERE code = 'LV'"))?.id);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM command_log WHERE type = 'host:create'", [])).toBe(1);
  }, 90_000);

  it('answers liga’s socket command with an ack in lv-cert’s numbering, the change following as an event; refuses a bulk across homes', async () => {
    const socket = await connect(lv.url, liga, ws);
    try {
      const ack = await socket.cmd<{ indicator: Indicator }>('indicator:update', { id: shared, confidence: 55 });
      expect(ack).toMatchObject({ ok: true, data: { indicator: { id: shared, confidence: 55 } } });
      const event = await eventually(() => {
        const e = socket.events.find((x) => x.type === 'indicator:updated' && x.recordId === shared && (x.payload as { indicator: Indicator }).indicator.confidence === 55);
        if (!e) throw new Error('not yet');
        return e;
      }, 20_000);
      expect(ack.ok && ack.seq).toBeLessThanOrEqual(event.seq);
      expect(event.actor).toMatchObject({ username: 'liga', team: { code: 'LV' } });

      // An indicator liga makes is homed on lv-cert: a bulk naming it and a US one is refused whole.
      const own = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'riga-own.example', tlp: 'GREEN' });
      expect(own.status, JSON.stringify(own.body)).toBe(201);
      const mixed = await socket.cmd('indicator:bulkUpdate', { ids: [shared, own.body.indicator.id], addTags: ['mixed'] });
      expect(mixed).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'these items are homed on different instances (here, us-cert): change the items of each home separately' },
      });
      expect((await at(alice, ws, shared))?.tags).not.toContain('mixed');
      expect((await at(liga, ws, own.body.indicator.id))?.tags).not.toContain('mixed');
      // A bulk of US items only goes to us-cert.
      const bulk = await socket.cmd('indicator:bulkUpdate', { ids: [shared], addTags: ['bulk-from-lv'] });
      expect(bulk.ok, JSON.stringify(bulk)).toBe(true);
      expect((await at(alice, ws, shared))?.tags).toContain('bulk-from-lv');
      await eventually(async () => expect((await at(liga, ws, shared))?.tags).toContain('bulk-from-lv'), 20_000);
    } finally {
      socket.close();
    }
  }, 60_000);

  it('tells alice on us-cert that an indicator liga made is changed only on lv-cert, and changes nothing', async () => {
    const own = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'riga-made.example', tlp: 'GREEN', confidence: 30 });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const id = own.body.indicator.id;
    await eventually(async () => expect(await at(alice, ws, id)).toBeDefined(), 20_000);
    const r = await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { confidence: 99 });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: { code: 'conflict', message: 'this item was made on lv-cert and can only be changed there, by its members' } });
    // And us-cert never runs, for lv-cert, a command on an item lv-cert is itself the home of.
    await expect(updateBy(await idOf(lv, 'liga'), ws, id, { confidence: 98 })).rejects.toThrow(/names an item that is not homed here/);
    expect((await at(alice, ws, id))?.confidence).toBe(30);
    expect((await at(liga, ws, id))?.confidence).toBe(30);
  }, 60_000);

  it('says the home is not reachable while the link is down, and changes nothing', async () => {
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(lv.ctx.federation!.isUp('us-cert')).toBe(false), 20_000);
    const before = (await at(alice, ws, shared))?.confidence;
    const r = await liga.patch(`/api/workspaces/${ws}/indicators/${shared}`, { confidence: 5 });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ error: { code: 'unavailable', message: 'the home of this item, us-cert, is not reachable; try again when the link is back' } });
    expect(before).toBe(55);
    expect((await at(liga, ws, shared))?.confidence).toBe(before);
    expect((await at(alice, ws, shared))?.confidence).toBe(before);
    // A new item is homed here: made on lv-cert while the link is down.
    const made = await liga.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'riga-local.example', tlp: 'GREEN' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => expect(lv.ctx.federation!.isUp('us-cert')).toBe(true), 30_000);
    const after = await liga.patch(`/api/workspaces/${ws}/indicators/${shared}`, { confidence: 6 });
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect((await at(alice, ws, shared))?.confidence).toBe(6);
  }, 90_000);
});
