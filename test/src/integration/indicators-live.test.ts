/** Two teams on real sockets: live delivery with who did it, de-duplication, idempotent retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../helpers/server.js';
import { connect, eventually, startTwoTeams, type Client, type TwoTeams } from './indicators-helpers.js';

describe('indicator board, live', () => {
  let server: TestServer;
  let ws: string;
  let alice: Client;
  let ben: Client;
  let teams: TwoTeams;
  beforeAll(async () => {
    teams = await startTwoTeams();
    ({ server, ws, alice, ben } = teams);
  });
  afterAll(() => teams.stop());

  it('delivers a new indicator to the other team live, with who did it', async () => {
    const ack = await alice.cmd('indicator:create', { type: 'domain', value: 'c2[.]live-example[.]com', tags: ['c2'] });
    expect(ack).toMatchObject({ ok: true, data: { outcome: 'created', indicator: { value: 'c2.live-example.com' } } });
    const seen = await eventually(() => {
      const e = ben.events.find((x) => x.type === 'indicator:created' && (x.payload as any).indicator.value === 'c2.live-example.com');
      if (!e) throw new Error('not yet');
      return e;
    });
    expect(seen.actor).toMatchObject({ username: 'alice', team: { code: 'US' } });
    expect(seen.seq).toBe(ack.ok && ack.seq);
  });

  it('records a duplicate as a sighting of the adding team, never a second row', async () => {
    const ack = await ben.cmd('indicator:create', { type: 'domain', value: 'C2.LIVE-EXAMPLE.COM.', sighting: { context: 'dns logs' } });
    expect(ack).toMatchObject({ ok: true, data: { outcome: 'sighted', indicator: { sightingCount: 1 } } });
    await eventually(() => expect(alice.events.some((e) => e.type === 'indicator:sighted' && e.actor.team.code === 'CA')).toBe(true));
    const list = await alice.api.get(`/api/workspaces/${ws}/indicators?q=live-example`);
    expect(list.body.total).toBe(1);
    const one = await alice.api.get(`/api/workspaces/${ws}/indicators/${list.body.items[0].id}`);
    expect(one.body.sightings).toMatchObject([{ team: { code: 'CA' }, context: 'dns logs' }]);
    expect(one.body.history.map((e: any) => e.type)).toEqual(['indicator:created', 'indicator:sighted']);
  });

  it('answers a retried command id with the first ack, also after a reconnect, and creates nothing twice', async () => {
    const id = randomUUID();
    const payload = { type: 'sha256', value: 'a'.repeat(64) };
    const first = await ben.cmd('indicator:create', payload, id);
    expect(first).toMatchObject({ ok: true, data: { outcome: 'created' } });
    expect(await ben.cmd('indicator:create', payload, id)).toEqual(first);
    ben.close();
    ben = await connect(server.url, ben.api, ws);
    expect(await ben.cmd('indicator:create', payload, id)).toEqual(first);
    const list = await ben.api.get(`/api/workspaces/${ws}/indicators?type=sha256`);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].sightingCount).toBe(0);
  });

  it('refuses bad payloads with validation_failed and field messages, and stores nothing', async () => {
    const before = (await alice.api.get(`/api/workspaces/${ws}/events?since=0`)).body.seq;
    const cases: [string, Record<string, unknown>, string][] = [
      ['indicator:create', { type: 'md5', value: 'nope' }, 'payload.value'],
      ['indicator:create', { type: 'domain', value: 'x.example', confidence: 900 }, 'payload.confidence'],
      ['indicator:create', { type: 'domain', value: 'x.example', tlp: 'PURPLE' }, 'payload.tlp'],
      ['indicator:update', { id: 'x', status: 'done' }, 'payload.status'],
      ['comment:add', { indicatorId: 'x', body: '' }, 'payload.body'],
    ];
    for (const [type, payload, field] of cases) {
      const ack = await alice.cmd(type, payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(!ack.ok && ack.error.fields).toHaveProperty([field]);
    }
    const noId = await alice.socket.emitWithAck('indicator:create', { payload: { workspaceId: ws, type: 'domain', value: 'y.example' } });
    expect(noId).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { id: expect.any(String) } } });
    expect((await alice.api.get(`/api/workspaces/${ws}/events?since=0`)).body.seq).toBe(before);
  });

  it('takes the same commands over REST, with an Idempotency-Key', async () => {
    const body = { type: 'url', value: 'hxxps://rest-example[.]org/a?b=1' };
    const key = { 'idempotency-key': randomUUID() };
    const a = await ben.api.request('POST', `/api/workspaces/${ws}/indicators`, body, key);
    const b = await ben.api.request('POST', `/api/workspaces/${ws}/indicators`, body, key);
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const id = a.body.indicator.id;
    expect((await ben.api.patch(`/api/workspaces/${ws}/indicators/${id}`, { status: 'confirmed', techniques: ['t1071.001'] })).body.indicator).toMatchObject({
      status: 'confirmed',
      techniques: ['T1071.001'],
    });
    expect((await alice.api.post(`/api/workspaces/${ws}/indicators/${id}/sightings`, { context: 'host-17' })).status).toBe(201);
    expect((await alice.api.post(`/api/workspaces/${ws}/indicators/${id}/comments`, { body: 'also on US sensors' })).status).toBe(201);
    await eventually(() => expect(ben.events.filter((e) => e.recordId === id).map((e) => e.type)).toEqual(expect.arrayContaining(['indicator:sighted', 'indicator:commented'])));
    const bad = await ben.api.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: 'not an ip' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
  });
});
