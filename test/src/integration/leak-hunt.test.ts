/**
 * The leak matrix of hunt operations (issue 18, item 7): team US makes a network, a host, a finding and
 * a timeline event under every TLP level x releasable-to set ({}, {CA}, {LV}, {US}, {US, CA}), each
 * with a unique text. Every other caller (a CA hunter, an LV hunter, a CA observer, an LV guest of a
 * live handoff) then reads every path that leaves the server and it is searched byte for byte: live
 * socket frames, REST lists with their totals and a text filter, reads by id, catch-up over the socket
 * and over REST, the sync snapshot, and (as an owner of another team) the audit trail. A text must
 * appear exactly where `canSee` says the caller's team may see it; counts must match. Each finding
 * also gets a malware sample (marked as its finding) kept and one deleted: the sample's name, and the
 * deleted one's id, follow the finding's marking on every path too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSee, TLP_LEVELS, type MarkedItem } from '@huntroom/shared';
import type { ApiClient } from '../helpers/http.js';
import { handoffGuest, observerOf } from '../helpers/partners.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, eventually, login, settle, type Client } from './indicators-helpers.js';
import { call, samplesPath, upload } from './samples-helpers.js';

const RELEASE_SETS: string[][] = [[], ['CA'], ['LV'], ['US'], ['US', 'CA']];
const KINDS = [
  { kind: 'network', path: 'networks', key: 'network' },
  { kind: 'host', path: 'hosts', key: 'host' },
  { kind: 'finding', path: 'findings', key: 'finding' },
  { kind: 'timeline', path: 'timeline', key: 'event' },
] as const;
type Kind = (typeof KINDS)[number]['kind'] | 'sample' | 'deleted-sample';
const ALL_KINDS: readonly Kind[] = [...KINDS.map((k) => k.kind), 'sample', 'deleted-sample'];

interface Item {
  kind: Kind;
  needle: string;
  marked: MarkedItem;
  id: string;
  /** A sample's finding. */
  findingId?: string;
}

