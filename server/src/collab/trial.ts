/**
 * A trial run for large updates. Yjs integrates crafted updates in time that grows with the product of
 * the update's items and the document's (many concurrent inserts at one position: one 0.6 MB update
 * of 60,000 such items took 0.3 s on an empty document and minutes on a document that already held a
 * few), and an integration cannot be interrupted once it runs on the main thread, where it would stop
 * every room of the node. So an update larger than `trialAboveBytes` is first integrated into a copy
 * of the document in the node's worker pool (workers/pool.ts); if that takes longer than
 * `trialBudgetMs` (or the task does not end in time, when the pool terminates its thread), the update
 * is refused and the main thread never pays for it. Typing sends updates of a few dozen bytes and
 * never takes this path; a big paste does.
 *
 * The trial is not free for the main thread: the copy of the document is encoded here. That time,
 * and the trial's own, are charged to the sender's budgets (connection and account), so a client
 * repeating large updates on a large document runs out of budget instead of the node out of time.
 */
import { MessageChannel } from 'node:worker_threads';
import * as Y from 'yjs';
import type { WorkerPool } from '../workers/pool.js';
import { PoolBusyError } from '../workers/pool.js';
import type { TrialInput } from './trialWorker.js';

export type TrialVerdict = 'ok' | 'too-slow' | 'malformed' | 'over-budget' | 'busy';

/** A trial that found no free thread in this long is given up ('busy'): the sender may try again. */
const QUEUE_WAIT_MS = 10_000;

/** Charges server time to the sender; false once the sender is over budget. */
export type Charge = (ms: number) => boolean;

export async function trialIntegration(workers: WorkerPool, doc: Y.Doc, update: Uint8Array, budgetMs: number, charge: Charge): Promise<TrialVerdict> {
  const copyStarted = performance.now();
  const state = Y.encodeStateAsUpdate(doc);
  if (!charge(performance.now() - copyStarted)) return 'over-budget';
  // The clock starts when a thread takes the task (waiting behind other trials is not this update's
  // cost) and allows for loading the copy, generously: the verdict is the update's own CPU time
  // (trialWorker.ts); this wall clock only ends a task that would run for minutes, and is wide enough
  // that a thread sharing a saturated machine with ten others still finishes an honest trial.
  // Waiting in the queue has its own bound.
  const runMs = Math.max(5_000, budgetMs * 20);
  const abort = new AbortController();
  const { port1, port2 } = new MessageChannel();
  let startedAt: number | undefined;
  const queueTimer = setTimeout(() => abort.abort(), QUEUE_WAIT_MS);
  let runTimer: NodeJS.Timeout | undefined;
  port1.once('message', () => {
    startedAt = performance.now();
    clearTimeout(queueTimer);
    runTimer = setTimeout(() => abort.abort(), runMs);
  });
  const input: TrialInput = { state, update: update.slice(), started: port2 };
  let result: { ok: boolean; ms?: number };
  try {
    result = await workers.run('trialTask', input, { transferList: [state.buffer, input.update.buffer, port2], signal: abort.signal });
  } catch (err) {
    if (err instanceof PoolBusyError) return 'busy';
    // Stopped by the clock (the pool terminated the thread) or the thread died: too costly. The time
    // the thread spent on it is the sender's, so a client that sends such updates runs out of budget.
    if (startedAt !== undefined) charge(performance.now() - startedAt);
    return startedAt === undefined ? 'busy' : 'too-slow';
  } finally {
    clearTimeout(queueTimer);
    clearTimeout(runTimer);
    port1.close();
  }
  if (!result.ok) return 'malformed';
  const ms = result.ms ?? Infinity;
  if (ms > budgetMs) {
    charge(ms);
    return 'too-slow';
  }
  return charge(ms) ? 'ok' : 'over-budget';
}
