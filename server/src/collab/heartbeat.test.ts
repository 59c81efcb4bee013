import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, type Beating } from './heartbeat.js';

/** A connection that counts its pings and answers them when `answers` (the pong sets `alive`). */
function peer(answers = true) {
  const p = {
    alive: true,
    closed: false,
    pings: [] as number[],
    terminated: false,
    ws: {
      ping: () => {
        p.pings.push(Date.now());
        if (answers) queueMicrotask(() => (p.alive = true));
      },
      terminate: () => {
        p.terminated = true;
      },
    },
  };
  return p satisfies Beating;
}

describe('Heartbeat', () => {
  const INTERVAL = 30_000;
  const SLICES = new Heartbeat(() => [], INTERVAL).slices;
  const TICK = INTERVAL / SLICES;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings each connection once per interval, a slice of them per tick rather than all in one turn', async () => {
    const conns = Array.from({ length: 10_000 }, () => peer());
    const beat = new Heartbeat(() => conns, INTERVAL);
    beat.start();
    const perTick: number[] = [];
    let before = 0;
    for (let t = 0; t < SLICES; t++) {
      await vi.advanceTimersByTimeAsync(TICK);
      const pinged = conns.reduce((n, c) => n + c.pings.length, 0);
      perTick.push(pinged - before);
      before = pinged;
    }
    expect(conns.every((c) => c.pings.length === 1)).toBe(true);
    expect(SLICES).toBeGreaterThan(1);
    expect(Math.max(...perTick)).toBe(Math.ceil(10_000 / SLICES));
    // A second round: each connection again once, about one interval after its first ping.
    await vi.advanceTimersByTimeAsync(INTERVAL);
    for (const c of conns) {
      expect(c.pings).toHaveLength(2);
      expect(c.pings[1]! - c.pings[0]!).toBe(INTERVAL);
    }
    expect(conns.some((c) => c.terminated)).toBe(false);
    beat.stop();
  });

  it('terminates a connection that did not answer by its next turn, and reports it', async () => {
    const live = peer();
    const dead = peer(false);
    const reported: unknown[] = [];
    const beat = new Heartbeat(() => [live, dead], INTERVAL, (c) => reported.push(c));
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

  it('skips connections closed meanwhile, and takes new ones from the next round on', async () => {
    const conns = new Set(Array.from({ length: 600 }, () => peer()));
    const [first] = conns;
    const beat = new Heartbeat(() => conns, INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(TICK); // this round's connections were taken at its first tick
    const late = peer();
    conns.add(late);
    const closing = [...conns][599]!;
    closing.closed = true;
    await vi.advanceTimersByTimeAsync(INTERVAL - TICK);
    expect(first!.pings).toHaveLength(1);
    expect(closing.pings).toHaveLength(0);
    expect(closing.terminated).toBe(false);
    expect(late.pings).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(late.pings).toHaveLength(1);
    beat.stop();
  });

  it('terminates a connection whose ping throws (a socket already gone)', async () => {
    const broken = peer();
    broken.ws.ping = () => {
      throw new Error('not open');
    };
    const beat = new Heartbeat(() => [broken], INTERVAL);
    beat.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(broken.terminated).toBe(true);
    beat.stop();
  });
});
