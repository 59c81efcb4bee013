/**
 * Nothing typed is lost when an item's home is unreachable (issue 20): the client library of the record
 * plane (client/src/lib/records, as the browser runs it) on us-cert changes an indicator homed on
 * lv-cert while the link is down. us-cert answers `unavailable` naming lv-cert; the client keeps the
 * change, says why it waits, and resends it by itself (same command id) while its socket stays
 * connected; when the link is back the change reaches lv-cert once and comes back to us-cert. Only
 * that change waits: alice's change of an indicator homed on us-cert, made while it is held, reaches
 * us-cert at once (the outbox holds back only the commands on the held command's items).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { RecordEvent } from '@huntroom/shared';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { cli, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count } from '../helpers/federationData.js';
import { MemoryOutboxStore, RecordClient, type Projection } from '../../../client/src/lib/records/index.js';

describe('a change to an item whose home is unreachable', () => {
  let us: Nation;
  let lv: Nation;
  let ws: string;
  let indicator: string;
  let socket: Socket | undefined;
  let client: RecordClient | undefined;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga'])]);
    await linkNations(us, lv);
    // The workspace and the indicator are lv-cert's; alice hunts in it from us-cert.
    const liga = await loginOn(lv, 'liga');
    ws = await makeWorkspace(liga, 'Operation Baltic Relay');
    await shareWorkspace(lv, us, ws, { role: 'hunter', members: ['alice'] });
    const made = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
      type: 'domain',
      value: 'relay.baltic-example.net',
      tlp: 'AMBER',
      releasableTo: ['LV', 'US'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    indicator = made.body.indicator.id;
  }, 90_000);
  afterAll(async () => {
    client?.dispose();
    socket?.disconnect();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('keeps the change while the link is down, says why, and delivers it once when the link is back', async () => {
    const alice = await loginOn(us, 'alice');
    await eventually(async () => expect((await alice.get(`/api/workspaces/${ws}/indicators/${indicator}`)).status).toBe(200), 20_000);

    const confidence = new Map<string, number>();
    const projection: Projection = {
      apply: (e: RecordEvent) => {
        const ind = (e.payload as { indicator?: { id: string; confidence: number } }).indicator;
        if (ind) confidence.set(ind.id, ind.confidence);
      },
      reset: (records) => (records.indicators as { id: string; confidence: number }[]).forEach((i) => confidence.set(i.id, i.confidence)),
    };
    socket = io(us.url, { transports: ['websocket'], extraHeaders: { cookie: alice.cookie! }, forceNew: true, autoConnect: false });
    client = new RecordClient({ socket, workspaceId: ws, projection, store: new MemoryOutboxStore(), ackTimeoutMs: 10_000, retry: { retryMinMs: 100, retryMaxMs: 500 } });
    await client.start();
    socket.connect();
    await eventually(() => expect(confidence.has(indicator)).toBe(true), 20_000);
    expect(confidence.get(indicator)).not.toBe(77);
    const sent: string[] = [];
    socket.onAnyOutgoing((name: string, body: { id?: string }) => name === 'indicator:update' && sent.push(body.id ?? '?'));

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => {
      expect(us.ctx.federation!.isUp('lv-cert')).toBe(false);
      expect(lv.ctx.federation!.isUp('us-cert')).toBe(false);
    }, 20_000);
    const reasons: (string | undefined)[] = [];
    client.outbox.onHeld((r) => reasons.push(r));

    const done = client.command('indicator:update', { id: indicator, confidence: 77 });
    // Refused for now with the home's name; kept, counted, resent on its own while the socket stays up.
    await eventually(() => expect(client!.outbox.held).toContain('lv-cert'), 20_000);
    expect(client.outbox.pending).toBe(1);

    // Meanwhile alice changes an indicator homed here: it does not wait behind the held one.
    const local = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
      type: 'domain',
      value: 'local.us-example.net',
      tlp: 'AMBER',
      releasableTo: ['US'],
    });
    expect(local.status, JSON.stringify(local.body)).toBe(201);
    const localId = local.body.indicator.id;
    let localAck: { ok: boolean } | undefined;
    void client.command('indicator:update', { id: localId, confidence: 33 }).then((a) => (localAck = a));
    await eventually(() => expect(localAck).toEqual(expect.objectContaining({ ok: true })), 30_000);
    expect(await count(us, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [localId])).toBe(1);
    expect((await alice.get<{ indicator: { confidence: number } }>(`/api/workspaces/${ws}/indicators/${localId}`)).body.indicator.confidence).toBe(33);
    // The held one is still held, alone.
    expect(client.outbox.held).toContain('lv-cert');
    expect(client.outbox.pending).toBe(1);
    expect(client.outbox.heldCount).toBe(1);

    await eventually(() => expect(sent.length).toBeGreaterThan(2), 20_000);
    expect(new Set(sent).size).toBe(2);
    expect(socket.connected).toBe(true);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [indicator])).toBe(0);

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    const ack = await done;
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(client.outbox.pending).toBe(0);
    expect(client.outbox.held).toBeUndefined();
    // Every attempt carried the one command id (the other id is the local change, sent once).
    expect(new Set(sent).size).toBe(2);
    expect(sent.filter((id) => id !== sent[0])).toHaveLength(1);
    expect(reasons[reasons.length - 1]).toBeUndefined();

    // At the home once, and back on us-cert through the replication.
    const liga = await loginOn(lv, 'liga');
    expect((await liga.get<{ indicator: { confidence: number } }>(`/api/workspaces/${ws}/indicators/${indicator}`)).body.indicator.confidence).toBe(77);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [indicator])).toBe(1);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM command_log WHERE workspace_id = ? AND type = 'indicator:update'", [ws])).toBe(1);
    await eventually(() => expect(confidence.get(indicator)).toBe(77), 20_000);
    expect(await count(us, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'indicator:updated'", [indicator])).toBe(1);
  }, 120_000);
});
