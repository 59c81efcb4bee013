/**
 * The demo accounts' password, and its hash started early. The hash is argon2id (auth/passwords.ts):
 * tens of milliseconds of a libuv thread on a quiet machine, hundreds on a loaded one. main.ts starts it
 * before it loads the application's modules, so it runs on another core while they load instead of
 * after the migrations (issue 21, start to ready; docs/performance.md).
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { sqliteFile } from '../storage/files.js';
import { hashPassword } from '../auth/passwords.js';

export const DEMO_PASSWORD = 'huntroom-demo';

/**
 * The demo password's hash if the demo is certain to be seeded: only on SQLite with no database file
 * yet. On PostgreSQL, or on a data directory that holds a database, the database may have teams
 * already, and a hash computed for nothing would cost every restart 19 MiB and a thread.
 */
export async function prehashDemoPassword(config: Config): Promise<string | undefined> {
  if (!config.demo || config.databaseUrl || existsSync(sqliteFile(config.dataDir))) return undefined;
  // A failure is not thrown: nothing may await this (another process seeded the demo first), and
  // seedDemo hashes again itself when it has no hash.
  return hashPassword(DEMO_PASSWORD).catch(() => undefined);
}
