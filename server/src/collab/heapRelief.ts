/**
 * Gives memory back after a mass departure (issue 21; docs/performance.md, "Memory after mass
 * unload"). When thousands of sockets close and their documents unload, what they held is garbage in
 * V8's old generation; V8 collects it only when more allocation asks for it, so an idle node kept
 * 35-70 MiB of it for minutes (measured: nothing of it was still referenced). This watches the
 * node's open sockets plus open documents once a second, and when the count has fallen by at least
 * `afterDepartures` and stopped falling for `quietMs`, runs a full collection (two in a row, below),
 * which also lets V8 give the emptied pages back. At most one per `minIntervalMs`; steady churn (people coming and going)
 * never triggers it, only a drop. The pause is that of two full collections of the live heap (logged).
 * The quiet time also matters: V8 shrinks its young generation only in a collection at a low
 * allocation rate, so a collection in the middle of the departure would leave 32 MiB of it committed.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { threadCpuMs } from './threadCpu.js';

export interface HeapReliefOptions {
  /** Sockets plus documents the node must have lost since its peak; 0 turns the relief off. */
  afterDepartures: number;
  /** The count must not have reached a new low for this long (the departure is over). */
  quietMs: number;
  /** At most one collection per this. */
  minIntervalMs: number;
}

export const DEFAULT_HEAP_RELIEF: Readonly<HeapReliefOptions> = { afterDepartures: 1_000, quietMs: 10_000, minIntervalMs: 30_000 };

export interface ReliefRun {
  departed: number;
  /** The pause: wall clock, and the main thread's CPU time in it (on a busy machine the wall waits for a core). */
  ms: number;
  cpuMs: number | undefined;
  /** V8 heap (committed) before and after, bytes. */
  heapBefore: number;
  heapAfter: number;
}

let gcFunction: (() => void) | undefined;

/**
 * V8's full collection without `--expose-gc` on the command line: the flag is turned on just long
 * enough to take `gc` from a fresh context, then off again, so no other context ever sees it.
 */
export function fullGc(): () => void {
  if (gcFunction) return gcFunction;
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === 'function') return (gcFunction = global);
  v8.setFlagsFromString('--expose-gc');
  try {
    gcFunction = vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return gcFunction;
}

export class HeapRelief {
  private peak = 0;
  private low = 0;
  private lowAt = 0;
  private lastRun = -Infinity;
  /** One more collection `quietMs` after a run, unless sockets or documents came back meanwhile. */
  private followUp: { at: number; count: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Open sockets plus open documents of the node, now. */
    private readonly count: () => number,
    private readonly options: HeapReliefOptions,
    private readonly onRun: (run: ReliefRun) => void,
    private readonly collect: () => void = () => fullGc()(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Samples once a second (an unref'd timer: it never keeps the process alive). */
  start(): void {
    if (this.options.afterDepartures <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), 1_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample; runs the collection when a large enough drop has ended. True when it ran. */
  tick(): boolean {
    const n = this.count();
    const t = this.now();
    if (n >= this.peak) {
      // Rising, or back at the top: no drop to speak of (what left is being reused by who came).
      this.peak = this.low = n;
      this.lowAt = t;
    } else if (n < this.low) {
      this.low = n;
      this.lowAt = t;
    }
    if (this.followUp && t >= this.followUp.at) {
      // V8 shrinks its young generation (32 MiB) only in a collection at a low allocation rate, which
      // the pair below, close to the departure, did not always see (measured: kept in 1 of 3 runs).
      if (n <= this.followUp.count) this.run(0, 1);
      this.followUp = undefined;
    }
    if (this.peak - this.low < this.options.afterDepartures) return false;
    if (t - this.lowAt < this.options.quietMs || t - this.lastRun < this.options.minIntervalMs) return false;
    // Twice: the first frees the garbage, but picks the pages to compact by what was live at the
    // collection before (during the crowd), so most emptied pages stay committed; the second, knowing
    // the pages' real use, compacts them and V8 returns them (old space 49 -> 25 MiB when measured).
    this.run(this.peak - this.low, 2);
    this.lastRun = this.now();
    this.peak = this.low = n;
    this.lowAt = this.lastRun;
    this.followUp = { at: this.lastRun + this.options.quietMs, count: n };
    return true;
  }

  private run(departed: number, times: number): void {
    const heapBefore = v8.getHeapStatistics().total_heap_size;
    const t0 = performance.now();
    const cpu0 = threadCpuMs();
    for (let i = 0; i < times; i++) this.collect();
    const ms = performance.now() - t0;
    const cpu1 = threadCpuMs();
    const cpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
    this.onRun({ departed, ms, cpuMs, heapBefore, heapAfter: v8.getHeapStatistics().total_heap_size });
  }
}
