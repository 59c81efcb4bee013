/**
 * The thread that copies SQLite's write-ahead log back into the database file (walCheckpointer.ts).
 * It opens its own connection to the same file and runs a PASSIVE checkpoint on a timer: PASSIVE
 * never waits for, nor blocks, the main thread's readers and writers; it copies what it can and
 * leaves the rest for the next round. The fsyncs of the checkpoint happen here, not on the thread
 * that answers every socket.
 *
 * It also truncates a log that a burst grew past `sizeLimit` once all of it is in the database file.
 * Otherwise the main connection does that at its next commit (journal_size_limit): truncating a log of
 * 165 MB after 100,000 indicators were added cost that commit 23 ms of CPU and 107 ms of wall time in
 * the kernel, on the thread that answers every socket (the audit row of the export that came next,
 * docs/performance.md, "Exports, 2026-11-29 (evening)").
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  /** The main connection's journal_size_limit in bytes. */
  sizeLimit: number;
}

const { file, intervalMs, sizeLimit } = workerData as CheckpointWorkerData;
const db = new Database(file);
db.pragma('busy_timeout = 5000');

const walBytes = (): number => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

function checkpoint(): void {
  try {
    const [round] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    // TRUNCATE waits for the main thread's writer and readers (busy_timeout) and holds the write lock
    // while the file shrinks: only when there is nothing left to copy, so a commit of the main thread
    // waits at most that long, rarely, instead of paying it every time. Never while pages are left
    // (it would then copy them under the lock too).
    if (round && round.busy === 0 && round.log > 0 && round.checkpointed === round.log && walBytes() > sizeLimit) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    // A failed round (the file busy past busy_timeout, say) is retried at the next tick; the main
    // thread is told so that a checkpointer that keeps failing can be replaced by its own.
    parentPort?.postMessage({ failed: err instanceof Error ? err.message : String(err) });
  }
}

setInterval(checkpoint, intervalMs);
parentPort?.on('message', (msg: unknown) => {
  if (msg === 'close') {
    db.close();
    process.exit(0);
  }
});
parentPort?.postMessage('ready');
