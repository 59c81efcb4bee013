/**
 * CPU time of the calling thread, for the trial of large updates (trial.ts): on a busy machine a
 * thread waits for a core, and a wall clock would charge that wait to the update, refusing an honest
 * offline catch-up only because other work ran. Linux keeps each thread's time on a CPU in
 * /proc/thread-self/schedstat (first field, nanoseconds); worker threads are OS threads, so this is the
 * worker's own time. Elsewhere (no such file) it returns undefined and callers fall back to the wall
 * clock. Node 20 has no per-thread CPU clock of its own (process.threadCpuUsage came in 23.9).
 */
import { readFileSync } from 'node:fs';

export function threadCpuMs(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
