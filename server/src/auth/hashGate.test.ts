import { describe, expect, it } from 'vitest';
import { HashBusyError, HashGate } from './hashGate.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HashGate', () => {
  it('runs at most `atOnce`, the next in order, and refuses past the waiting room', async () => {
    const gate = new HashGate(2, 3, 5_000);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await tick(10);
      order.push(i);
      running--;
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => gate.run(work(i))));
    expect(most).toBe(2);
    expect(gate.peak).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.reason).toBeInstanceOf(HashBusyError);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a login that waited too long, and frees its place in line', async () => {
    const gate = new HashGate(1, 5, 20);
    const slow = gate.run(() => tick(100));
    await expect(gate.run(() => tick(1))).rejects.toBeInstanceOf(HashBusyError);
    await slow;
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
