/**
 * Integrates a large update into a copy of its document, in a thread of the worker pool, and reports
 * how long the integration itself took. See trial.ts.
 */
import * as Y from 'yjs';

export interface TrialInput {
  state: Uint8Array;
  update: Uint8Array;
}

export function trialTask({ state, update }: TrialInput): { ok: boolean; ms?: number } {
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const started = performance.now();
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update);
    return { ok: true, ms: performance.now() - started };
  } catch {
    return { ok: false };
  }
}
