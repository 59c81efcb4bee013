/**
 * Markings on every path that leaves the server: socket emits (raw frames searched for the value),
 * sync, REST list/get/search/counts; narrowing revokes; observers cannot write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, eventually, login, observer, settle, type Client } from './indicators-helpers.js';

describe('indicator markings', () => {
  let server: TestServer;
  let ws: string;
  let alice: Client;
  let ben: Client;
  let liga: Client;
  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await connect(server.url, await login(server.url, 'alice'), ws);
    ben = await connect(server.url, await login(server.url, 'ben'), ws);
    liga = await connect(server.url, await login(server.url, 'liga'), ws);
  });
  afterAll(async () => {
    for (const c of [alice, ben, liga]) c.close();
    await server.stop();
  });

  const secrets = { strict: 'strict-secret.example', red: 'red-for-lv.example', redNobody: 'red-nobody.example' };

  it('never sends AMBER+STRICT or RED to a team it is not releasable to, on any path', async () => {
    const strict = await alice.cmd('indicator:create', { type: 'domain', value: secrets.strict, tlp: 'AMBER+STRICT' });
    const red = await alice.cmd('indicator:create', { type: 'domain', value: secrets.red, tlp: 'RED', releasableTo: ['LV'] });
    await alice.cmd('indicator:create', { type: 'domain', value: secrets.redNobody, tlp: 'RED' });
    expect([strict.ok, red.ok]).toEqual([true, true]);
    // Comment on the strict one, and a bulk batch mixing markings.
    await alice.cmd('comment:add', { indicatorId: (strict as any).data.indicator.id, body: `note on ${secrets.strict}` });
    await alice.cmd('indicator:bulkCreate', {
      items: [
        { type: 'domain', value: 'bulk-shared.example' },
        { type: 'domain', value: 'bulk-strict-secret.example', tlp: 'AMBER+STRICT' },
      ],
    });
    await eventually(() => expect(liga.events.some((e) => (e.payload as any).indicator?.value === secrets.red)).toBe(true));
    await eventually(() => expect(ben.events.some((e) => (e.payload as any).indicator?.value === 'bulk-shared.example')).toBe(true));
    await settle();
    const bensFrames = ben.raw.join('\n');
    // The capture works: what ben may see is in his frames.
    expect(bensFrames).toContain('bulk-shared.example');
    for (const v of [secrets.strict, secrets.red, secrets.redNobody, 'bulk-strict-secret']) expect(bensFrames).not.toContain(v);
    const ligasFrames = liga.raw.join('\n');
    for (const v of [secrets.strict, secrets.redNobody, 'bulk-strict-secret']) expect(ligasFrames).not.toContain(v);

    const sync = await ben.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
    const rest = await Promise.all([
      ben.api.get(`/api/workspaces/${ws}/indicators`),
      ben.api.get(`/api/workspaces/${ws}/indicators?q=secret`),
      ben.api.get(`/api/workspaces/${ws}/indicators?tlp=AMBER%2BSTRICT`),
      ben.api.get(`/api/workspaces/${ws}/indicators?team=US`),
      ben.api.get(`/api/workspaces/${ws}/events?since=0`),
      ben.api.get(`/api/workspaces/${ws}/indicators/${(strict as any).data.indicator.id}`),
    ]);
    const everything = JSON.stringify([sync, ...rest.map((r) => r.body)]);
    for (const v of [secrets.strict, secrets.red, secrets.redNobody, 'bulk-strict-secret']) expect(everything).not.toContain(v);
    expect(rest[0].body.total).toBe(1);
    expect(rest[1].body.total).toBe(0);
    expect(rest[2].body).toMatchObject({ total: 0, items: [] });
    expect(rest[5].status).toBe(404);
    expect((await liga.api.get(`/api/workspaces/${ws}/indicators`)).body.total).toBe(2);
    expect((await alice.api.get(`/api/workspaces/${ws}/indicators`)).body.total).toBe(5);
  });

  it('revokes at once for the teams that lose sight when a marking narrows', async () => {
    const made = await ben.cmd('indicator:create', { type: 'ip-dst', value: '203.0.113.50', tlp: 'AMBER' });
    const id = (made as any).data.indicator.id;
    await eventually(() => expect(liga.events.some((e) => e.recordId === id)).toBe(true));
    expect(await liga.cmd('indicator:update', { id, tlp: 'RED' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const marked = liga.raw.length;
    expect(await ben.cmd('indicator:update', { id, tlp: 'RED', releasableTo: ['US'] })).toMatchObject({ ok: true, data: { indicator: { tlp: 'RED', releasableTo: ['US'] } } });
    await eventually(() => expect(liga.events.filter((e) => e.recordId === id).at(-1)).toMatchObject({ type: 'indicator:revoked', payload: { kind: 'indicator', id } }));
    await eventually(() => expect(alice.events.filter((e) => e.recordId === id).at(-1)).toMatchObject({ type: 'indicator:updated' }));
    await settle();
    expect(alice.events.some((e) => e.type === 'indicator:revoked' && e.recordId === id)).toBe(false);
    expect(liga.raw.slice(marked).join('\n')).not.toContain('203.0.113.50');
    expect((await liga.api.get(`/api/workspaces/${ws}/indicators/${id}`)).status).toBe(404);
    // A later change of the now-hidden indicator reaches US, not LV.
    await ben.cmd('indicator:update', { id, status: 'confirmed' });
    await eventually(() => expect(alice.events.filter((e) => e.recordId === id).at(-1)).toMatchObject({ payload: { indicator: { status: 'confirmed' } } }));
    await settle();
    expect(liga.events.filter((e) => e.recordId === id).at(-1)!.type).toBe('indicator:revoked');
  });

  it('refuses every write of an observer with forbidden, over sockets and REST', async () => {
    const olgaApi = await observer(server.url, alice.api, ws);
    const olga = await connect(server.url, olgaApi, ws);
    try {
      const id = (await alice.api.get(`/api/workspaces/${ws}/indicators?q=bulk-shared`)).body.items[0].id;
      const writes: [string, Record<string, unknown>][] = [
        ['indicator:create', { type: 'domain', value: 'observer.example' }],
        ['indicator:update', { id, status: 'benign' }],
        ['indicator:bulkCreate', { items: [{ type: 'domain', value: 'observer2.example' }] }],
        ['indicator:bulkUpdate', { ids: [id], status: 'benign' }],
        ['indicator:delete', { id }],
        ['sighting:add', { indicatorId: id }],
        ['comment:add', { indicatorId: id, body: 'hi' }],
      ];
      for (const [type, payload] of writes) expect(await olga.cmd(type, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await olgaApi.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'observer.example' })).status).toBe(403);
      // Observers read what their team (LV) may see.
      const seen = await olgaApi.get(`/api/workspaces/${ws}/indicators`);
      expect(seen.body.items.map((i: any) => i.value)).toContain(secrets.red);
      expect(JSON.stringify(seen.body)).not.toContain(secrets.strict);
    } finally {
      olga.close();
    }
  });
});
