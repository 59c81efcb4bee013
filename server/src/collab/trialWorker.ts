/**
 * Integrates a large update into a copy of its document, in a thread of the worker pool, and reports
 * how long the integration itself took. See trial.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Y from 'yjs';

export interface TrialInput {
  state: Uint8Array;
  update: Uint8Array;
  /** Told when a thread takes the task: its clock starts then, not while it waited in the queue. */
  started?: MessagePort;
}

export function trialTask({ state, update, started }: TrialInput): { ok: boolean; ms?: number } {
  started?.postMessage('started');
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const t0 = performance.now();
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update);
    return { ok: true, ms: performance.now() - t0 };
  } catch {
    return { ok: false };
  }
}
