/**
 * Runs `buildExport` in the worker pool (worker.ts says why) and waits for the file. The indicators
 * (and the hunt timeline's events, as many) are posted as rows, presented in the worker, in parts with a turn of the event loop between them, and only once a thread runs the
 * task: one structured clone of 100,000 objects would itself hold the main thread for a quarter of a
 * second, and a task waiting in the queue should not hold a second copy of them.
 */
import { MessageChannel } from 'node:worker_threads';
import type { CollectedData } from './collect.js';
import type { ExportFile, ExportFormat, LayerSource } from './formats/index.js';
import type { ExportPart } from './worker.js';
import type { WorkerPool } from '../workers/pool.js';
import { yieldToLoop } from '../util.js';

/** Rows per message: one structured clone of 2,000 timeline events took tens of ms on a loaded machine. */
const PART = 500;

export async function buildInWorker(workers: WorkerPool, format: ExportFormat, data: CollectedData, layer: LayerSource): Promise<ExportFile> {
  const { port1, port2 } = new MessageChannel();
  const {
    indicators,
    hunt: { timeline, ...hunt },
    ...rest
  } = data;
  let done = false;
  const sendParts = async () => {
    for (let i = 0; i < indicators.length && !done; i += PART) {
      port1.postMessage({ items: indicators.slice(i, i + PART) } satisfies ExportPart);
      await yieldToLoop();
    }
    for (let i = 0; i < timeline.length && !done; i += PART) {
      port1.postMessage({ events: timeline.slice(i, i + PART) } satisfies ExportPart);
      await yieldToLoop();
    }
    port1.postMessage({ done: true } satisfies ExportPart);
  };
  // The file comes over our port, the task's end over the pool's: either may arrive first.
  const file = new Promise<ExportFile>((resolve) => {
    port1.on('message', (m: { ready: true } | ExportFile) => {
      if ('ready' in m) void sendParts();
      else resolve(m);
    });
  });
  try {
    const task = workers.run<boolean>('exportTask', { format, layer, data: { ...rest, hunt }, parts: port2 }, { transferList: [port2] });
    const [, built] = await Promise.all([task, file]);
    return built;
  } finally {
    done = true;
    port1.close();
  }
}
