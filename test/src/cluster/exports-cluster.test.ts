/**
 * Exports in cluster mode (issue 21, "exports"): the rows are read from PostgreSQL a page at a time on
 * the main thread into the export thread (server/src/exports/collect.ts, build.ts). With 1,300
 * indicators (three pages and more), their sightings and comments, and 1,200 timeline events written
 * through node A, both nodes export the same files for the same recipient (the CSVs carry no generation
 * time: equal byte for byte), holding exactly the rows the recipient may see, as the summary counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { Cluster, clusterAvailable, type Node } from './cluster.js';

const MARKINGS = [{ tlp: 'CLEAR' }, { tlp: 'AMBER', releasableTo: ['CA'] }, { tlp: 'AMBER+STRICT' }, { tlp: 'RED', releasableTo: ['LV'] }] as const;

describe.skipIf(!clusterAvailable)('cluster: exports read from PostgreSQL in pages', () => {
  const cluster = new Cluster();
  let a: Node;
  let b: Node;
  let aliceA: ApiClient;
  let aliceB: ApiClient;
  let ws: string;

  beforeAll(async () => {
    a = await cluster.start({ EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' });
    b = await cluster.start({ EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' });
    aliceA = await loginAs(a.url, 'alice');
    aliceB = await loginAs(b.url, 'alice');
    ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id;
    const url = (path: string) => `/api/workspaces/${ws}/${path}`;
    const items = Array.from({ length: 1_300 }, (_, k) => ({ type: 'domain', value: `c-${k}.cluster-export.example.org`, ...MARKINGS[k % MARKINGS.length] }));
    expect((await aliceA.post(url('indicators/bulk'), { items })).status).toBe(201);
    const list = (await aliceA.get(url('indicators?limit=1000'))).body.items as { id: string }[];
    for (let k = 0; k < 8; k++) {
      const id = list[k * 97]!.id;
      expect((await aliceA.post(url(`indicators/${id}/sightings`), { context: `cluster sighting ${k}` })).status).toBe(201);
      expect((await aliceA.post(url(`indicators/${id}/comments`), { body: `cluster comment ${k}`, ...MARKINGS[k % MARKINGS.length] })).status).toBe(201);
    }
    const network = (await aliceA.post(url('networks'), { name: 'cluster', tlp: 'CLEAR' })).body.network.id;
    const host = (await aliceA.post(url('hosts/bulk'), { items: [{ networkId: network, hostname: 'cluster-host', tlp: 'CLEAR' }] })).body.results[0].id;
    const start = Date.parse('2026-11-01T00:00:00Z');
    const events = Array.from({ length: 1_200 }, (_, j) => ({
      at: new Date(start + j * 60_000).toISOString(),
      hostId: host,
      description: `cluster event ${j}`,
      ...MARKINGS[j % MARKINGS.length],
    }));
    expect((await aliceA.post(url('timeline/bulk'), { items: events })).status).toBe(201);
  }, 180_000);
  afterAll(() => cluster.stop(), 60_000);

  async function download(who: ApiClient, node: Node, format: string, recipient: string): Promise<Buffer> {
    const res = await fetch(`${node.url}/api/workspaces/${ws}/export/${format}?recipient=${recipient}`, { headers: { cookie: who.cookie! } });
    expect(res.status, `${format} for ${recipient}`).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it('both nodes export the same rows, exactly those the recipient may see', async () => {
    // US sees all 1,300 and 1,200; CA the CLEAR quarter and the AMBER one releasable to it; LV the CLEAR and the RED one.
    for (const recipient of ['US', 'CA', 'LV']) {
      const summary = (await aliceB.get(`/api/workspaces/${ws}/export?recipient=${recipient}`)).body;
      const want = recipient === 'US' ? [1_300, 1_200] : [650, 600];
      expect([summary.indicators, summary.timelineEvents], recipient).toEqual(want);
      for (const format of ['csv', 'timeline.csv']) {
        const [fromA, fromB] = await Promise.all([download(aliceA, a, format, recipient), download(aliceB, b, format, recipient)]);
        expect(fromB.equals(fromA), `${format} for ${recipient}: same bytes from both nodes`).toBe(true);
        const rows = fromB.toString('utf8').trimEnd().split('\r\n').length - 1;
        expect(rows, `${format} for ${recipient}: rows`).toBe(format === 'csv' ? want[0] : want[1]);
      }
      const stix = JSON.parse((await download(aliceB, b, 'stix', recipient)).toString('utf8')) as { objects: { type: string }[] };
      expect(stix.objects.filter((o) => o.type === 'indicator').length, `stix for ${recipient}`).toBe(want[0]);
    }
  }, 180_000);
});
