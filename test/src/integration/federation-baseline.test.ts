/**
 * The baseline of a new share in pages (server/src/federation/records/baseline.ts), on two real
 * instances: 1,500 indicators in pages of 50, the home restarted on its data in the middle (the link
 * suspended first, so the baseline is caught half sent), live changes meanwhile to an item the baseline
 * had sent and to one it had not reached yet. Afterwards lv-cert holds exactly what us-cert holds, every
 * item crossed once as a baseline copy (the home's audit and lv-cert's log), and no live change was
 * overtaken by an older baseline copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, FAST_LINKS, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';

const N = 1_500;
const PAGE = 50;
const CHANNEL = { ...FAST_LINKS.federationChannel, baselinePage: PAGE };

describe('baseline in pages', () => {
  let us: Nation;
  let lv: Nation;
  /** us-cert after its restart (same data directory and port). */
  let usNode: Huntroom;
  let alice: ApiClient;
  let ws: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice'], {}, { federationChannel: CHANNEL }), startNation('lv-cert', 'LV', ['liga'])]);
    usNode = us;
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Paged Heron');
  }, 90_000);
  afterAll(async () => {
    if (usNode !== us) await usNode.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  const count = async (node: Huntroom): Promise<number> =>
    Number((await node.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ?', [ws]))?.n ?? 0);
  const progress = (node: Huntroom) => node.ctx.db.get<{ phase: string; after_seq: number }>('SELECT phase, after_seq FROM federation_baselines WHERE workspace_id = ?', [ws]);

  it('sends every item once, in order with live changes, across a restart of the home mid-baseline', async () => {
    for (let done = 0; done < N; done += 500) {
      const items = Array.from({ length: 500 }, (_, i) => ({ type: 'domain', value: `paged-${done + i}.baseline.example`, tlp: 'AMBER', releasableTo: ['US', 'LV'] }));
      const r = await alice.post<{ created: number }>(`/api/workspaces/${ws}/indicators/bulk`, { items });
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
    }
    const ids = (await us.ctx.db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? ORDER BY created_seq, id', [ws])).map((r) => r.id);
    expect(ids).toHaveLength(N);
    const [first, second] = ids;
    const [last, beforeLast] = [ids[N - 1]!, ids[N - 2]!];
    await alice.post(`/api/workspaces/${ws}/indicators/${first}/sightings`, { context: 'before the share' });

    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    // Caught in the middle: the peer goes away once some pages arrived.
    await eventually(async () => expect(await count(lv)).toBeGreaterThanOrEqual(3 * PAGE), 60_000);
    await cli(lv, 'federation', 'link', 'suspend', '--name', 'us-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    const halfway = await progress(us);
    expect(halfway?.phase, 'the baseline finished before the link was suspended: make N larger').toBe('indicator');
    const held = await count(lv);
    expect(held).toBeLessThan(N);

    // Live changes while the baseline is half sent: to an item it sent, to one it has not reached, a new
    // item and a delete of an item it has not reached.
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${first}`, { tags: ['changed-after-its-copy'] })).status).toBe(200);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${last}`, { tags: ['changed-before-its-page'] })).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/indicators/${beforeLast}`)).status).toBe(200);
    const added = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
      type: 'domain',
      value: 'made-during.baseline.example',
      tlp: 'AMBER',
      releasableTo: ['US', 'LV'],
    });
    expect(added.status).toBe(201);

    // The home restarts on its data (a clean stop here: kill -9 is the faults suite's; the progress row
    // is written with each page either way).
    const port = us.port;
    await us.close();
    usNode = await startHuntroom({
      ...FAST_LINKS,
      federationChannel: CHANNEL,
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: us.dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'off', ...GENEROUS_LIMITS },
    });
    await cli(lv, 'federation', 'link', 'resume', '--name', 'us-cert');
    await eventually(async () => {
      expect(await progress(usNode)).toBeUndefined();
      expect(await count(lv)).toBe(N);
    }, 120_000);

    const onUs = (await usNode.ctx.db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? ORDER BY id', [ws])).map((r) => r.id);
    const onLv = (await lv.ctx.db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? ORDER BY id', [ws])).map((r) => r.id);
    expect(onLv).toEqual(onUs);
    expect(onLv).not.toContain(beforeLast);
    expect(onLv).toContain(added.body.indicator.id);
    const tags = async (id: string) => JSON.parse((await lv.ctx.db.get<{ tags: string }>('SELECT tags FROM indicators WHERE id = ?', [id]))!.tags) as string[];
    expect(await tags(first!)).toEqual(['changed-after-its-copy']);
    expect(await tags(last)).toEqual(['changed-before-its-page']);
    expect(Number((await lv.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM indicator_sightings WHERE indicator_id = ?', [first!]))?.n)).toBe(1);

    // Exactly once: one baseline copy of each item sent by the home, one created event each at lv-cert.
    const sent = await usNode.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.sent' AND workspace_id = ?", [ws]);
    const copies = new Map<string, number>();
    for (const r of sent) {
      const d = JSON.parse(r.detail) as { id: string; type: string; baseline?: boolean };
      if (d.baseline && d.type === 'indicator:created') copies.set(d.id, (copies.get(d.id) ?? 0) + 1);
    }
    expect(copies.size).toBe(N);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    const created = await lv.ctx.db.all<{ record_id: string; n: number }>(
      "SELECT record_id, COUNT(*) AS n FROM record_events WHERE workspace_id = ? AND type = 'indicator:created' GROUP BY record_id",
      [ws],
    );
    expect(created).toHaveLength(N);
    expect(created.every((r) => Number(r.n) === 1)).toBe(true);
    // In order: the item the baseline had sent got its copy, then the live change; the one it had not
    // reached only its copy, which already carries the change (no older copy after a newer change).
    const history = async (id: string) =>
      (await lv.ctx.db.all<{ type: string }>('SELECT type FROM record_events WHERE workspace_id = ? AND record_id = ? ORDER BY seq', [ws, id])).map((r) => r.type);
    expect(await history(first!)).toEqual(['indicator:created', 'indicator:sighted', 'indicator:updated']);
    expect(await history(last)).toEqual(['indicator:created']);
    expect(await history(second!)).toEqual(['indicator:created']);
    // The replica's start mark is gone with the end of the baseline; the home audited that it finished.
    expect(await lv.ctx.db.get('SELECT link FROM federation_baseline_marks WHERE workspace_id = ?', [ws])).toBeUndefined();
    expect(await usNode.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.baseline.sent' AND workspace_id = ?", [ws])).toBeDefined();
  }, 240_000);
});
