/**
 * Where an import's content is read: a small body on the main thread (a few milliseconds; a thread hop
 * would cost more), a large one in the worker pool under a time budget (workers/budget.ts: the clock
 * starts when a thread takes the task; past it the task is aborted and the import refused, nothing
 * saved; waiting for a thread has its own, separate bound).
 */
import { AppError } from '../../http/errors.js';
import type { WorkerPool } from '../../workers/pool.js';
import { runWithBudget } from '../../workers/budget.js';
import { readImport, isRefusal, type ImportRead, type ImportRefusal } from './read.js';

/**
 * Bodies up to this size are read inline: a 64 KB paste is extracted in a few milliseconds, less than a
 * hop to a worker thread. Kept small because inline reading has no time budget: whatever a hostile
 * input costs the extractor, on the main thread it is at most the cost of 64 KB.
 */
export const INLINE_READ_BYTES = 64 * 1024;

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
  const r = await runWithBudget<ImportRead | ImportRefusal>(opts.workers, 'importParseTask', { bytes, contentType }, { ...opts, transferList: [bytes.buffer] });
  if (isRefusal(r)) throw fromRefusal(r);
  return r;
}
