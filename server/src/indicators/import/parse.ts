/**
 * Where an import's content is read: a small body on the main thread (a few milliseconds; a thread hop
 * would cost more), a large one in the worker pool under a time budget. The budget's clock starts when
 * a thread takes the task; a task past it is aborted through the pool's AbortSignal (piscina ends the
 * thread) and the import is refused, nothing saved. Waiting for a thread has its own, separate bound.
 */
import { MessageChannel } from 'node:worker_threads';
import { AppError } from '../../http/errors.js';
import { PoolBusyError, type WorkerPool } from '../../workers/pool.js';
import { readImport, isRefusal, type ImportRead, type ImportRefusal } from './read.js';
import type { ImportTaskMessage } from './task.js';

/**
 * Bodies up to this size are read inline: a 64 KB paste is extracted in a few milliseconds, less than a
 * hop to a worker thread. Kept small because inline reading has no time budget: whatever a hostile
 * input costs the extractor, on the main thread it is at most the cost of 64 KB.
 */
export const INLINE_READ_BYTES = 64 * 1024;
/** How long an import may wait for a free thread before it is told the server is busy. */
const QUEUE_WAIT_MS = 30_000;

export interface ReadOptions {
  workers: WorkerPool;
  budgetMs: number;
  /** Ends the read early (the client went away). */
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

function fromRefusal(r: ImportRefusal): AppError {
  return new AppError(r.refused, r.message, r.fields);
}

export async function readImportBody(bytes: Uint8Array, contentType: string, opts: ReadOptions): Promise<ImportRead> {
  if (bytes.byteLength <= INLINE_READ_BYTES) {
    const r = await readImport(bytes, contentType, opts.onProgress);
    if (isRefusal(r)) throw fromRefusal(r);
    return r;
  }
  const abort = new AbortController();
  const why: { reason?: 'queue' | 'budget' | 'client' } = {};
  const stop = (reason: NonNullable<typeof why.reason>) => {
    why.reason ??= reason;
    abort.abort();
  };
  const { port1, port2 } = new MessageChannel();
  const queueTimer = setTimeout(() => stop('queue'), QUEUE_WAIT_MS);
  let budgetTimer: NodeJS.Timeout | undefined;
  const onClient = () => stop('client');
  opts.signal.addEventListener('abort', onClient, { once: true });
  port1.on('message', (m: ImportTaskMessage) => {
    if ('started' in m) {
      clearTimeout(queueTimer);
      budgetTimer = setTimeout(() => stop('budget'), opts.budgetMs);
    } else opts.onProgress(m.done, m.total);
  });
  try {
    const r = await opts.workers.run<ImportRead | ImportRefusal>(
      'importParseTask',
      { bytes, contentType, port: port2 },
      { transferList: [bytes.buffer, port2], signal: abort.signal },
    );
    if (isRefusal(r)) throw fromRefusal(r);
    return r;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (why.reason === 'budget')
      throw new AppError(
        'payload_too_large',
        `reading the content took longer than the ${formatSeconds(opts.budgetMs)} one import may take, so it was stopped and nothing was saved; import the file in smaller parts`,
      );
    if (why.reason === 'queue' || err instanceof PoolBusyError) throw new PoolBusyError();
    if (why.reason === 'client') throw new AppError('bad_request', 'the client went away');
    throw err;
  } finally {
    clearTimeout(queueTimer);
    clearTimeout(budgetTimer);
    opts.signal.removeEventListener('abort', onClient);
    port1.close();
  }
}

const formatSeconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
