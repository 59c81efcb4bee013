import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HeapRelief, fullGc, type ReliefRun } from './heapRelief.js';

/** Runs for a drop (a follow-up collection reports 0 departed). */
const drops = (state: { runs: ReliefRun[] }) => state.runs.filter((r) => r.departed > 0).length;

function rig() {
  const state = { n: 0, t: 0, collected: 0, runs: [] as ReliefRun[] };
  const relief = new HeapRelief(
    () => state.n,
    { afterDepartures: 1_000, quietMs: 3_000, minIntervalMs: 10_000 },
    (r) => state.runs.push(r),
    () => state.collected++,
    () => state.t,
  );
  /** Sets the count and samples once a second for `seconds`. */
  const hold = (n: number, seconds: number) => {
    state.n = n;
    for (let i = 0; i < seconds; i++) {
      relief.tick();
      state.t += 1_000;
    }
  };
  return { state, hold };
}

describe('HeapRelief', () => {
  it('collects once after a large drop has ended, not while sockets arrive or are open', () => {
    const { state, hold } = rig();
    for (let n = 0; n <= 7_500; n += 500) hold(n, 1);
    hold(7_500, 30);
    expect(drops(state)).toBe(0);
    hold(2_500, 2); // the sockets left; still inside the quiet time
    expect(drops(state)).toBe(0);
    hold(2_500, 2);
    expect(drops(state)).toBe(1);
    expect(state.runs[0]?.departed).toBe(5_000);
    expect(state.collected).toBe(2); // twice in a row (the second compacts)
    hold(2_500, 30);
    expect(drops(state)).toBe(1);
    expect(state.collected).toBe(3); // and one follow-up, 3 s (quietMs) after the pair
  });

  it('skips the follow-up collection when sockets came back meanwhile', () => {
    const { state, hold } = rig();
    hold(7_500, 1);
    hold(2_500, 4);
    expect(state.collected).toBe(2);
    hold(2_600, 30);
    expect(state.collected).toBe(2);
  });

  it('waits out the minimum interval for a second drop (the documents unloading after the sockets)', () => {
    const { state, hold } = rig();
    hold(7_500, 1);
    hold(2_500, 4);
    expect(drops(state)).toBe(1);
    hold(0, 9); // 2,500 documents unloaded 1 s later: quiet after 3 s, but too soon after the first
    expect(drops(state)).toBe(1);
    hold(0, 1); // 10 s after the first
    expect(drops(state)).toBe(2);
    expect(state.runs.filter((r) => r.departed > 0)[1]?.departed).toBe(2_500);
  });

  it('never collects for churn or for drops below the threshold', () => {
    const { state, hold } = rig();
    hold(5_000, 1);
    for (let i = 0; i < 300; i++) hold(5_000 + (i % 7) * 100, 1);
    hold(4_700, 60); // 900 below the peak of 5,600
    expect(drops(state)).toBe(0);
  });

  it('does not count a drop that was made up again by new arrivals', () => {
    const { state, hold } = rig();
    hold(5_000, 1);
    hold(3_000, 1);
    hold(6_000, 10);
    expect(drops(state)).toBe(0);
  });
});

describe('fullGc', () => {
  it('collects an unreachable object without --expose-gc and exposes gc nowhere else', async () => {
    const exposedBefore = typeof (globalThis as { gc?: unknown }).gc;
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ payload: new Array(1_000).fill(0) });
    })();
    // A WeakRef keeps its target until the end of the job that made it.
    await new Promise((r) => setImmediate(r));
    fullGc()();
    expect(ref?.deref()).toBeUndefined();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(exposedBefore);
    if (exposedBefore === 'undefined') expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
