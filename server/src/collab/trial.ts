/**
 * A trial run for large updates. Yjs integrates crafted updates in time that grows with the product of
 * the update's items and the document's (many concurrent inserts at one position: one 0.6 MB update
 * of 60,000 such items took 0.3 s on an empty document and minutes on a document that already held a
 * few), and an integration cannot be interrupted once it runs on the main thread, where it would stop
 * every room of the node. So an update larger than `trialAboveBytes` is first integrated into a copy
 * of the document in a worker thread; if that takes longer than `trialBudgetMs` (or the worker does
 * not answer in time), the update is refused and the main thread never pays for it. Typing sends
 * updates of a few dozen bytes and never takes this path; a big paste does, and costs one worker start.
 */
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { workerExecArgv } from '../util.js';

export type TrialVerdict = 'ok' | 'too-slow' | 'malformed';

export function trialIntegration(doc: Y.Doc, update: Uint8Array, budgetMs: number): Promise<TrialVerdict> {
  const state = Y.encodeStateAsUpdate(doc);
  const execArgv = workerExecArgv();
  const worker = new Worker(new URL('./trialWorker.js', import.meta.url), { workerData: { state, update }, execArgv });
  // Loading the copy counts against the wall clock too, generously: the verdict is the update's own time.
  const wallMs = Math.max(2_000, budgetMs * 8);
  return new Promise<TrialVerdict>((resolve) => {
    let settled = false;
    const settle = (v: TrialVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(v);
    };
    const timer = setTimeout(() => settle('too-slow'), wallMs);
    worker.once('message', (m: { ok: boolean; ms?: number }) => settle(!m.ok ? 'malformed' : (m.ms ?? Infinity) > budgetMs ? 'too-slow' : 'ok'));
    worker.once('error', () => settle('malformed'));
    worker.once('exit', () => settle('too-slow'));
  });
}
