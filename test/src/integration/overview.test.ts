/**
 * GET /api/workspaces/:id/overview (issue 19 item 3): every number is of items the caller's team may
 * see. CA makes items only CA may see (an indicator with its own technique, a note, a network and a
 * host, a status change); the others' overview counts none of it, names none of it in the last hour,
 * and ranks none of its techniques; CA's own overview counts it all. Authorization: anonymous 401, a
 * non-member 404, an observer and a handoff guest read it with their team's view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceOverview } from '@huntroom/shared';
import { ApiClient } from '../helpers/http.js';
import { authzCallers } from '../helpers/partners.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HIDDEN = 'ca-only-overview-zq.example.org';
const SHARED = 'everyone-overview-zq.example.org';
const CA_ONLY = { tlp: 'AMBER', releasableTo: ['CA'] };

describe('workspace overview: counts only what the team may see', () => {
  let server: TestServer;
  let callers: Awaited<ReturnType<typeof authzCallers>>;
  const url = (path = '') => `/api/workspaces/${callers.ws}/${path}`;
  const overviewOf = async (api: ApiClient) => {
    const res = await api.get(url('overview'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as WorkspaceOverview;
  };

  beforeAll(async () => {
    server = await startTestServer();
    callers = await authzCallers(server.url);
    const { alice, ben } = callers;
    expect((await alice.post(url('indicators'), { type: 'domain', value: SHARED, tlp: 'AMBER', techniques: ['T1071.001'] })).status).toBe(201);
    const hidden = await ben.post(url('indicators'), { type: 'domain', value: HIDDEN, status: 'new', techniques: ['T1486'], ...CA_ONLY });
    expect(hidden.status).toBe(201);
    expect((await ben.patch(url(`indicators/${hidden.body.indicator.id}`), { status: 'confirmed' })).status).toBe(200);
    expect((await ben.post(url('notes'), { title: 'ca only note', marking: CA_ONLY })).status).toBe(201);
    const net = await ben.post(url('networks'), { name: 'CA-only network zq', ...CA_ONLY });
    expect(net.status, JSON.stringify(net.body)).toBe(201);
    expect((await ben.post(url('hosts'), { networkId: net.body.network.id, hostname: 'ca-host-zq', state: 'compromised', ...CA_ONLY })).status).toBe(201);
  }, 120_000);
  afterAll(() => server?.stop());

  it('another team sees none of CA-only items: not in counts, techniques, activity or coverage', async () => {
    const { alice, olga, inga } = callers;
    for (const [name, api] of [
      ['alice (US owner)', alice],
      ['olga (LV observer)', olga],
      ['inga (LV guest)', inga],
    ] as const) {
      const o = await overviewOf(api);
      const text = JSON.stringify(o);
      expect({ name, leaked: text.includes(HIDDEN) }).toEqual({ name, leaked: false });
      expect({ name, leakedNames: /ca-host-zq|CA-only network zq|ca only note|T1486/.test(text) }).toEqual({ name, leakedNames: false });
      expect(o.indicators.total).toBe(1);
      expect(o.indicators.byTeam).toEqual([expect.objectContaining({ key: 'US', count: 1 })]);
      expect(o.indicators.byStatus.map((s) => s.key)).toEqual(['new']);
      expect(o.indicators.perDay.reduce((s, d) => s + d.count, 0)).toBe(1);
      expect(o.documents.notes).toBe(0);
      expect(o.hunt).toBeNull();
      expect(o.techniques.map((t) => t.id)).toEqual(['T1071.001']);
      // The last hour: alice's add only; CA's add, status change, note, network and host are not counted.
      expect(o.activity.total).toBe(1);
      expect(o.activity.byTeam).toEqual([expect.objectContaining({ key: 'US', count: 1 })]);
      expect(o.activity.recent[0]).toMatchObject({
        type: 'indicator:created',
        subject: SHARED,
        actor: { username: 'alice', displayName: expect.any(String), team: { code: 'US' } },
      });
    }
  });

  it("CA's own overview counts all of it", async () => {
    const o = await overviewOf(callers.ben);
    expect(o.indicators.total).toBe(2);
    expect(o.indicators.byStatus.map((s) => s.key).sort()).toEqual(['confirmed', 'new']);
    expect(o.documents.notes).toBe(1);
    expect(o.hunt).toEqual({ networks: 1, hosts: [{ state: 'compromised', count: 1 }], findings: 0 });
    expect(o.techniques.map((t) => t.id).sort()).toEqual(['T1071.001', 'T1486']);
    expect(o.activity.recent.map((a) => a.subject)).toEqual(expect.arrayContaining([SHARED, `${HIDDEN} → confirmed`, 'ca-host-zq', 'CA-only network zq']));
  });

  it('anonymous callers get 401, non-members 404, the same for a workspace that does not exist', async () => {
    expect((await new ApiClient(server.url).get(url('overview'))).status).toBe(401);
    expect((await callers.liga.get(url('overview'))).status).toBe(404);
    expect((await callers.liga.get('/api/workspaces/no-such-workspace/overview')).status).toBe(404);
  });
});