describe('leak matrix of hunt operations: every marking x every path x every caller', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let teamId: Record<string, string>;
  const items: Item[] = [];
  const viewers: { name: string; team: string; api: ApiClient; live: Client }[] = [];
  const before: Record<string, number> = {};
  const url = (path: string) => `/api/workspaces/${ws}/${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
    const ben = await login(server.url, 'ben');
    const liga = await login(server.url, 'liga');
    const obsCa = await observerOf(alice, ws, 'CA');
    const guestLv = await handoffGuest(alice, ws, liga);
    for (const [name, team, api] of [
      ['ben (CA hunter)', 'CA', ben],
      ['liga (LV hunter)', 'LV', liga],
      ['olga (CA observer)', 'CA', obsCa],
      ['inga (LV guest of a handoff)', 'LV', guestLv],
    ] as const) {
      viewers.push({ name, team, api, live: await connect(server.url, api, ws) });
    }
    // What the workspace held before (the demo data may have hunt items): the totals are counted on top.
    for (const v of viewers) for (const k of KINDS) before[`${v.name}|${k.kind}`] = (await v.api.get(url(`${k.path}?limit=1`))).body.total as number;
    // The parents everyone sees; the marked items hang off them.
    const root = (await alice.post(url('networks'), { name: 'root network', tlp: 'CLEAR' })).body.network.id;
    const rootHost = (await alice.post(url('hosts'), { networkId: root, hostname: 'root-host', tlp: 'CLEAR' })).body.host.id;
    for (const tlp of TLP_LEVELS) {
      for (const rel of RELEASE_SETS) {
        const tag = `${tlp.replace('+', '-')}-${rel.join('') || 'all'}`.toLowerCase();
        const marked: MarkedItem = { marking: { tlp, releasableTo: rel.map((c) => teamId[c]!) }, ownerTeamId: teamId.US! };
        const m = { tlp, releasableTo: rel };
        const made = [
          ['network', `NET-${tag}-zq`, await alice.post(url('networks'), { name: `NET-${tag}-zq`, ...m }), 'network'],
          ['host', `host-${tag}-zq`, await alice.post(url('hosts'), { networkId: root, hostname: `host-${tag}-zq`, ...m }), 'host'],
          ['finding', `FINDING-${tag}-zq`, await alice.post(url('findings'), { hostId: rootHost, kind: 'malware', title: `FINDING-${tag}-zq`, ...m }), 'finding'],
          ['timeline', `EVENT-${tag}-zq`, await alice.post(url('timeline'), { at: '2026-11-05T12:00:00Z', hostId: rootHost, description: `EVENT-${tag}-zq`, ...m }), 'event'],
        ] as const;
        for (const [kind, needle, res, key] of made) {
          expect({ needle, status: res.status }).toEqual({ needle, status: 201 });
          items.push({ kind, needle, marked, id: res.body[key].id });
        }
        // Samples take their finding's marking: one kept (its name is the needle), one deleted (its id).
        const findingId = items.at(-2)!.id;
        const kept = await upload(server.url, alice, ws, findingId, Buffer.from(`kept ${tag}`), { name: `SAMPLE-${tag}-zq.bin` });
        const gone = await upload(server.url, alice, ws, findingId, Buffer.from(`gone ${tag}`), { name: 'gone.bin' });
        expect([kept.status, gone.status]).toEqual([201, 201]);
        expect((await call(server.url, alice, 'DELETE', `${samplesPath(ws, findingId)}/${gone.body.id}`)).status).toBe(200);
        items.push({ kind: 'sample', needle: `SAMPLE-${tag}-zq.bin`, marked, id: kept.body.id, findingId });
        items.push({ kind: 'deleted-sample', needle: gone.body.id, marked, id: gone.body.id, findingId });
      }
    }
    await settle();
  }, 120_000);
  afterAll(async () => {
    viewers.forEach((v) => v.live.close());
    await server.stop();
  });

  const sees = (team: string, item: Item) => canSee(teamId[team]!, item.marked);
  /** Each item's text present in `text` exactly when the team may see it. */
  function exactly(team: string, text: string, kinds: readonly Kind[] = ALL_KINDS) {
    for (const i of items.filter((x) => kinds.includes(x.kind)))
      expect({ needle: i.needle, present: text.includes(i.needle) }).toEqual({ needle: i.needle, present: sees(team, i) });
  }

  it('covers every level and release set for each kind, and the owner sees them all', async () => {
    expect(items).toHaveLength(TLP_LEVELS.length * RELEASE_SETS.length * (KINDS.length + 2));
    for (const k of KINDS) {
      const own = await alice.get(url(`${k.path}?limit=1000`));
      exactly('US', JSON.stringify(own.body), [k.kind]);
    }
  });

  it('live socket frames carry exactly the visible items, samples created and deleted included', () => {
    for (const v of viewers) {
      exactly(v.team, v.live.raw.join('\n'));
      for (const i of items.filter((x) => x.kind === 'deleted-sample')) {
        const got = v.live.events.some((e) => e.type === 'sample:deleted' && (e.payload as { id: string }).id === i.id);
        expect({ who: v.name, sample: i.id, got }).toEqual({ who: v.name, sample: i.id, got: sees(v.team, i) });
      }
    }
  });

  it("a finding's samples are listed exactly to the teams that see the finding", async () => {
    for (const v of viewers) {
      for (const i of items.filter((x) => x.kind === 'sample')) {
        const listed = await call(server.url, v.api, 'GET', samplesPath(ws, i.findingId!));
        expect({ who: v.name, needle: i.needle, status: listed.status }).toEqual({ who: v.name, needle: i.needle, status: sees(v.team, i) ? 200 : 404 });
        expect(JSON.stringify(listed.body ?? '').includes(i.needle)).toBe(sees(v.team, i));
      }
    }
  });

  it('REST lists, totals, a text filter and reads by id show exactly the visible items', async () => {
    for (const v of viewers) {
      for (const k of KINDS) {
        const listed = await v.api.get(url(`${k.path}?limit=1000`));
        expect(listed.status).toBe(200);
        exactly(v.team, JSON.stringify(listed.body), [k.kind]);
        const mine = items.filter((i) => i.kind === k.kind && sees(v.team, i)).length;
        // The root network and root host are visible to all and counted too.
        const roots = k.kind === 'network' || k.kind === 'host' ? 1 : 0;
        const total = before[`${v.name}|${k.kind}`]! + mine + roots;
        expect({ who: v.name, kind: k.kind, total: listed.body.total }).toEqual({ who: v.name, kind: k.kind, total });
        for (const i of items.filter((x) => x.kind === k.kind)) {
          const one = await v.api.get(url(`${k.path}/${i.id}`));
          expect({ who: v.name, needle: i.needle, status: one.status }).toEqual({ who: v.name, needle: i.needle, status: sees(v.team, i) ? 200 : 404 });
          if (one.status === 404) expect(JSON.stringify(one.body)).not.toContain(i.needle);
        }
      }
      const filtered = await v.api.get(url('hosts?q=strict'));
      expect(filtered.body.total).toBe(0);
      const red = JSON.stringify((await v.api.get(url('timeline?q=EVENT-red'))).body);
      for (const i of items.filter((x) => x.kind === 'timeline'))
        expect({ needle: i.needle, present: red.includes(i.needle) }).toEqual({ needle: i.needle, present: i.marked.marking.tlp === 'RED' && sees(v.team, i) });
    }
  });

  it('catch-up over the socket and over REST, and the sync snapshot, hold exactly the visible items', async () => {
    for (const v of viewers) {
      const sync = await v.live.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
      expect(sync.data.snapshot).toBe(false);
      exactly(v.team, JSON.stringify(sync));
      exactly(v.team, JSON.stringify((await v.api.get(url('events?since=0'))).body));
      // Ahead of the server: a snapshot of the visible projection.
      const snap = await v.live.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 10_000_000 });
      expect(snap.data.snapshot).toBe(true);
      expect(Object.keys(snap.data.records)).toEqual(expect.arrayContaining(['networks', 'hosts', 'findings', 'timeline', 'samples']));
      exactly(v.team, JSON.stringify(snap), ['network', 'host', 'finding', 'timeline', 'sample']);
      // A deleted sample is in no snapshot, whoever asks.
      for (const i of items.filter((x) => x.kind === 'deleted-sample')) expect(JSON.stringify(snap.data.records.samples)).not.toContain(i.id);
      expect(snap.data.records.samples).toHaveLength(items.filter((i) => i.kind === 'sample' && sees(v.team, i)).length);
    }
  });

  it('a host added again by a team that cannot see it tells that team nothing about it', async () => {
    const ben = viewers[0]!;
    const hidden = items.find((i) => i.kind === 'host' && !sees('CA', i))!;
    const root = (await alice.get(url('networks?q=root'))).body.items[0].id;
    const again = await ben.api.post(url('hosts'), { networkId: root, hostname: hidden.needle.toUpperCase() });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ outcome: 'exists-hidden', seq: expect.any(Number) });
    expect(JSON.stringify(again.body)).not.toContain(hidden.id);
  });

  it('narrowing a network narrows everything on it: a team that loses sight of it keeps nothing of it, on any path', async () => {
    // Open to all, then narrowed to CA: LV (hunter and guest) must lose the network, its host, the
    // finding, its sample and the event; CA keeps them all; a host of LV's own refuses the narrowing.
    const net = (await alice.post(url('networks'), { name: 'NARROW-net-zq', tlp: 'GREEN' })).body.network.id;
    const host = (await viewers[0]!.api.post(url('hosts'), { networkId: net, hostname: 'narrow-host-zq' })).body.host.id;
    const finding = (await alice.post(url('findings'), { hostId: host, kind: 'malware', title: 'NARROW-finding-zq' })).body.finding.id;
    const sample = await upload(server.url, alice, ws, finding, Buffer.from('narrowed sample'), { name: 'NARROW-sample-zq.bin' });
    const event = (await alice.post(url('timeline'), { at: '2026-11-06T08:00:00Z', hostId: host, findingIds: [finding], description: 'NARROW-event-zq' })).body.event.id;
    expect([net, host, finding, sample.body.id, event].every(Boolean)).toBe(true);
    const lvHost = (await viewers[1]!.api.post(url('hosts'), { networkId: net, hostname: 'lv-own-zq' })).body.host.id;
    const refused = await alice.patch(url(`networks/${net}`), { tlp: 'AMBER', releasableTo: ['CA'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('LV would lose sight of it but keeps seeing its own host "lv-own-zq"');
    expect((await viewers[1]!.api.get(url(`findings/${finding}`))).status).toBe(200);
    expect((await viewers[1]!.api.delete(url(`hosts/${lvHost}`))).status).toBe(200);

    const narrowed = await alice.patch(url(`networks/${net}`), { tlp: 'AMBER', releasableTo: ['CA'] });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.narrowedChildren).toEqual([
      { kind: 'host', id: host },
      { kind: 'finding', id: finding },
      { kind: 'timeline', id: event },
    ]);
    const needles = ['NARROW-net-zq', 'narrow-host-zq', 'NARROW-finding-zq', 'NARROW-sample-zq.bin', 'NARROW-event-zq'];
    for (const v of viewers) {
      const keeps = v.team === 'CA';
      // Live: the teams that lost sight got a revoke for each.
      for (const [type, id] of [
        ['network:revoked', net],
        ['host:revoked', host],
        ['finding:revoked', finding],
        ['timeline:revoked', event],
      ] as const)
        await eventually(() => expect({ who: v.name, type, got: v.live.events.some((e) => e.type === type && e.recordId === id) }).toEqual({ who: v.name, type, got: !keeps }));
      for (const [path, id] of [
        ['networks', net],
        ['hosts', host],
        ['findings', finding],
        ['timeline', event],
      ] as const)
        expect({ who: v.name, path, status: (await v.api.get(url(`${path}/${id}`))).status }).toEqual({ who: v.name, path, status: keeps ? 200 : 404 });
      expect((await call(server.url, v.api, 'GET', samplesPath(ws, finding))).status).toBe(keeps ? 200 : 404);
      const paths = [
        JSON.stringify((await v.api.get(url('hosts?limit=1000'))).body),
        JSON.stringify((await v.api.get(url('findings?limit=1000'))).body),
        JSON.stringify((await v.api.get(url('timeline?limit=1000'))).body),
        JSON.stringify(await v.live.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 })),
        JSON.stringify(await v.live.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 10_000_000 })),
        JSON.stringify((await v.api.get(url('events?since=0'))).body),
      ];
      for (const needle of needles) {
        const text = needle === 'NARROW-net-zq' ? paths.slice(3).join('\n') : paths.join('\n');
        expect({ who: v.name, needle, present: text.includes(needle) }).toEqual({ who: v.name, needle, present: keeps });
      }
    }
  });

  it('an owner of another team: the audit trail names exactly the hunt items its team may see', async () => {
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    try {
      const trail = JSON.stringify((await viewers[0]!.api.get(url('audit'))).body);
      for (const i of items) expect({ needle: i.needle, named: trail.includes(i.id) }).toEqual({ needle: i.needle, named: sees('CA', i) });
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });
});
