/**
 * Versioned schema migrations, run in order at start inside one transaction each. A migration is
 * never edited once released: add a new file and list it here. Each domain owns its own migration
 * files (001 foundation, 002 documents, 003 records, ...).
 */
import type { Db } from '../db.js';
import type { Migration, Types } from './types.js';
import { foundation } from './001_foundation.js';

export const MIGRATIONS: Migration[] = [foundation].sort((a, b) => a.version - b.version);

const TYPES: Record<Db['dialect'], Types> = {
  sqlite: { blob: 'BLOB', bigint: 'INTEGER' },
  postgres: { blob: 'BYTEA', bigint: 'BIGSERIAL' },
};

/** Applies every migration newer than the database's version; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const sql of m.up(TYPES[db.dialect])) await tx.run(sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    });
    applied.push(m.version);
  }
  return applied;
}
