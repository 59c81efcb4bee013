/**
 * A pooled task under a time budget (IMPORT_TIME_BUDGET_MS for imports): the budget's clock starts
 * when a thread takes the task (it says `started` on its port), not while it waits in the queue, which
 * has its own bound; a task past its budget is aborted through the pool's AbortSignal (piscina ends the
 * thread) and refused as 413, nothing saved. The task reports `{done, total}` on the same port.
 */
import { MessageChannel } from 'node:worker_threads';
import { AppError } from '../http/errors.js';
import { PoolBusyError, type WorkerPool } from './pool.js';
import type { TaskName } from './tasks.js';

/** How long a job may wait for a free thread before it is told the server is busy. */
const QUEUE_WAIT_MS = 30_000;

/** Messages a budgeted task sends on its port: `started` once, then how far it got. */
export type BudgetedTaskMessage = { started: true } | { done: number; total: number };

export interface BudgetOptions {
  budgetMs: number;
  /** Ends the job early (the client went away). */
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
  transferList?: ArrayBufferLike[];
}

/** Runs `name` with `input` plus `{port}`; the refusal messages name the budget in seconds. */
export async function runWithBudget<T>(workers: WorkerPool, name: TaskName, input: Record<string, unknown>, opts: BudgetOptions): Promise<T> {
  const abort = new AbortController();
  const why: { reason?: 'queue' | 'budget' | 'client' } = {};
  const stop = (reason: NonNullable<typeof why.reason>) => {
    why.reason ??= reason;
    abort.abort();
  };
  const { port1, port2 } = new MessageChannel();
  const queueTimer = setTimeout(() => stop('queue'), QUEUE_WAIT_MS);
  let budgetTimer: NodeJS.Timeout | undefined;
  const onClient = () => stop('client');
  opts.signal.addEventListener('abort', onClient, { once: true });
  port1.on('message', (m: BudgetedTaskMessage) => {
    if ('started' in m) {
      clearTimeout(queueTimer);
      budgetTimer = setTimeout(() => stop('budget'), opts.budgetMs);
    } else opts.onProgress(m.done, m.total);
  });
  try {
    return await workers.run<T>(name, { ...input, port: port2 }, { transferList: [...(opts.transferList ?? []), port2], signal: abort.signal });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (why.reason === 'budget')
      throw new AppError(
        'payload_too_large',
        `reading the content took longer than the ${formatSeconds(opts.budgetMs)} one import may take, so it was stopped and nothing was saved; import the file in smaller parts`,
      );
    if (why.reason === 'queue' || err instanceof PoolBusyError) throw new PoolBusyError();
    if (why.reason === 'client') throw new AppError('bad_request', 'the client went away');
    throw err;
  } finally {
    clearTimeout(queueTimer);
    clearTimeout(budgetTimer);
    opts.signal.removeEventListener('abort', onClient);
    port1.close();
  }
}

const formatSeconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
