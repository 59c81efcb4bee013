/**
 * Opens the configured database and brings its schema up to date. SQLite in DATA_DIR is the default;
 * DATABASE_URL selects PostgreSQL once that implementation exists (cluster mode issue).
 */
import { join } from 'node:path';
import type { Db } from './db.js';
import { SqliteDb } from './sqlite.js';
import { migrate } from './migrations/index.js';

export interface StorageOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

export async function openStorage(opts: StorageOptions): Promise<Db> {
  if (opts.databaseUrl) {
    throw new Error('DATABASE_URL (PostgreSQL) is not supported yet; unset it to use SQLite in DATA_DIR');
  }
  const db = SqliteDb.open(join(opts.dataDir, 'huntroom.sqlite'));
  await migrate(db);
  return db;
}
