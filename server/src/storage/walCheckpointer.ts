/**
 * Moves SQLite's WAL checkpoints off the main thread.
 *
 * By default SQLite checkpoints on the connection that commits, once the log passes 1,000 pages: the
 * commit that crosses it copies the log into the database file and fsyncs both, on the main thread,
 * while every socket of the node waits. In the bench's fan-out at 20 rooms x 200 clients that showed as
 * p99 spikes of 25-30 ms in three of five runs where the peers (which store nothing) stayed at 5-7.
 * Here a worker thread with its own connection checkpoints (PASSIVE) every `intervalMs` and the main
 * connection's automatic checkpoint is switched off, but only once the worker has said it is ready:
 * if the worker cannot start or dies, the main connection gets its automatic checkpoint back, so the
 * log never grows without bound. Durability is unchanged: commits are in the log (synchronous=NORMAL in
 * WAL mode survives kill -9) whichever thread later copies them into the database file.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { workerExecArgv } from '../util.js';

/** SQLite's default: the main connection checkpoints by itself past this many pages of log. */
const AUTO_CHECKPOINT_PAGES = 1000;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private closed = false;

  constructor(
    private readonly raw: Database.Database,
    file: string,
    intervalMs = 500,
  ) {
    let worker: Worker;
    try {
      const sizeLimit = Number(raw.pragma('journal_size_limit', { simple: true }));
      // Beside this file in dist/storage; in the bundle an entry of its own beside every chunk (bundle.mjs).
      worker = new Worker(new URL('./walCheckpointWorker.js', import.meta.url), { workerData: { file, intervalMs, sizeLimit }, execArgv: workerExecArgv() });
    } catch {
      return; // No worker (e.g. run from TypeScript sources): SQLite keeps checkpointing by itself.
    }
    this.worker = worker;
    // Never keeps the process alive; closing the database ends it.
    worker.unref();
    worker.on('message', (msg: unknown) => {
      if (this.closed || !this.raw.open) return;
      if (msg === 'ready') this.raw.pragma('wal_autocheckpoint = 0');
      // A round that failed (the file busy past busy_timeout): the main connection checkpoints too
      // from now on, as it would without the worker, rather than let the log grow.
      if (typeof msg === 'object' && msg !== null && 'failed' in msg) this.raw.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    });
    const fallBack = () => {
      this.worker = undefined;
      if (!this.closed && this.raw.open) this.raw.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
  }

  /** True while the worker does the checkpoints (tests and /healthz-style checks). */
  get inWorker(): boolean {
    return this.worker !== undefined && this.raw.pragma('wal_autocheckpoint', { simple: true }) === 0;
  }

  /** Ends the worker the way a crash of its thread would (tests of the fallback). */
  async terminateWorker(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Stops the worker; the main connection's close then checkpoints what is left, as SQLite does. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }
}
