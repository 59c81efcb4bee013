/**
 * The one pool of worker threads of a node: exports, trial integrations of large document updates and
 * the parsing of large uploads all run here, never in a thread of their own. A fixed number of
 * threads bounds the memory and CPU they can take together, however many requests ask at once; a
 * bounded queue makes the excess wait a little, and past it a request is refused (503) instead of
 * the queue growing. The threads run at a lower scheduling priority (nice), so on a busy machine the
 * main thread, which answers every socket of the node, still gets the CPU first.
 *
 * piscina (not hand-rolled Workers, not tinypool): it is maintained by Node.js core contributors,
 * has the bounded queue, abort of a running task (the worker is terminated and replaced, which the
 * trial needs for an update that would integrate for minutes), transfer lists, named tasks in one
 * worker file and nice levels; tinypool is a trimmed fork without the last two.
 */
import { availableParallelism } from 'node:os';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { AppError } from '../http/errors.js';
import { workerExecArgv } from '../util.js';
import type { TaskName } from './tasks.js';

export interface WorkerPoolOptions {
  /** Threads at most; idle ones but the first exit after a while. */
  threads: number;
  /** Tasks waiting for a thread at most; the next one is refused. */
  queue: number;
  /** The worker file; tasks.js beside this file unless a test names another. */
  filename?: string;
}

/** Two threads on a small machine, never more than the cores less one for the main thread. */
export const defaultWorkerThreads = (): number => Math.max(2, Math.min(4, availableParallelism() - 1));

/** A task refused because the pool and its queue are full; answered 503 with Retry-After. */
export class PoolBusyError extends AppError {
  constructor() {
    super('unavailable', 'the server is busy with other large jobs; try again in a few seconds');
  }
}

export interface RunOptions {
  transferList?: (ArrayBufferLike | MessagePort)[];
  signal?: AbortSignal;
}

export class WorkerPool {
  /** Made on the first task or by warm() after ready: piscina and its first thread cost some 40 ms and the server must be ready first. */
  private starting: Promise<Piscina> | undefined;
  private pool: Piscina | undefined;
  private closed = false;
  private pending = 0;
  /** Why the last pool was given up (`abandon`), for the error of the tasks it took down. */
  private failure: string | undefined;

  constructor(readonly options: WorkerPoolOptions) {}

  private start(): Promise<Piscina> {
    return (this.starting ??= import('piscina').then(({ Piscina }) => {
      const pool = new Piscina({
        // Beside this file in dist/workers; in the bundle an entry of its own beside every chunk (bundle.mjs).
        filename: this.options.filename ?? new URL('./tasks.js', import.meta.url).href,
        // One thread kept from warm() on: its `new Worker` (the thread's ports and streams, 20-35 ms
        // of the main thread's CPU under load) was the longest turn of an export that found the pool
        // empty, the first after start and every one after 30 s without a task (issue 21). It costs
        // an idle thread's memory (docs/performance.md, "Exports, 2026-11-29 (evening)").
        minThreads: 1,
        maxThreads: this.options.threads,
        maxQueue: this.options.queue,
        idleTimeout: 30_000,
        // Workers must never take the main thread's CPU: lowest priority but one.
        niceIncrement: 10,
        // Tasks await messages (an export's parts), so a worker must keep its event loop running.
        atomics: 'disabled',
        execArgv: workerExecArgv(),
      });
      // A task's own failure rejects its promise; this only sees the pool's own errors.
      pool.on('error', (err: unknown) => {
        if (pool.threads.length === 0) this.abandon(pool, err);
      });
      this.pool = pool;
      return pool;
    }));
  }

  /**
   * A pool left with no thread after an error: its threads failed while they started (the worker file
   * missing or broken), and piscina then stops making new ones, so a task queued on it would wait for
   * ever (seen with tasks.js missing from the bundle: an export that never answered). Destroying it
   * rejects what waits; the next task makes a new pool, which fails as fast if the file is still bad.
   */
  private abandon(pool: Piscina, err: unknown): void {
    if (this.pool !== pool) return;
    this.pool = undefined;
    this.starting = undefined;
    this.failure = err instanceof Error ? err.message : String(err);
    pool.destroy().catch(() => undefined);
  }

  /**
   * Loads piscina and makes the pool ahead of the first task, with its one lasting thread. Its import
   * is a turn of 15-40 ms of the main thread and the thread's start another, which were the first
   * export's long turn after start (issue 21); the server calls this once it is ready, when no client
   * waits on it (app.ts).
   */
  warm(): void {
    if (!this.closed) this.start().catch(() => undefined);
  }

  /** Runs a named task of tasks.ts; rejects with PoolBusyError when the queue is full. */
  async run<T>(name: TaskName, input: unknown, opts: RunOptions = {}): Promise<T> {
    this.pending++;
    try {
      if (this.closed) throw new Error('the worker pool is closed');
      const pool = await this.start();
      return (await pool.run(input, { name, transferList: opts.transferList as TransferListItem[] | undefined, signal: opts.signal ?? null })) as T;
    } catch (err) {
      if (err instanceof Error && /queue is at limit/i.test(err.message)) throw new PoolBusyError();
      if (err instanceof Error && /terminating worker thread/i.test(err.message) && this.failure) {
        throw new Error(`the worker threads could not start: ${this.failure}`, { cause: err });
      }
      throw err;
    } finally {
      this.pending--;
    }
  }

  /** Every thread busy and the queue full: the next task would be refused. */
  get full(): boolean {
    return this.pending >= this.options.threads + this.options.queue;
  }

  /** For /healthz and tests: threads alive now, their bound, tasks waiting, and tasks waiting or running. */
  get stats() {
    return { threads: this.pool?.threads.length ?? 0, maxThreads: this.options.threads, queued: this.pool?.queueSize ?? 0, pending: this.pending };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.starting) await (await this.starting).destroy();
  }
}
