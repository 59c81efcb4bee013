/**
 * Integrates a large update into a copy of its document, in a thread of the worker pool, and reports
 * how long the integration itself took: this thread's CPU time where the OS tells it (threadCpu.ts),
 * so time spent waiting for a core on a busy machine is not charged to the update. See trial.ts.
 *
 * An update that passes comes back cut into slices (slices.ts), so the main thread integrates it a
 * few milliseconds at a time, and with the copy's new state, which the next trial of the same
 * document starts from instead of the main thread encoding the live document again.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Y from 'yjs';
import { threadCpuMs } from './threadCpu.js';
import { sliceUpdate } from './slices.js';

export interface TrialInput {
  /** The document as updates whose union is its state (LiveDocument.stateParts). */
  parts: Uint8Array[];
  update: Uint8Array;
  /** Told `started` when a thread takes the task, `loaded` when the copy is built, `applied` after the trial. */
  progress?: MessagePort;
}

export type TrialPhase = 'started' | 'loaded' | 'applied';

export interface TrialOutput {
  ok: boolean;
  ms?: number;
  /** The update in slices, to apply in order (when ok). */
  slices?: Uint8Array[];
  /** The copy's state with the update (when ok). */
  state?: Uint8Array;
}

export function trialTask({ parts, update, progress }: TrialInput): TrialOutput {
  const say = (phase: TrialPhase) => progress?.postMessage(phase);
  say('started');
  let ms: number;
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const p of parts) Y.applyUpdate(doc, p);
    });
    say('loaded');
    const wall0 = performance.now();
    const cpu0 = threadCpuMs();
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update);
    const cpu1 = threadCpuMs();
    ms = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : performance.now() - wall0;
  } catch {
    return { ok: false };
  }
  say('applied');
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { ok: true, ms, slices: sliceUpdate(update), state };
}
