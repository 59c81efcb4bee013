/**
 * Outbox retention (server/src/federation/channel.ts) on two real instances: us-cert keeps at most 5
 * unacknowledged messages for a peer. lv-cert goes away (its operator suspends the link); meanwhile on
 * us-cert an indicator is deleted, one narrowed to US only, a network deleted, eight indicators made and
 * a second workspace offered. Past the limit us-cert drops the record messages (keeping the offer) and,
 * when lv-cert is back, sends it a fresh baseline: lv-cert then holds exactly what it may see now (what
 * it held and no longer may see is removed, with events for its sockets), and the offer arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, FAST_LINKS, linkNations, loginOn, shareWorkspace, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, type Client } from './indicators-helpers.js';

const CHANNEL = { ...FAST_LINKS.federationChannel, retainMessages: 5, retentionCheckMs: 100 };

describe('outbox retention and the fresh baseline past it', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let liga: Client | undefined;
  let ws: string;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice'], {}, { federationChannel: CHANNEL }), startNation('lv-cert', 'LV', ['liga'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Long Absence');
  }, 90_000);
  afterAll(async () => {
    liga?.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  const create = async (value: string, releasableTo = ['US', 'LV']): Promise<string> => {
    const r = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp: 'AMBER', releasableTo });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.indicator.id;
  };
  const idsOn = async (node: Nation, table = 'indicators'): Promise<string[]> =>
    (await node.ctx.db.all<{ id: string }>(`SELECT id FROM ${table} WHERE workspace_id = ? ORDER BY id`, [ws])).map((r) => r.id);

  it('drops what the away peer did not acknowledge past the limit, and sends it a fresh baseline when it is back', async () => {
    const keep = await create('keep.retention.example');
    const gone = await create('gone.retention.example');
    const narrowed = await create('narrowed.retention.example');
    const net = await alice.post<{ network: { id: string } }>(`/api/workspaces/${ws}/networks`, { name: 'Retention LAN', tlp: 'GREEN' });
    expect(net.status).toBe(201);
    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    await eventually(async () => {
      expect(await idsOn(lv)).toEqual([keep, gone, narrowed].sort());
      expect(await idsOn(lv, 'hunt_networks')).toEqual([net.body.network.id]);
    }, 20_000);
    liga = await connect(lv.url, await loginOn(lv, 'liga'), ws);

    await cli(lv, 'federation', 'link', 'suspend', '--name', 'us-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    expect((await alice.delete(`/api/workspaces/${ws}/indicators/${gone}`)).status).toBe(200);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${narrowed}`, { tlp: 'RED', releasableTo: ['US'] })).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/networks/${net.body.network.id}`)).status).toBe(200);
    const made: string[] = [];
    for (let i = 0; i < 8; i++) made.push(await create(`made-while-away-${i}.retention.example`));
    const usOnly = await create('us-only.retention.example', ['US']);
    const other = await makeWorkspace(alice, 'Operation Second Offer');
    const offerId = (await cli(us, 'federation', 'offer', '--workspace', other, '--link', 'lv-cert')).trim();

    // Past 5 messages: dropped (audited), the offer kept, a fresh baseline due.
    await eventually(async () => expect(await us.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.outbox.dropped'")).toBeDefined(), 20_000);
    const kept = await us.ctx.db.all<{ type: string }>("SELECT type FROM federation_outbox WHERE link = 'lv-cert' ORDER BY seq");
    expect(kept.map((k) => k.type)).toContain('share.offer');
    expect(kept.map((k) => k.type)).not.toContain('records.events');
    expect(await us.ctx.db.get('SELECT phase FROM federation_baselines WHERE workspace_id = ?', [ws])).toEqual({ phase: 'begin' });

    const ligaEventsBefore = liga.events.length;
    await cli(lv, 'federation', 'link', 'resume', '--name', 'us-cert');
    await eventually(async () => {
      expect(await idsOn(lv)).toEqual([keep, ...made].sort());
      expect(await idsOn(lv, 'hunt_networks')).toEqual([]);
      expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered');
      expect(await us.ctx.db.get('SELECT phase FROM federation_baselines WHERE workspace_id = ?', [ws])).toBeUndefined();
    }, 30_000);
    expect(await idsOn(lv)).not.toContain(usOnly);
    // lv-cert was told which messages were dropped, and its users' sockets that the removed items went.
    expect(await lv.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.outbox.skipped'")).toBeDefined();
    await eventually(() => {
      const deleted = liga!.events.slice(ligaEventsBefore).filter((e) => e.type.endsWith(':deleted'));
      expect(deleted.map((e) => e.recordId).sort()).toEqual([gone, narrowed, net.body.network.id].sort());
    });
    // The link works on as before: a new item crosses live.
    const after = await create('after-the-baseline.retention.example');
    await eventually(async () => expect(await idsOn(lv)).toContain(after), 20_000);
    // Both sides' counters agree: nothing waits, nothing was applied twice.
    await eventually(async () => expect(await us.ctx.db.all("SELECT seq FROM federation_outbox WHERE link = 'lv-cert'")).toEqual([]), 20_000);
  }, 120_000);
});
