/**
 * Integrates a large update into a copy of its document, in a thread of the worker pool, and reports
 * how long the integration itself took: this thread's CPU time where the OS tells it (threadCpu.ts),
 * so time spent waiting for a core on a busy machine is not charged to the update. See trial.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Y from 'yjs';
import { threadCpuMs } from './threadCpu.js';

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
    const wall0 = performance.now();
    const cpu0 = threadCpuMs();
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update);
    const cpu1 = threadCpuMs();
    return { ok: true, ms: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : performance.now() - wall0 };
  } catch {
    return { ok: false };
  }
}
