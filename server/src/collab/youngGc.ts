/**
 * A scavenge of V8's young generation on demand, for the turn-by-turn build of a large stored
 * document (persistence.ts, `applySlices`).
 *
 * Why: every Yjs item a turn builds survives (it is the document), and V8 scavenges only when the
 * young generation is full. During the build of the 2.74 MB realistic note V8 grows the young
 * generation to its 16 MB semi-spaces, so each of the ~12 scavenges copies megabytes of survivors in
 * one pause: the longest of them took 76-312 ms of wall time at load 20 (a `gc` PerformanceObserver
 * and --trace-gc), and the main thread's longest CPU stretch was 16-29 ms. A scavenge between two
 * turns copies only that turn's items, in a turn of its own: 9-13 ms of CPU at most, and a p99 delay
 * of 50-60 ms against 132-183 in the same loop (docs/performance.md, "Cold open, 2026-11-29
 * (afternoon)").
 *
 * `--max-semi-space-size` would bound the pauses too, but only on the command line (V8 reads it when
 * the heap is made; `v8.setFlagsFromString` at run time has no effect on it, measured), and it would
 * change every workload of the node. The gc function is taken from a fresh vm context with
 * `--expose-gc` set only for that moment, so no `gc` global appears in the server's own context.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let gcFunction: GcFunction | null | undefined;

function obtain(): GcFunction | null {
  const own = (globalThis as { gc?: unknown }).gc;
  // Started with --expose-gc: use it, and leave the flag as it was.
  if (typeof own === 'function') return own as GcFunction;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof fn === 'function' ? (fn as GcFunction) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** Scavenges the young generation now; false (and nothing done) where V8 does not offer it. */
export function scavengeYoungGeneration(): boolean {
  gcFunction ??= obtain();
  if (!gcFunction) return false;
  gcFunction({ type: 'minor' });
  return true;
}
