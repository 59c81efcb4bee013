import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, type Beating } from './heartbeat.js';

/** A connection that counts its pings and answers them when `answers` (the pong sets `alive`). */
function peer(answers = true) {
  const p = {
    alive: true,
    closed: false,
    answers,
    pings: [] as number[],
    terminated: false,
    ws: {
      ping: () => {
        p.pings.push(Date.now());
        if (p.answers) queueMicrotask(() => (p.alive = true));
      },
      terminate: () => {
        p.terminated = true;
      },
    },
  };
  return p satisfies Beating;
}

const pingCount = (conns: Iterable<{ pings: number[] }>) => [...conns].reduce((n, c) => n + c.pings.length, 0);

describe('Heartbeat', () => {
  const INTERVAL = 30_000;
  const SLICES = new Heartbeat(new Set<Beating>(), INTERVAL).slices;
  const TICK = INTERVAL / SLICES;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('pings each connection once per interval, a slice of them per tick rather than all in one turn', async () => {
    const conns = new Set(Array.from({ length: 10_000 }, () => peer()));
    const beat = new Heartbeat(conns, INTERVAL);
    beat.start();
    const perTick: number[] = [];
    let before = 0;
    for (let t = 0; t < SLICES; t++) {
      await vi.advanceTimersByTimeAsync(TICK);
      const pinged = pingCount(conns);
      perTick.push(pinged - before);
      before = pinged;
    }
    expect([...conns].every((c) => c.pings.length === 1)).toBe(true);
    expect(SLICES).toBeGreaterThan(1);
    expect(Math.max(...perTick)).toBe(Math.ceil(10_000 / SLICES));
    // A second round: each connection again once, one interval after its first ping.
    await vi.advanceTimersByTimeAsync(INTERVAL);
    for (const c of conns) {
      expect(c.pings).toHaveLength(2);
      expect(c.pings[1]! - c.pings[0]!).toBe(INTERVAL);
    }
    expect([...conns].some((c) => c.terminated)).toBe(false);
    beat.stop();
  });

  it('terminates a connection that did not answer by its next turn, and reports it', async () => {
    const live = peer();
    const dead = peer(false);
    const reported: unknown[] = [];
    const beat = new Heartbeat(new Set([live, dead]), INTERVAL, (c) => reported.push(c));
    beat.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(dead.pings).toHaveLength(1);
    expect(dead.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(dead.terminated).toBe(true);
    expect(reported).toEqual([dead]);
    expect(live.terminated).toBe(false);
    beat.stop();
  });

  it('never visits a connection that left, nor one closed meanwhile; one that joins is pinged within two rounds', async () => {
    const conns = new Set(Array.from({ length: 600 }, () => peer()));
    const beat = new Heartbeat(conns, INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(TICK); // the round has begun
    const all = [...conns];
    const left = all[500]!;
    const closing = all[599]!;
    conns.delete(left);
    closing.closed = true;
    const joined = peer();
    conns.add(joined);
    await vi.advanceTimersByTimeAsync(2 * INTERVAL - TICK);
    expect(left.pings).toHaveLength(0);
    expect(closing.pings).toHaveLength(0);
    expect(closing.terminated).toBe(false);
    expect(all[0]!.pings).toHaveLength(2);
    expect(joined.pings.length).toBeGreaterThanOrEqual(1);
    expect(joined.terminated).toBe(false);
    beat.stop();
  });

  it('does not take a pong that is merely slow for a dead peer when departures bring a connection round early', async () => {
    const conns = new Set(Array.from({ length: 1000 }, () => peer()));
    const last = [...conns][999]!;
    last.answers = false; // its pong is on its way (a slow network) when it next comes round
    const beat = new Heartbeat(conns, INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(INTERVAL); // `last` pinged in the round's last tick
    const pingedAt = last.pings[0]!;
    // Everyone before it leaves and as many join after it: the next round begins with it.
    for (const c of [...conns]) if (c !== last) conns.delete(c);
    for (let i = 0; i < 999; i++) conns.add(peer());
    await vi.advanceTimersByTimeAsync(TICK);
    expect([...conns][1]!.pings).toHaveLength(1); // the round came past it
    expect(Date.now() - pingedAt).toBeLessThan(INTERVAL / 2);
    expect(last.terminated).toBe(false);
    expect(last.pings).toHaveLength(1);
    // Still no answer when it comes round again: now it is dead.
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(last.terminated).toBe(true);
  });

  it('pings a few connections once per interval, not once per tick', async () => {
    const conns = new Set([peer(), peer()]);
    const beat = new Heartbeat(conns, INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    for (const c of conns) expect(c.pings).toHaveLength(3);
    beat.stop();
  });

  it('pings a burst of joins (the reconnects after a restart) over the interval, not in one tick', async () => {
    const conns = new Set<ReturnType<typeof peer>>();
    const beat = new Heartbeat(conns, INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(5 * TICK);
    for (let i = 0; i < 10_000; i++) conns.add(peer());
    let before = 0;
    let most = 0;
    for (let t = 0; t < SLICES; t++) {
      await vi.advanceTimersByTimeAsync(TICK);
      const pinged = pingCount(conns);
      most = Math.max(most, pinged - before);
      before = pinged;
    }
    expect(before).toBe(10_000);
    expect(most).toBe(Math.ceil(10_000 / SLICES));
    beat.stop();
  });

  it('terminates a connection whose ping throws (a socket already gone)', async () => {
    const broken = peer();
    broken.ws.ping = () => {
      throw new Error('not open');
    };
    const beat = new Heartbeat(new Set([broken]), INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(broken.terminated).toBe(true);
    beat.stop();
  });
});
