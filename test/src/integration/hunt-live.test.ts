/**
 * Hunt operations end to end on a real node (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
 * with real socket.io clients of three teams (alice US owner, ben CA hunter, liga LV hunter): REST
 * create/list/get/patch/delete of networks, hosts, findings and timeline events, host dedup and state
 * history, bulk rows judged one by one, live delivery only where releasable, catch-up after a
 * reconnect, revoke on a narrowed marking, observers reading but never writing, idempotent retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CommandAck } from '@huntroom/shared';
import { startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, eventually, login, observer, settle, type Client } from './indicators-helpers.js';

const backends = [['sqlite', startTestServer] as const, ...(TEST_DATABASE_URL ? [['postgres', startPostgresTestServer] as const] : [])];
if (!TEST_DATABASE_URL) console.warn('hunt-live: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

/** The data of an ack that must have succeeded. */
function data(ack: CommandAck<any>): any {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack.data;
}

describe.each(backends)('hunt operations on %s', (_name, start) => {
  let server: TestServer;
  let ws: string;
  let alice: Client;
  let ben: Client;
  let liga: Client;
  let olga: ApiClient;
  const url = (path: string) => `/api/workspaces/${ws}/${path}`;

  beforeAll(async () => {
    server = await start();
    ws = server.demo!.workspaceId;
    alice = await connect(server.url, await login(server.url, 'alice'), ws);
    ben = await connect(server.url, await login(server.url, 'ben'), ws);
    liga = await connect(server.url, await login(server.url, 'liga'), ws);
    olga = await observer(server.url, alice.api, ws);
  });
  afterAll(async () => {
    for (const c of [alice, ben, liga]) c.close();
    await server.stop();
  });

  it('creates, lists, reads, patches and deletes each kind over REST, with lists as {items, nextCursor}', async () => {
    const net = await alice.api.post(url('networks'), {
      name: 'Ministry HQ',
      partner: 'Ministry of Finance',
      huntingTeam: 'CA',
      periodFrom: '2026-11-01T00:00:00Z',
      periodTo: '2026-11-30T00:00:00Z',
    });
    expect(net.status).toBe(201);
    expect(net.body.network).toMatchObject({ name: 'Ministry HQ', huntingTeam: { code: 'CA' }, ownerTeam: { code: 'US' } });
    const n = net.body.network.id;
    const host = await ben.api.post(url('hosts'), { networkId: n, hostname: 'fin-dc01', addresses: ['10.20.0.10'], role: 'domain-controller', criticality: 'critical' });
    expect(host.status).toBe(201);
    const h = host.body.host.id;
    const ioc = await ben.api.post(url('indicators'), { type: 'domain', value: 'update-check.example.net' });
    const finding = await ben.api.post(url('findings'), {
      hostId: h,
      kind: 'persistence',
      severity: 'high',
      title: 'Scheduled task',
      indicatorIds: [ioc.body.indicator.id],
      techniques: ['T1053.005'],
    });
    expect(finding.status).toBe(201);
    const f = finding.body.finding.id;
    const ev = await ben.api.post(url('timeline'), { at: '2026-11-03T10:15:00+02:00', hostId: h, description: 'Task created', source: 'Security.evtx', findingIds: [f] });
    expect(ev.status).toBe(201);
    expect(ev.body.event).toMatchObject({ at: '2026-11-03T08:15:00.000Z', sourceTimeZone: '+02:00', networkId: n, team: { code: 'CA' } });

    for (const [path, id, key] of [
      ['networks', n, 'network'],
      ['hosts', h, 'host'],
      ['findings', f, 'finding'],
      ['timeline', ev.body.event.id, 'event'],
    ] as const) {
      const listed = await liga.api.get(url(path));
      expect(listed.status).toBe(200);
      expect(Object.keys(listed.body).sort()).toEqual(['items', 'nextCursor', 'total']);
      expect(listed.body.items.map((i: any) => i.id)).toContain(id);
      const one = await liga.api.get(url(`${path}/${id}`));
      expect(one.body[key].id).toBe(id);
      expect(one.body.history[0].actor.team.code).toMatch(/US|CA/);
    }
    expect((await alice.api.get(url(`hosts?network=${n}`))).body.items.map((i: any) => i.id)).toEqual([h]);
    expect((await alice.api.get(url(`findings?host=${h}`))).body.items.map((i: any) => i.id)).toEqual([f]);
    expect((await alice.api.get(url(`indicators/${ioc.body.indicator.id}`))).body.sightings).toMatchObject([{ team: { code: 'CA' }, context: `hunt finding ${f}` }]);

    const patched = await liga.api.patch(url(`hosts/${h}`), { state: 'compromised' });
    expect(patched.body.host).toMatchObject({ state: 'compromised', examinedBy: { code: 'LV' } });
    expect((await liga.api.patch(url(`hosts/${h}`), { state: 'examined-clean' })).status).toBe(400);
    // Deletes: referenced items first refused, then in order; only the owner team or a workspace owner.
    expect((await ben.api.delete(url(`hosts/${h}`))).status).toBe(409);
    expect((await liga.api.delete(url(`timeline/${ev.body.event.id}`))).status).toBe(403);
    expect((await ben.api.delete(url(`timeline/${ev.body.event.id}`))).status).toBe(200);
    expect((await ben.api.delete(url(`findings/${f}`))).status).toBe(200);
    expect((await ben.api.delete(url(`hosts/${h}`))).status).toBe(200);
    expect((await alice.api.delete(url(`networks/${n}`))).status).toBe(200);
    expect((await alice.api.get(url(`networks/${n}`))).status).toBe(404);
  });

  it('dedups hosts within a network, keeps the state history and answers a retried Idempotency-Key with the first answer', async () => {
    const n = (await alice.api.post(url('networks'), { name: 'Branch' })).body.network.id;
    const key = randomUUID();
    const first = await ben.api.request('POST', url('hosts'), { networkId: n, hostname: 'br-ws01', addresses: ['10.9.0.1'] }, { 'idempotency-key': key });
    const again = await ben.api.request('POST', url('hosts'), { networkId: n, hostname: 'br-ws01', addresses: ['10.9.0.1'] }, { 'idempotency-key': key });
    expect(again.body).toEqual(first.body);
    const merged = await liga.api.post(url('hosts'), { networkId: n, hostname: 'BR-WS01', addresses: ['fe80::1'] });
    expect(merged.body).toMatchObject({ outcome: 'merged', host: { id: first.body.host.id, addresses: ['10.9.0.1', 'fe80::1'] } });
    const byAddress = await liga.api.post(url('hosts'), { networkId: n, addresses: ['10.9.0.1'] });
    expect(byAddress.body).toMatchObject({ outcome: 'merged', host: { id: first.body.host.id } });
    expect((await alice.api.get(url(`hosts?network=${n}`))).body.total).toBe(1);
    await ben.api.patch(url(`hosts/${first.body.host.id}`), { state: 'suspicious' });
    const h = (await alice.api.patch(url(`hosts/${first.body.host.id}`), { state: 'compromised' })).body.host;
    expect(h.stateHistory.map((s: any) => `${s.from}>${s.to}@${s.team.code}`)).toEqual(['null>not-examined@CA', 'not-examined>suspicious@CA', 'suspicious>compromised@US']);
    // Who, by display name, on the REST detail and in the live event another team received.
    const who = ['Ben Tremblay', 'Ben Tremblay', 'Alice Carter'];
    const detail = (await liga.api.get(url(`hosts/${h.id}`))).body.host;
    expect(detail.stateHistory.map((s: any) => s.displayName)).toEqual(who);
    await eventually(() => {
      const live = liga.events.filter((e) => e.type === 'host:updated' && e.recordId === h.id).at(-1);
      expect((live?.payload as any)?.host.stateHistory.map((s: any) => `${s.displayName} (${s.team.code}) ${s.to}`)).toEqual([
        'Ben Tremblay (CA) not-examined',
        'Ben Tremblay (CA) suspicious',
        'Alice Carter (US) compromised',
      ]);
    });
  });

  it('bulk adds hosts and timeline events, each row judged on its own', async () => {
    const n = (await alice.api.post(url('networks'), { name: 'Bulk' })).body.network.id;
    const hosts = await ben.api.post(url('hosts/bulk'), {
      items: [
        { networkId: n, hostname: 'b1' },
        { networkId: n },
        { networkId: n, hostname: 'b2', addresses: ['10.0.0.2'] },
        'not an object',
        { networkId: n, addresses: ['10.0.0.2'] },
      ],
    });
    expect(hosts.status).toBe(201);
    expect(hosts.body).toMatchObject({ created: 2, merged: 1, rejected: 2 });
    expect(hosts.body.results.map((r: any) => r.outcome)).toEqual(['created', 'rejected', 'created', 'rejected', 'merged']);
    const h = hosts.body.results[0].id;
    const events = await ben.api.post(url('timeline/bulk'), {
      items: [
        { at: '2026-11-02T01:00:00Z', description: 'first', hostId: h },
        { at: 'not a time', description: 'bad' },
        { at: '2026-11-02T02:00:00Z', description: 'hidden host', hostId: 'no-such-host' },
        { at: '2026-11-02T03:00:00-05:00', description: 'third', sourceTimeZone: 'America/New_York', hostId: h, techniques: ['T1059'] },
      ],
    });
    expect(events.body).toMatchObject({ created: 2, rejected: 2 });
    expect(events.body.results[2]).toEqual({ index: 2, outcome: 'rejected', reason: 'hostId: host not found' });
    const ranged = await ben.api.get(url(`timeline?host=${h}&from=2026-11-02T00:00:00Z&to=2026-11-02T07:00:00Z`));
    expect(ranged.body.items.map((e: any) => e.description)).toEqual(['first']);
    const all = await ben.api.get(url(`timeline?host=${h}&limit=1`));
    expect(all.body.items.map((e: any) => e.description)).toEqual(['first']);
    const next = await ben.api.get(url(`timeline?host=${h}&limit=1&cursor=${encodeURIComponent(all.body.nextCursor)}`));
    expect(next.body).toMatchObject({ items: [{ description: 'third', sourceTimeZone: 'America/New_York', at: '2026-11-02T08:00:00.000Z' }], nextCursor: null });
    expect((await ben.api.get(url(`timeline?host=${h}&team=CA&technique=T1059`))).body.total).toBe(1);
    expect((await ben.api.get(url('timeline?from=2026-11-03T00:00:00Z&to=2026-11-01T00:00:00Z'))).status).toBe(400);
  });

  it('delivers live only to teams the item is releasable to, and a host marked compromised reaches the other team at once', async () => {
    const n = data(await ben.cmd('network:create', { name: 'Live net' })).network.id;
    await eventually(() => expect(alice.events.some((e) => e.type === 'network:created' && e.recordId === n)).toBe(true));
    const host = await ben.cmd('host:create', { networkId: n, hostname: 'live-srv' });
    const hostId = data(host).host.id;
    await eventually(() => expect(liga.events.some((e) => e.type === 'host:created' && e.recordId === hostId)).toBe(true));
    expect(await ben.cmd('host:update', { id: hostId, state: 'compromised' })).toMatchObject({ ok: true });
    await eventually(() =>
      expect(alice.events.find((e) => e.type === 'host:updated' && e.recordId === hostId && (e.payload as any).host.state === 'compromised')).toMatchObject({
        actor: { team: { code: 'CA' } },
      }),
    );
    // RED to US only: CA (owner) and US see it, LV receives nothing of it.
    const secret = await ben.cmd('finding:create', { hostId, kind: 'credential-theft', title: 'lsass-dump-live-secret', tlp: 'RED', releasableTo: ['US'] });
    expect(secret.ok).toBe(true);
    await eventually(() => expect(alice.raw.join('\n')).toContain('lsass-dump-live-secret'));
    await settle();
    expect(liga.raw.join('\n')).not.toContain('lsass-dump-live-secret');
  });

  it('catches a reconnecting client up on exactly what it may see, and revokes a narrowed item live and on catch-up', async () => {
    const n = data(await alice.cmd('network:create', { name: 'Catch-up net' })).network.id;
    const head = (await liga.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 })).data.seq as number;
    liga.close();
    const open = await alice.cmd('host:create', { networkId: n, hostname: 'while-away-open' });
    await alice.cmd('host:create', { networkId: n, hostname: 'while-away-hidden', tlp: 'AMBER+STRICT' });
    liga = await connect(server.url, liga.api, ws);
    const caught = await liga.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: head });
    const text = JSON.stringify(caught);
    expect(text).toContain('while-away-open');
    expect(text).not.toContain('while-away-hidden');

    const id = data(open).host.id;
    expect(await liga.cmd('host:update', { id, tlp: 'RED' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await alice.cmd('host:update', { id, tlp: 'RED', releasableTo: ['CA'] })).toMatchObject({ ok: true });
    await eventually(() => expect(liga.events.find((e) => e.recordId === id && e.type === 'host:revoked')).toMatchObject({ payload: { kind: 'host', id } }));
    await eventually(() => expect(ben.events.some((e) => e.recordId === id && e.type === 'host:updated')).toBe(true));
    expect(ben.events.some((e) => e.type === 'host:revoked' && e.recordId === id)).toBe(false);
    const after = JSON.stringify(await liga.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: head }));
    expect(after).not.toContain('while-away-open');
    expect(after).toContain('host:revoked');
    expect((await liga.api.get(url(`hosts/${id}`))).status).toBe(404);
  });

  it('runs a retried socket command once: same ack, one item, one event', async () => {
    const id = randomUUID();
    const first = await ben.cmd('timeline:bulkCreate', { items: [{ at: '2026-11-09T00:00:00Z', description: 'retried-socket-event' }] }, id);
    const again = await ben.cmd('timeline:bulkCreate', { items: [{ at: '2026-11-09T00:00:00Z', description: 'retried-socket-event' }] }, id);
    expect(again).toEqual(first);
    expect((await ben.api.get(url('timeline?q=retried-socket-event'))).body.total).toBe(1);
    await eventually(() => expect(alice.events.filter((e) => e.type === 'timeline:created' && (e.payload as any).event.description === 'retried-socket-event')).toHaveLength(1));
    // The same id for another command type is refused, not run.
    expect(await ben.cmd('network:create', { name: 'reuse' }, id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('lets observers read what they may see and never write, over REST and the socket', async () => {
    const n = (await alice.api.post(url('networks'), { name: 'Observed' })).body.network.id;
    expect((await olga.get(url('networks'))).body.items.map((i: any) => i.id)).toContain(n);
    for (const [path, body] of [
      ['networks', { name: 'x' }],
      ['hosts', { networkId: n, hostname: 'x' }],
      ['hosts/bulk', { items: [{ networkId: n, hostname: 'x' }] }],
      ['timeline', { at: '2026-11-01T00:00:00Z', description: 'x' }],
      ['timeline/bulk', { items: [{ at: '2026-11-01T00:00:00Z', description: 'x' }] }],
    ] as const) {
      expect((await olga.post(url(path), body)).status).toBe(403);
    }
    expect((await olga.patch(url(`networks/${n}`), { name: 'renamed' })).status).toBe(403);
    expect((await olga.delete(url(`networks/${n}`))).status).toBe(403);
    const live = await connect(server.url, olga, ws);
    expect(await live.cmd('network:create', { name: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    live.close();
    expect((await alice.api.get(url(`networks/${n}`))).body.network.name).toBe('Observed');
  });
});
