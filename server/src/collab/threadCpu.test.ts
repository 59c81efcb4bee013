import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { threadCpuMs } from './threadCpu.js';

describe.runIf(existsSync('/proc/thread-self/schedstat'))('threadCpuMs', () => {
  it('counts time on a CPU and not time spent waiting', () => {
    const a = threadCpuMs()!;
    // 300 ms asleep: a wall clock would count all of it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const b = threadCpuMs()!;
    expect(b - a).toBeLessThan(100);
    // Busy work: it grows.
    const until = performance.now() + 50;
    let x = 0;
    while (performance.now() < until) x++;
    expect(x).toBeGreaterThan(0);
    expect(threadCpuMs()!).toBeGreaterThan(b);
  });
});
