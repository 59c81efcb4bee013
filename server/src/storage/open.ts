/**
 * Opens the configured database and brings its schema up to date. SQLite in DATA_DIR is the default;
 * DATABASE_URL selects PostgreSQL (cluster mode).
 */
import type { Db } from './db.js';
import { SqliteDb } from './sqlite.js';
import { migrate } from './migrations/index.js';
import { sqliteFile } from './files.js';

export interface StorageOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** SQLite: WAL checkpoints in a worker thread (the server; a CLI command has no socket to keep answering). */
  checkpointInWorker?: boolean;
}

export async function openStorage(opts: StorageOptions): Promise<Db> {
  // pg is loaded only in cluster mode: a single node on SQLite starts without it.
  const db = opts.databaseUrl
    ? await (await import('./postgres.js')).PostgresDb.open(opts.databaseUrl)
    : SqliteDb.open(sqliteFile(opts.dataDir), { checkpointInWorker: opts.checkpointInWorker ?? false });
  await migrate(db);
  return db;
}
