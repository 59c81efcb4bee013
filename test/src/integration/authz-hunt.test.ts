/**
 * Authorization of the hunt operation routes (issue 18): every route of networks, hosts, findings and
 * the timeline, for every kind of caller: anonymous, a member of another team outside the workspace
 * (session and personal access token), an observer, a guest of a live handoff, a hunter of another team,
 * an owner of another team, and a session without the CSRF header. Items limited to the US team answer
 * 404 to every other team, exactly like missing ones; writes by readers are refused; nothing refused
 * changes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/http.js';
import { authzCallers, tokenClient } from '../helpers/partners.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('hunt operations: authorization', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient; // US, owner
  let ben: ApiClient; // CA, hunter
  let liga: ApiClient; // LV, not a member of ws
  let olga: ApiClient; // LV observer
  let inga: ApiClient; // LV guest of a live handoff
  /** Per kind: an item every team sees, and one only US sees. */
  const ids: Record<string, { open: string; usOnly: string }> = {};
  const url = (path: string) => `/api/workspaces/${ws}/${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    ({ ws, alice, ben, liga, olga, inga } = await authzCallers(server.url));
    for (const [name, m] of [
      ['open', { tlp: 'AMBER' }],
      ['usOnly', { tlp: 'RED', releasableTo: ['US'] }],
    ] as const) {
      const n = (await alice.post(url('networks'), { name: `net ${name}`, ...m })).body.network.id;
      const h = (await alice.post(url('hosts'), { networkId: n, hostname: `host-${name}`, ...m })).body.host.id;
      const f = (await alice.post(url('findings'), { hostId: h, kind: 'malware', title: `finding ${name}`, ...m })).body.finding.id;
      const e = (await alice.post(url('timeline'), { at: '2026-11-01T00:00:00Z', hostId: h, description: `event ${name}`, ...m })).body.event.id;
      for (const [kind, id] of Object.entries({ networks: n, hosts: h, findings: f, timeline: e })) (ids[kind] ??= { open: '', usOnly: '' })[name] = id;
    }
  });
  afterAll(() => server.stop());

  /** Valid bodies, so a refusal is about who asks, never about what was sent. */
  const createBody = (kind: string): unknown =>
    ({
      networks: { name: 'probe network' },
      hosts: { networkId: ids.networks!.open, hostname: 'probe-host' },
      findings: { hostId: ids.hosts!.open, kind: 'other', title: 'probe finding' },
      timeline: { at: '2026-11-02T00:00:00Z', description: 'probe event' },
    })[kind];
  const patchBody = (kind: string): unknown => ({ networks: { partner: 'probe' }, hosts: { os: 'probe' }, findings: { severity: 'low' }, timeline: { source: 'probe' } })[kind];
  const bulkBody = (kind: string) => ({ items: [createBody(kind)] });

  /** Every route of every kind, as `[label, status]` for `api`. */
  async function sweep(api: ApiClient): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const kind of Object.keys(ids)) {
      out[`GET ${kind}`] = (await api.get(url(kind))).status;
      out[`POST ${kind}`] = (await api.post(url(kind), createBody(kind))).status;
      if (kind === 'hosts' || kind === 'timeline') out[`POST ${kind}/bulk`] = (await api.post(url(`${kind}/bulk`), bulkBody(kind))).status;
      for (const which of ['open', 'usOnly'] as const) {
        const id = ids[kind]![which];
        out[`GET ${kind}/${which}`] = (await api.get(url(`${kind}/${id}`))).status;
        out[`PATCH ${kind}/${which}`] = (await api.patch(url(`${kind}/${id}`), patchBody(kind))).status;
        out[`PATCH ${kind}/${which} marking`] = (await api.patch(url(`${kind}/${id}`), { tlp: 'AMBER+STRICT' })).status;
      }
    }
    return out;
  }
  const all = (status: number, sample: Record<string, number>) => Object.fromEntries(Object.keys(sample).map((k) => [k, status]));
  const counts = async () => Promise.all(Object.keys(ids).map(async (k) => (await alice.get(url(k))).body.total as number));

  it('refuses anonymous callers, members of other teams outside the workspace (session and token) and a missing CSRF header; nothing changes', async () => {
    const before = await counts();
    const anon = await sweep(new ApiClient(server.url));
    expect(anon).toEqual(all(401, anon));
    const outsider = await sweep(liga);
    expect(outsider).toEqual(all(404, outsider));
    const outsiderToken = await sweep(await tokenClient(liga, 'hunt script'));
    expect(outsiderToken).toEqual(all(404, outsiderToken));
    const noCsrf = new ApiClient(server.url);
    noCsrf.cookie = alice.cookie;
    const csrf = await sweep(noCsrf);
    for (const [route, status] of Object.entries(csrf)) expect({ route, status }).toEqual({ route, status: route.startsWith('GET') ? 200 : 403 });
    expect(await counts()).toEqual(before);
  });

  it('lets observers and guests read what their team may see and never write', async () => {
    const before = await counts();
    for (const api of [olga, inga]) {
      const seen = await sweep(api);
      for (const [route, status] of Object.entries(seen)) {
        const expected = !route.startsWith('GET') ? 403 : route.endsWith('usOnly') ? 404 : 200;
        expect({ route, status }).toEqual({ route, status: expected });
      }
    }
    for (const kind of Object.keys(ids)) {
      expect((await olga.delete(url(`${kind}/${ids[kind]!.open}`))).status).toBe(403);
      expect((await inga.delete(url(`${kind}/${ids[kind]!.usOnly}`))).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('a hunter of another team: hidden items are 404 on every verb, visible ones writable but not re-marked or deleted; its token acts the same', async () => {
    for (const api of [ben, await tokenClient(ben, 'hunt script')]) {
      const seen = await sweep(api);
      for (const [route, status] of Object.entries(seen)) {
        let expected = route.startsWith('POST') ? 201 : 200;
        if (route.includes('usOnly')) expected = 404;
        else if (route.endsWith('marking')) expected = 403;
        expect({ route, status }).toEqual({ route, status: expected });
      }
      for (const kind of Object.keys(ids)) {
        expect((await api.delete(url(`${kind}/${ids[kind]!.usOnly}`))).status).toBe(404);
        expect((await api.delete(url(`${kind}/${ids[kind]!.open}`))).status).toBe(403);
      }
    }
    const hidden = await ben.get(url(`hosts/${ids.hosts!.usOnly}`));
    const missing = await ben.get(url('hosts/no-such-host'));
    expect(hidden.body).toEqual(missing.body);
  });

  it('an owner of another team still gets 404 for what its team may not see, and may delete what it sees', async () => {
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    try {
      for (const kind of ['timeline', 'findings'] as const) {
        expect((await ben.get(url(`${kind}/${ids[kind]!.usOnly}`))).status).toBe(404);
        expect((await ben.patch(url(`${kind}/${ids[kind]!.usOnly}`), { tlp: 'CLEAR' })).status).toBe(404);
        expect((await ben.delete(url(`${kind}/${ids[kind]!.usOnly}`))).status).toBe(404);
      }
      const ev = (await alice.post(url('timeline'), { at: '2026-11-03T00:00:00Z', description: 'owner may delete' })).body.event.id;
      expect((await ben.delete(url(`timeline/${ev}`))).status).toBe(200);
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });

  it('refuses bad input with a clear error and never a 500', async () => {
    for (const [path, body] of [
      ['networks', { name: '' }],
      ['networks', { name: 'x', periodFrom: 'soon' }],
      ['networks', { name: 'x', releasableTo: ['NOPE'] }],
      ['hosts', { networkId: ids.networks!.open, addresses: ['not-an-address'] }],
      ['hosts', { networkId: ids.networks!.open, hostname: 'x', role: 'mainframe' }],
      ['findings', { hostId: ids.hosts!.open, kind: 'malware' }],
      ['timeline', { at: '2026-11-02T00:00:00Z', description: 'x', sourceTimeZone: 'Nowhere/City' }],
      ['hosts/bulk', { items: [] }],
      ['timeline/bulk', { items: 'x' }],
    ] as const) {
      const res = await alice.post(url(path), body);
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({ path, body, status: 400, code: 'validation_failed' });
    }
    expect((await alice.get(url('timeline?from=yesterday'))).status).toBe(400);
    expect((await alice.get(url('hosts?limit=0'))).status).toBe(400);
    expect((await alice.request('POST', url('hosts'), '{"networkId": ')).status).toBe(400);
  });
});
