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
 * The trial is not free for the main thread when the document has no state in parts yet
 * (LiveDocument.stateParts): the copy is then encoded here. That time, and the trial's own, are
 * charged to the sender's budgets (connection and account), so a client repeating large updates on a
 * large document runs out of budget instead of the node out of time.
 *
 * The budget grows with the update's size (`trialBudget`): a note of scattered single-character edits
 * costs some 1 to 2 ms of CPU per KiB to integrate into a document of a few MB, so a flat 250 ms
 * refused every honest 512 KiB part of a large note, while a crafted update still takes seconds or
 * minutes and is refused. A passing update comes back in slices with the copy's new state
 * (trialWorker.ts): the main thread then applies it a few milliseconds at a time.
 */
import { MessageChannel } from 'node:worker_threads';
import type { WorkerPool } from '../workers/pool.js';
import { PoolBusyError } from '../workers/pool.js';
import type { TrialInput, TrialOutput, TrialPhase } from './trialWorker.js';

export type TrialVerdict = 'ok' | 'too-slow' | 'malformed' | 'over-budget' | 'busy';

export interface TrialResult {
  verdict: TrialVerdict;
  /** When ok: the update cut into slices to apply in order, and the copy's state with the update. */
  slices?: Uint8Array[] | undefined;
  state?: Uint8Array | undefined;
}

/** A trial that found no free thread in this long is given up ('busy'): the sender may try again. */
const QUEUE_WAIT_MS = 10_000;
/**
 * Building the copy from already accepted content, and after the verdict encoding its state and
 * cutting the update into slices: bounded only against a thread that never answers (seconds for a
 * 3 MB note of scattered edits on a busy machine).
 */
const OWN_WORK_MS = 120_000;

/** Charges server time to the sender; false once the sender is over budget. */
export type Charge = (ms: number) => boolean;

/** The CPU time an update of `bytes` may take in its trial: `baseMs` plus `perKiBMs` per KiB. */
export const trialBudget = (baseMs: number, perKiBMs: number, bytes: number): number => baseMs + (perKiBMs * bytes) / 1024;

/**
 * `copy` gives the document as updates (LiveDocument.stateParts); its main-thread time is charged.
 */
export async function trialIntegration(workers: WorkerPool, copy: () => Uint8Array[], update: Uint8Array, budgetMs: number, charge: Charge): Promise<TrialResult> {
  const copyStarted = performance.now();
  const parts = copy().map((p) => p.slice());
  if (!charge(performance.now() - copyStarted)) return { verdict: 'over-budget' };
  // The clock of the update's own integration starts when the copy is built (waiting behind other
  // trials, or building the copy of content already accepted, is not this update's cost) and is
  // generous: the verdict is the update's own CPU time (trialWorker.ts); this wall clock only ends a
  // task that would run for minutes, and is wide enough that a thread sharing a saturated machine
  // with ten others still finishes an honest trial. Waiting in the queue has its own bound.
  const runMs = Math.max(5_000, budgetMs * 5);
  const abort = new AbortController();
  const { port1, port2 } = new MessageChannel();
  let phase: TrialPhase | undefined;
  let applyStartedAt: number | undefined;
  let timer = setTimeout(() => abort.abort(), QUEUE_WAIT_MS);
  const restart = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), ms);
  };
  port1.on('message', (p: TrialPhase) => {
    phase = p;
    if (p === 'started') restart(OWN_WORK_MS);
    else if (p === 'loaded') {
      applyStartedAt = performance.now();
      restart(runMs);
    } else restart(OWN_WORK_MS);
  });
  const input: TrialInput = { parts, update: update.slice(), progress: port2 };
  let result: TrialOutput;
  try {
    result = await workers.run('trialTask', input, { transferList: [...parts.map((p) => p.buffer), input.update.buffer, port2], signal: abort.signal });
  } catch (err) {
    if (err instanceof PoolBusyError) return { verdict: 'busy' };
    // Stopped by the clock (the pool terminated the thread) or the thread died. During the update's
    // own integration: too costly, and the time the thread spent on it is the sender's, so a client
    // that sends such updates runs out of budget. Before (queue, copy) or after it: the server's.
    if (phase === 'loaded' && applyStartedAt !== undefined) {
      charge(performance.now() - applyStartedAt);
      return { verdict: 'too-slow' };
    }
    return { verdict: 'busy' };
  } finally {
    clearTimeout(timer);
    port1.close();
  }
  if (!result.ok) return { verdict: 'malformed' };
  const ms = result.ms ?? Infinity;
  if (ms > budgetMs) {
    charge(ms);
    return { verdict: 'too-slow' };
  }
  return charge(ms) ? { verdict: 'ok', slices: result.slices, state: result.state } : { verdict: 'over-budget' };
}
