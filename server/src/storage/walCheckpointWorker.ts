/**
 * The thread that copies SQLite's write-ahead log back into the database file (walCheckpointer.ts).
 * It opens its own connection to the same file and runs a PASSIVE checkpoint on a timer: PASSIVE
 * never waits for, nor blocks, the main thread's readers and writers; it copies what it can and
 * leaves the rest for the next round. The fsyncs of the checkpoint happen here, not on the thread
 * that answers every socket.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
}

const { file, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(file);
db.pragma('busy_timeout = 5000');

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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
