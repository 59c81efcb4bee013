/**
 * Catch-up after missed events, and a 100,000-indicator import committed in batches over a socket
 * (timed and reported, not asserted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { connect, startTwoTeams, type Client, type TwoTeams } from './indicators-helpers.js';

describe('indicator sync and bulk import', () => {
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

  it('returns exactly the visible events missed while disconnected', async () => {
    await alice.cmd('indicator:create', { type: 'domain', value: 'before.example' });
    const lastSeen = (await ben.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 })).data.seq as number;
    ben.close();
    const missed = [
      await alice.cmd('indicator:create', { type: 'domain', value: 'missed-1.example' }),
      await alice.cmd('indicator:create', { type: 'domain', value: 'hidden.example', tlp: 'AMBER+STRICT' }),
      await alice.cmd('indicator:create', { type: 'domain', value: 'missed-2.example', tlp: 'RED', releasableTo: ['CA'] }),
    ];
    const visibleSeqs = [missed[0]!, missed[2]!].map((a) => (a.ok ? a.seq : -1));
    await alice.cmd('sighting:add', { indicatorId: (missed[0] as any).data.indicator.id, context: 'sensor 4' });
    ben = await connect(server.url, ben.api, ws);
    const sync = await ben.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: lastSeen });
    expect(sync.ok).toBe(true);
    expect(sync.data.snapshot).toBe(false);
    const events = sync.data.events as any[];
    expect(events.map((e) => e.type)).toEqual(['indicator:created', 'indicator:created', 'indicator:sighted']);
    expect(events.slice(0, 2).map((e) => e.seq)).toEqual(visibleSeqs);
    expect(events.map((e) => e.payload.indicator?.value ?? e.payload.sighting.context)).toEqual(['missed-1.example', 'missed-2.example', 'sensor 4']);
    expect(JSON.stringify(sync)).not.toContain('hidden.example');
    const rest = await ben.api.get(`/api/workspaces/${ws}/events?since=${lastSeen}`);
    expect(rest.body).toEqual(sync.data);
  });

  it('commits 100,000 indicators in batches of 5,000 and reports the time', async () => {
    const total = 100_000;
    const batch = 5_000;
    const started = performance.now();
    const times: number[] = [];
    let created = 0;
    let sighted = 0;
    for (let i = 0; i < total; i += batch) {
      const items = Array.from({ length: batch }, (_, j) => {
        const n = i + j;
        // Mixed types, as a pasted report would give: addresses, domains and hashes.
        if (n % 3 === 0) return { type: 'ip-dst', value: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
        if (n % 3 === 1) return { type: 'domain', value: `host-${n}.bulk-example.net` };
        return { type: 'sha256', value: n.toString(16).padStart(64, '0') };
      });
      const t = performance.now();
      const ack = await alice.cmd('indicator:bulkCreate', { items });
      times.push(performance.now() - t);
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      created += ack.data.created;
      sighted += ack.data.sighted;
    }
    const totalMs = performance.now() - started;
    // Re-sending one batch records sightings, no new rows.
    const again = await alice.cmd('indicator:bulkCreate', { items: [{ type: 'domain', value: 'host-1.bulk-example.net' }] });
    expect(again).toMatchObject({ ok: true, data: { created: 0, sighted: 1 } });
    expect([created, sighted]).toEqual([total, 0]);
    const list = await ben.api.get(`/api/workspaces/${ws}/indicators?limit=1&q=bulk-example`);
    expect(list.body.total).toBe(33_333); // n % 3 === 1 for n < 100,000
    const t = performance.now();
    const page = await ben.api.get(`/api/workspaces/${ws}/indicators?limit=100`);
    const listMs = performance.now() - t;
    expect(page.body.total).toBeGreaterThan(total);
    const s = performance.now();
    const snap = await ben.socket.timeout(60_000).emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
    const snapMs = performance.now() - s;
    expect(snap.data.snapshot).toBe(true);
    console.log(
      `bulk import: ${total} indicators in ${total / batch} batches: ${(totalMs / 1000).toFixed(2)} s total, ` +
        `${Math.round(total / (totalMs / 1000))} indicators/s, batch median ${Math.round(times.sort((a, b) => a - b)[times.length >> 1]!)} ms, ` +
        `max ${Math.round(times.at(-1)!)} ms; list page at 100k: ${Math.round(listMs)} ms; sync snapshot (${snap.data.records.indicators.length} items): ${Math.round(snapMs)} ms; ` +
        `live events received by the other team: ${ben.events.length}`,
    );
  }, 600_000);
});
