/**
 * Records across two real instances (issue 20 items 4 and 6, server/src/federation/records/): a US
 * indicator releasable to LV appears on lv-cert live (REST and liga's socket), its update and its
 * narrowing follow; sightings and comments on it cross; the baseline of a new share is complete; what
 * only US may see never reaches lv-cert (a byte-level search of its database files and of every frame
 * liga's socket received); catch-up after the link was suspended duplicates nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, eventually, uniq } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, startNation, teamIdOn, type Nation } from '../helpers/federation.js';
import { count, dataBytes } from '../helpers/federationData.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, type Client } from './indicators-helpers.js';

describe('records across instances', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let ligaApi: ApiClient;
  let liga: Client;
  let ws: string;
  /** Markers of what only US may see: none may appear in lv-cert's files or liga's frames. */
  const hidden: Record<string, string> = {};
  const hiddenIds: string[] = [];
  /** The other way: an item only LV may see never reaches us-cert. */
  const lvOnlyMarker = uniq('lvonly').toLowerCase();
  const mark = (what: string): string => {
    hidden[what] = uniq('hid').toLowerCase();
    return hidden[what];
  };
  const create = async (body: Record<string, unknown>): Promise<{ id: string; seq: number }> => {
    const r = await alice.post<{ indicator: { id: string }; seq: number }>(`/api/workspaces/${ws}/indicators`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.indicator.id, seq: r.body.seq };
  };
  const onLv = async (id: string) =>
    (await ligaApi.get<{ indicator?: { tags: string[]; confidence: number; sightingCount: number; tlp: string } }>(`/api/workspaces/${ws}/indicators/${id}`)).body;
  const lvList = async (): Promise<string[]> => (await ligaApi.get<{ items: { id: string }[] }>(`/api/workspaces/${ws}/indicators?limit=1000`)).body.items.map((i) => i.id);

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Amber Lynx');
  }, 90_000);
  afterAll(async () => {
    liga?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('sends the baseline when the share becomes active: what LV may see, and nothing else', async () => {
    const before = await create({ type: 'domain', value: 'baseline-visible.example', tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    await alice.post(`/api/workspaces/${ws}/indicators/${before.id}/sightings`, { context: 'proxy logs' });
    await alice.post(`/api/workspaces/${ws}/indicators/${before.id}/comments`, { body: 'baseline comment for everyone' });
    await alice.post(`/api/workspaces/${ws}/indicators/${before.id}/comments`, { body: `${mark('baselineComment')} us only`, tlp: 'RED', releasableTo: ['US'] });
    hiddenIds.push((await create({ type: 'domain', value: `${mark('baselineRed')}.example`, tlp: 'RED', releasableTo: ['US'] })).id);
    hiddenIds.push((await create({ type: 'domain', value: `${mark('baselineStrict')}.example`, tlp: 'AMBER+STRICT' })).id);

    const net = await alice.post<{ network: { id: string } }>(`/api/workspaces/${ws}/networks`, { name: 'Baseline LAN', tlp: 'GREEN' });
    expect(net.status).toBe(201);
    await alice.post(`/api/workspaces/${ws}/networks`, { name: `${mark('baselineNetwork')} lan`, tlp: 'AMBER+STRICT' });

    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    ligaApi = await loginOn(lv, 'liga');
    await eventually(async () => expect(await lvList()).toEqual([before.id]), 20_000);
    const detail = (await ligaApi.get<{ sightings: unknown[]; comments: { body: string }[] }>(`/api/workspaces/${ws}/indicators/${before.id}`)).body;
    expect(detail.sightings).toHaveLength(1);
    expect(detail.comments.map((c) => c.body)).toEqual(['baseline comment for everyone']);
    const nets = (await ligaApi.get<{ items: { id: string }[] }>(`/api/workspaces/${ws}/networks`)).body.items.map((n) => n.id);
    expect(nets).toEqual([net.body.network.id]);
    liga = await connect(lv.url, ligaApi, ws);
  }, 60_000);

  it("sends LV's own items in the shared workspace to us-cert, their home being lv-cert", async () => {
    const made = await liga.cmd('indicator:create', { type: 'domain', value: 'lv-found.shared-example.com', tlp: 'AMBER', releasableTo: ['LV', 'US'] });
    expect(made.ok, JSON.stringify(made)).toBe(true);
    const id = (made as { data: { indicator: { id: string } } }).data.indicator.id;
    await eventually(async () => {
      const one = await alice.get<{ indicator: { ownerTeam: { code: string } } }>(`/api/workspaces/${ws}/indicators/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.indicator.ownerTeam.code).toBe('LV');
    }, 20_000);
    const onlyLv = await liga.cmd('indicator:create', { type: 'domain', value: `${lvOnlyMarker}.example`, tlp: 'RED', releasableTo: ['LV'] });
    expect(onlyLv.ok).toBe(true);
    // One more that US may see: once it is at us-cert, the LV-only one would have been too (ordered link).
    const next = await liga.cmd('indicator:create', { type: 'domain', value: 'lv-found-2.shared-example.com', tlp: 'GREEN' });
    const nextId = (next as { data: { indicator: { id: string } } }).data.indicator.id;
    await eventually(async () => expect((await alice.get(`/api/workspaces/${ws}/indicators/${nextId}`)).status).toBe(200), 20_000);
    expect(await count(us, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [(onlyLv as { data: { indicator: { id: string } } }).data.indicator.id])).toBe(0);
    // us-cert never relays it back: the row at us-cert is the only copy there, and lv-cert holds its own.
    expect(await count(us, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [id])).toBe(1);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [id])).toBe(1);
  }, 60_000);

  it('delivers a new indicator releasable to LV live, then its update, sighting and comments', async () => {
    const { id } = await create({ type: 'domain', value: 'c2.shared-example.com', tlp: 'AMBER', releasableTo: ['US', 'LV'], tags: ['c2'] });
    const created = await eventually(() => {
      const e = liga.events.find((x) => x.type === 'indicator:created' && x.recordId === id);
      if (!e) throw new Error('not yet');
      return e;
    }, 20_000);
    expect(created.actor).toMatchObject({ username: 'alice@us-cert', team: { code: 'US' } });
    expect(await lvList()).toContain(id);

    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { confidence: 90, tags: ['c2', 'apt-lynx'] })).status).toBe(200);
    await eventually(async () => expect((await onLv(id)).indicator).toMatchObject({ confidence: 90, tags: ['c2', 'apt-lynx'] }), 20_000);
    await eventually(() => expect(liga.events.some((e) => e.type === 'indicator:updated' && e.recordId === id)).toBe(true), 20_000);

    await alice.post(`/api/workspaces/${ws}/indicators/${id}/sightings`, { context: 'edr' });
    await alice.post(`/api/workspaces/${ws}/indicators/${id}/comments`, { body: 'seen at two agencies' });
    await alice.post(`/api/workspaces/${ws}/indicators/${id}/comments`, { body: `${mark('liveComment')} for us`, tlp: 'RED', releasableTo: ['US'] });
    await eventually(async () => {
      const d = (await ligaApi.get<{ indicator: { sightingCount: number }; comments: { body: string }[] }>(`/api/workspaces/${ws}/indicators/${id}`)).body;
      expect(d.indicator.sightingCount).toBe(1);
      expect(d.comments.map((c) => c.body)).toEqual(['seen at two agencies']);
    }, 20_000);
    expect(liga.events.filter((e) => e.recordId === id).map((e) => e.type)).toEqual(['indicator:created', 'indicator:updated', 'indicator:sighted', 'indicator:commented']);
  }, 60_000);

  it('follows a narrowing: the replica drops it, liga is told, and later changes stay at home', async () => {
    const { id } = await create({ type: 'domain', value: 'narrowed.shared-example.com', tlp: 'GREEN' });
    await eventually(async () => expect(await lvList()).toContain(id), 20_000);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { tlp: 'RED', releasableTo: ['US'] })).status).toBe(200);
    await eventually(() => expect(liga.events.some((e) => e.type === 'indicator:revoked' && e.recordId === id)).toBe(true), 20_000);
    expect(await lvList()).not.toContain(id);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [id])).toBe(0);
    // Catch-up from the start no longer shows its past to LV.
    const sync = await liga.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
    expect(sync.ok).toBe(true);
    expect((sync.data.events as { recordId: string; type: string }[]).filter((e) => e.recordId === id).map((e) => e.type)).toEqual(['indicator:revoked']);
    await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { tags: [mark('afterNarrowing')] });
  }, 60_000);

  it('brings a widened indicator with its sightings and comments, and a re-mark LV always saw duplicates nothing', async () => {
    const { id } = await create({ type: 'domain', value: 'widened.shared-example.com', tlp: 'RED', releasableTo: ['US'] });
    await alice.post(`/api/workspaces/${ws}/indicators/${id}/sightings`, { context: 'netflow' });
    const comment = await alice.post(`/api/workspaces/${ws}/indicators/${id}/comments`, { body: 'for both agencies', tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    expect(comment.status, JSON.stringify(comment.body)).toBe(201);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { tlp: 'AMBER', releasableTo: ['US', 'LV'] })).status).toBe(200);
    await eventually(async () => {
      const d = (await ligaApi.get<{ indicator: { sightingCount: number }; sightings: unknown[]; comments: { body: string }[] }>(`/api/workspaces/${ws}/indicators/${id}`)).body;
      expect(d.sightings).toHaveLength(1);
      expect(d.comments.map((c) => c.body)).toEqual(['for both agencies']);
    }, 20_000);
    // Still visible to LV after this one: the children are resent and applied once.
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${id}`, { tlp: 'GREEN', releasableTo: [] })).status).toBe(200);
    await eventually(async () => expect((await onLv(id)).indicator).toMatchObject({ tlp: 'GREEN' }), 20_000);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:sighted'", [id])).toBe(1);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:commented'", [id])).toBe(1);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicator_sightings WHERE indicator_id = ?', [id])).toBe(1);
  }, 60_000);

  it('carries hunt items: networks, hosts, findings and timeline events, and a narrowed network takes its hosts along', async () => {
    const post = async (path: string, body: Record<string, unknown>): Promise<Record<string, { id: string }>> => {
      const r = await alice.post<Record<string, { id: string }>>(`/api/workspaces/${ws}/${path}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    const lvHas = async (path: string, id: string): Promise<boolean> => (await ligaApi.get(`/api/workspaces/${ws}/${path}/${id}`)).status === 200;
    const net = (await post('networks', { name: 'Ministry LAN', partner: 'Ministry', tlp: 'AMBER', releasableTo: ['US', 'LV'] })).network!.id;
    const host = (await post('hosts', { networkId: net, hostname: 'dc01.ministry.example', addresses: ['10.0.0.5'], tlp: 'AMBER', releasableTo: ['US', 'LV'] })).host!.id;
    const finding = (await post('findings', { hostId: host, kind: 'persistence', title: 'Run key on dc01', tlp: 'AMBER', releasableTo: ['US', 'LV'] })).finding!.id;
    const event = (await post('timeline', { at: '2026-11-01T10:00:00Z', hostId: host, description: 'first beacon from dc01', tlp: 'AMBER', releasableTo: ['US', 'LV'] })).event!.id;
    await eventually(async () => {
      expect(await lvHas('networks', net)).toBe(true);
      expect(await lvHas('hosts', host)).toBe(true);
      expect(await lvHas('findings', finding)).toBe(true);
      expect(await lvHas('timeline', event)).toBe(true);
    }, 20_000);
    expect((await alice.patch(`/api/workspaces/${ws}/findings/${finding}`, { status: 'confirmed' })).status).toBe(200);
    await eventually(async () => expect((await ligaApi.get(`/api/workspaces/${ws}/findings/${finding}`)).body).toMatchObject({ finding: { status: 'confirmed' } }), 20_000);
    expect(liga.events.filter((e) => [net, host, finding, event].includes(e.recordId)).map((e) => e.type)).toEqual([
      'network:created',
      'host:created',
      'finding:created',
      'timeline:created',
      'finding:updated',
    ]);

    // Hidden from LV: a network only US may see, with a host and a timeline event on it.
    const hiddenNet = (await post('networks', { name: `${mark('huntNetwork')} lan`, tlp: 'RED', releasableTo: ['US'] })).network!.id;
    const hiddenHost = (await post('hosts', { networkId: hiddenNet, hostname: `${mark('huntHost')}.example`, tlp: 'RED', releasableTo: ['US'] })).host!.id;
    await post('timeline', { at: '2026-11-01T11:00:00Z', hostId: hiddenHost, description: `${mark('huntEvent')} seen`, tlp: 'RED', releasableTo: ['US'] });
    hiddenIds.push(hiddenNet, hiddenHost);

    // Narrowing the network narrows its host, finding and event with it: all leave lv-cert.
    const narrowed = await alice.patch(`/api/workspaces/${ws}/networks/${net}`, { tlp: 'RED', releasableTo: ['US'] });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    await eventually(async () => {
      expect(await lvHas('networks', net)).toBe(false);
      expect(await lvHas('hosts', host)).toBe(false);
    }, 20_000);
    for (const [table, id] of [
      ['hunt_networks', net],
      ['hunt_hosts', host],
      ['hunt_findings', finding],
      ['hunt_timeline', event],
    ])
      expect(await count(lv, `SELECT COUNT(*) AS n FROM ${table} WHERE id = ?`, [id!]), `${table} on lv-cert`).toBe(0);
    expect(liga.events.some((e) => e.type === 'network:revoked' && e.recordId === net)).toBe(true);
  }, 60_000);

  it('takes in only what the sending link is the home of, for a shared workspace, that LV may see, well formed', async () => {
    const usTeam = (await teamIdOn(us, 'US'))!;
    const lvTeam = (await teamIdOn(lv, 'LV'))!;
    const view = (id: string, value: string, owner: string, tlp: string) => ({
      id,
      workspaceId: ws,
      type: 'domain',
      value,
      originalValue: value,
      status: 'new',
      confidence: 50,
      tlp,
      releasableTo: [],
      ownerTeam: { id: owner, code: owner === usTeam ? 'US' : 'LV' },
      tags: [],
      techniques: [],
      source: '',
      firstSeen: '2026-11-01T00:00:00.000Z',
      lastSeen: '2026-11-01T00:00:00.000Z',
      sightingCount: 0,
      createdBy: randomUUID(),
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedSeq: 1,
    });
    const event = (id: string, owner: string, tlp: string, releasableTo: string[], value: string, payloadOwner = owner) => ({
      homeSeq: 1,
      type: 'indicator:created',
      recordId: id,
      at: '2026-11-01T00:00:00.000Z',
      actor: null,
      audience: { item: { marking: { tlp, releasableTo }, ownerTeamId: owner } },
      payload: { indicator: view(id, value, payloadOwner, tlp) },
    });
    const crafted: [string, unknown][] = [
      ['an item homed at lv-cert itself', { workspaceId: ws, events: [event(randomUUID(), lvTeam, 'GREEN', [], `${mark('craftedOwnTeam')}.example`)] }],
      ['a workspace not shared with us-cert', { workspaceId: randomUUID(), events: [event(randomUUID(), usTeam, 'GREEN', [], `${mark('craftedUnshared')}.example`)] }],
      ['an item LV may not see', { workspaceId: ws, events: [event(randomUUID(), usTeam, 'RED', [usTeam], `${mark('craftedRed')}.example`)] }],
      ['a view whose owner differs from its marking', { workspaceId: ws, events: [event(randomUUID(), usTeam, 'GREEN', [], `${mark('craftedOwner')}.example`, lvTeam)] }],
      [
        'a malformed view',
        {
          workspaceId: ws,
          events: [{ ...event(randomUUID(), usTeam, 'GREEN', [], `${mark('craftedMalformed')}.example`), payload: { indicator: { id: 'x', value: hidden.craftedMalformed } } }],
        },
      ],
      [
        'an event type with no applier',
        { workspaceId: ws, events: [{ ...event(randomUUID(), usTeam, 'GREEN', [], `${mark('craftedType')}.example`), type: 'whiteboard:created' }] },
      ],
    ];
    const refusedBefore = await count(lv, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);
    const rowsBefore = await count(lv, 'SELECT COUNT(*) AS n FROM indicators', []);
    const eventsBefore = await count(lv, 'SELECT COUNT(*) AS n FROM record_events', []);
    const bus = us.ctx.federation!;
    await us.ctx.db.transaction(async (tx) => {
      for (const [, body] of crafted) await bus.enqueue(tx, 'lv-cert', 'records.events', body);
    });
    bus.flush('lv-cert');
    await eventually(
      async () => expect(await count(lv, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", [])).toBe(refusedBefore + crafted.length),
      20_000,
    );
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators', [])).toBe(rowsBefore);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM record_events', [])).toBe(eventsBefore);
    // The link stays up and a real event still crosses after them.
    const { id } = await create({ type: 'domain', value: 'after-crafted.shared-example.com', tlp: 'GREEN' });
    await eventually(async () => expect(await lvList()).toContain(id), 20_000);
  }, 60_000);

  it('never lets an item only US may see reach lv-cert (database files and socket frames)', async () => {
    hiddenIds.push((await create({ type: 'domain', value: `${mark('liveRed')}.example`, tlp: 'RED', releasableTo: ['US'] })).id);
    hiddenIds.push((await create({ type: 'domain', value: `${mark('liveStrict')}.example`, tlp: 'AMBER+STRICT' })).id);
    hiddenIds.push((await create({ type: 'domain', value: `${mark('liveAmberUs')}.example`, tlp: 'AMBER', releasableTo: ['US'] })).id);
    // A visible one last: once it is on lv-cert, everything before it was sent (the link is ordered).
    const { id: last } = await create({ type: 'domain', value: 'after-hidden.shared-example.com', tlp: 'CLEAR' });
    await eventually(async () => expect(await lvList()).toContain(last), 20_000);
    await eventually(() => expect(liga.events.some((e) => e.recordId === last)).toBe(true), 20_000);

    // The markers are in us-cert's database (the search can find them) and nowhere on lv-cert.
    const usBytes = await dataBytes(us);
    const lvBytes = await dataBytes(lv);
    const frames = liga.raw.join('\n');
    expect(Object.keys(hidden)).toHaveLength(18);
    for (const [what, marker] of Object.entries(hidden)) {
      if (!what.startsWith('crafted')) expect(usBytes.includes(marker), `${what} at home`).toBe(true);
      expect(lvBytes.includes(marker), `${what} in lv-cert's files`).toBe(false);
      expect(frames.includes(marker), `${what} in liga's frames`).toBe(false);
    }
    expect(lvBytes.includes(lvOnlyMarker), 'the LV-only item at its home').toBe(true);
    expect(usBytes.includes(lvOnlyMarker), 'the LV-only item in us-cert files').toBe(false);
    // Nothing about them crossed: the home audits each crossing, and names none of them.
    const sent = await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.sent'");
    const sentIds = new Set(sent.map((r) => (JSON.parse(r.detail) as { id: string }).id));
    expect(sentIds.has(last)).toBe(true);
    expect(hiddenIds).toHaveLength(7);
    for (const h of hiddenIds) expect(sentIds.has(h)).toBe(false);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ?', [ws])).toBe((await lvList()).length);
  }, 60_000);

  it('catches up after the link was suspended and resumed, nothing duplicated', async () => {
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    const down = await create({ type: 'domain', value: 'while-down.shared-example.com', tlp: 'GREEN' });
    await alice.post(`/api/workspaces/${ws}/indicators/${down.id}/sightings`, { context: 'while down' });
    expect(await lvList()).not.toContain(down.id);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(async () => expect((await onLv(down.id)).indicator?.sightingCount).toBe(1), 30_000);
    // Resume twice more: replays are applied once.
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => expect(lv.ctx.federation!.isUp('us-cert')).toBe(true), 30_000);
    const after = await create({ type: 'domain', value: 'after-resume.shared-example.com', tlp: 'GREEN' });
    await eventually(async () => expect(await lvList()).toContain(after.id), 20_000);

    for (const id of [down.id, after.id]) {
      expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [id])).toBe(1);
      expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:created'", [id])).toBe(1);
    }
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicator_sightings WHERE indicator_id = ?', [down.id])).toBe(1);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:sighted'", [down.id])).toBe(1);
    // Each indicator on lv-cert is one row, and as many as the home sent.
    const lvIds = await lv.ctx.db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ?', [ws]);
    expect(new Set(lvIds.map((r) => r.id)).size).toBe(lvIds.length);
  }, 90_000);
});
