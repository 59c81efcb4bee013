/**
 * Runs `buildExport` in the worker pool (worker.ts says why) and feeds it the rows as they are read.
 * The task is started first, with the small part of the data (`CollectedHead`); once a thread runs it
 * (it says `ready`), `feed` reads the indicators and the timeline's events a page at a time and each
 * page is posted as soon as it is read, with a turn of the event loop between pages (collect.ts). So
 * the main thread holds one page at a time instead of all 100,000 rows until the worker takes them
 * (holding them, and cloning them in parts afterwards, was most of what an export still cost it), and a
 * task waiting in the queue holds no copy of them.
 */
import { MessageChannel } from 'node:worker_threads';
import type { CollectedHead, RowSink } from './collect.js';
import type { ExportFile, ExportFormat, LayerSource } from './formats/index.js';
import type { ExportPart } from './worker.js';
import type { WorkerPool } from '../workers/pool.js';

/** Reads the rows into the sink it is given; what it answers is handed back by `buildInWorker`. */
export type Feed<T> = (sink: RowSink) => Promise<T>;

export async function buildInWorker<T>(workers: WorkerPool, format: ExportFormat, head: CollectedHead, layer: LayerSource, feed: Feed<T>): Promise<{ file: ExportFile; fed: T }> {
  const { port1, port2 } = new MessageChannel();
  let done = false;
  const post = (part: ExportPart) => port1.postMessage(part);
  const sink: RowSink = {
    related: true,
    indicators: (page) => post(page),
    events: (events) => post({ events }),
    stopped: () => done,
  };
  let fed: Promise<T> | undefined;
  // The file comes over our port, the task's end over the pool's: either may arrive first.
  const file = new Promise<ExportFile>((resolve, reject) => {
    port1.on('message', (m: { ready: true } | ExportFile) => {
      if (!('ready' in m)) return resolve(m);
      fed = feed(sink);
      fed.then(
        () => post({ done: true }),
        (err: unknown) => {
          // The rows could not be read: the task ends, and the export fails with the reason.
          reject(err instanceof Error ? err : new Error(String(err)));
          post({ failed: true });
        },
      );
    });
  });
  try {
    const task = workers.run<boolean>('exportTask', { format, layer, data: head, parts: port2 }, { transferList: [port2] });
    const [, built] = await Promise.all([task, file]);
    return { file: built, fed: await fed! };
  } finally {
    done = true;
    port1.close();
  }
}
