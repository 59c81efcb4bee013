/**
 * Runs `buildExport` in a worker thread (worker.ts says why) and waits for the file. The indicators
 * are posted in parts with a turn of the event loop between them: one structured clone of 100,000
 * objects would itself hold the main thread for a quarter of a second.
 */
import { Worker } from 'node:worker_threads';
import type { HandoffData } from './collect.js';
import type { ExportFile, ExportFormat, LayerSource } from './formats/index.js';
import type { WorkerMessage } from './worker.js';
import { workerExecArgv, yieldToLoop } from '../util.js';

const PART = 2_000;

export async function buildInWorker(format: ExportFormat, data: HandoffData, layer: LayerSource): Promise<ExportFile> {
  const execArgv = workerExecArgv();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { execArgv });
  const result = new Promise<ExportFile>((resolve, reject) => {
    let done = false;
    worker.once('message', (file: ExportFile) => {
      done = true;
      resolve(file);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`export worker exited with code ${code} before finishing`));
    });
  });
  const post = (m: WorkerMessage) => worker.postMessage(m);
  const { indicators, ...rest } = data;
  post({ kind: 'start', format, layer, data: rest });
  for (let i = 0; i < indicators.length; i += PART) {
    post({ kind: 'indicators', items: indicators.slice(i, i + PART) });
    await yieldToLoop();
  }
  post({ kind: 'build' });
  try {
    return await result;
  } finally {
    void worker.terminate();
  }
}
