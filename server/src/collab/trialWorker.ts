/**
 * Integrates a large update into a copy of its document, off the main thread, and reports how long the
 * integration itself took. See trial.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

const { state, update } = workerData as { state: Uint8Array; update: Uint8Array };
try {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const started = performance.now();
  Y.decodeUpdate(update);
  Y.applyUpdate(doc, update);
  parentPort!.postMessage({ ok: true, ms: performance.now() - started });
} catch {
  parentPort!.postMessage({ ok: false });
}
