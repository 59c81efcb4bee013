/**
 * A node that loses Redis keeps serving its own clients, says so in /healthz and /readyz, and when
 * Redis is back, the other node's clients catch up on what was written meanwhile. Runs against a
 * private redis-server, so stopping it disturbs nobody else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, synced } from '../helpers/yjs.js';
import { Cluster, PrivateRedis, RedisRelay, TEST_REDIS_URL, clusterAvailable, type Node } from './cluster.js';

const health = async (n: Node) => (await (await fetch(`${n.url}/healthz`)).json()) as { redis: string; ready: boolean };

describe.skipIf(!clusterAvailable)('cluster: surviving a Redis restart', () => {
  const redis = new PrivateRedis();
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  let aliceA: ApiClient;
  let benB: ApiClient;
  beforeAll(async () => {
    await redis.start();
    cluster = new Cluster(redis.url);
    a = await cluster.start();
    b = await cluster.start();
    aliceA = await loginAs(a.url, 'alice');
    benB = await loginAs(b.url, 'ben');
  }, 90_000);
  afterAll(async () => {
    await redis.start(); // the cleanup of the run's keys needs it
    await cluster.stop();
    await redis.stop();
  }, 60_000);

  it('keeps serving, reports the outage, and converges when Redis is back', async () => {
    const ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id as string;
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'outage' })).body.docId as string;
    const ca = connect(a, docId, aliceA);
    const cb = connect(b, docId, benB);
    await Promise.all([synced(ca), synced(cb)]);
    ca.text.insert(0, 'before. ');
    await eventually(() => expect(cb.text.toString()).toBe('before. '), 10_000);

    await redis.stop();
    await eventually(async () => expect((await health(a)).redis).toBe('down'), 10_000);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    expect((await health(a)).ready).toBe(false);

    // Node A still serves its own clients: a second client on A sees the edit made during the outage.
    const ca2 = connect(a, docId, aliceA);
    await synced(ca2);
    ca.text.insert(ca.text.length, 'during the outage.');
    await eventually(() => expect(ca2.text.toString()).toContain('during the outage.'), 5_000);

    await redis.start();
    await eventually(async () => expect((await health(a)).redis).toBe('up'), 15_000);
    await eventually(async () => expect((await health(b)).redis).toBe('up'), 15_000);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    // Node B's client gets what was stored during the outage, and live edits flow again.
    await eventually(() => expect(cb.text.toString()).toContain('during the outage.'), 15_000);
    ca.text.insert(ca.text.length, ' after.');
    await eventually(() => expect(cb.text.toString()).toBe(ca.text.toString()), 10_000);
    for (const c of [ca, ca2, cb]) c.destroy();
  }, 90_000);
});

describe.skipIf(!clusterAvailable)('cluster: one node cut off from Redis', () => {
  const cluster = new Cluster();
  let relay: RedisRelay;
  let a: Node;
  let b: Node;
  let aliceA: ApiClient;
  let benB: ApiClient;
  beforeAll(async () => {
    relay = new RedisRelay(new URL(TEST_REDIS_URL!));
    await relay.start();
    a = await cluster.start({ REDIS_URL: relay.url });
    b = await cluster.start();
    aliceA = await loginAs(a.url, 'alice');
    benB = await loginAs(b.url, 'ben');
  }, 90_000);
  afterAll(async () => {
    await relay.cut();
    await cluster.stop();
  }, 60_000);

  it('what node A stored while cut off reaches node B’s clients when A is back, though B never lost Redis', async () => {
    const ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id as string;
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'partition' })).body.docId as string;
    const ca = connect(a, docId, aliceA);
    const cb = connect(b, docId, benB);
    await Promise.all([synced(ca), synced(cb)]);
    await relay.cut();
    await eventually(async () => expect((await health(a)).redis).toBe('down'), 10_000);
    expect((await health(b)).redis).toBe('up');
    ca.text.insert(0, 'written on A while cut off. ');
    await new Promise((r) => setTimeout(r, 300));
    expect(cb.text.toString()).not.toContain('written on A');
    await relay.start();
    await eventually(async () => expect((await health(a)).redis).toBe('up'), 15_000);
    await eventually(() => expect(cb.text.toString()).toContain('written on A while cut off.'), 15_000);
    ca.destroy();
    cb.destroy();
  }, 90_000);

  it('a large note: A publishes its whole stored state when back, and B applies what it lacks (cut down in its worker pool)', async () => {
    const ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id as string;
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'partition, large' })).body.docId as string;
    const ca = connect(a, docId, aliceA);
    const cb = connect(b, docId, benB);
    await Promise.all([synced(ca), synced(cb)]);
    // Over 64 KiB stored (persistence.ts, OFF_THREAD_ABOVE_BYTES), typed in 8 KB pieces.
    for (let i = 0; i < 10; i++) ca.text.insert(ca.text.length, `${i}`.repeat(8_000));
    await eventually(() => expect(cb.text.length).toBe(80_000), 30_000);
    await relay.cut();
    await eventually(async () => expect((await health(a)).redis).toBe('down'), 10_000);
    ca.text.insert(0, 'written on A while cut off. ');
    await relay.start();
    await eventually(async () => expect((await health(a)).redis).toBe('up'), 15_000);
    await eventually(() => expect(cb.text.toString()).toBe(ca.text.toString()), 30_000);
    ca.destroy();
    cb.destroy();
  }, 120_000);
});
