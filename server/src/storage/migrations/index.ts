/**
 * Versioned schema migrations, run in order at start inside one transaction each. A migration is
 * never edited once released: add a new file and list it here. Each domain owns its own migration
 * files (001 foundation, 002 documents, 003 records, ...).
 */
import type { Db } from '../db.js';
import type { Migration, Types } from './types.js';
import { foundation } from './001_foundation.js';
import { documents } from './002_documents.js';
import { records } from './003_records.js';
import { handoff } from './004_handoff.js';
import { authority } from './005_authority.js';
import { metadata } from './007_metadata.js';
import { boardOwner } from './009_board_owner.js';
import { huntOperations } from './010_hunt_operations.js';
import { huntSamples } from './011_hunt_samples.js';
import { taxiiKeyset } from './013_taxii_keyset.js';
import { indicatorValidUntil } from './014_indicator_valid_until.js';
import { hostStateBy } from './015_host_state_by.js';
import { federationLinks } from './016_federation_links.js';
import { federationChannel } from './017_federation_channel.js';
import { federationBaselines } from './018_federation_baselines.js';
import { federationBaselineComments } from './019_federation_baseline_comments.js';
import { federationDocBaselines } from './020_federation_doc_baselines.js';
import { updateJournal } from './021_update_journal.js';

export const MIGRATIONS: Migration[] = [
  foundation,
  documents,
  records,
  handoff,
  authority,
  metadata,
  boardOwner,
  huntOperations,
  huntSamples,
  taxiiKeyset,
  indicatorValidUntil,
  hostStateBy,
  federationLinks,
  federationChannel,
  federationBaselines,
  federationBaselineComments,
  federationDocBaselines,
  updateJournal,
].sort((a, b) => a.version - b.version);

const TYPES: Record<Db['dialect'], Types> = {
  sqlite: { blob: 'BLOB', bigint: 'INTEGER', dialect: 'sqlite' },
  postgres: { blob: 'BYTEA', bigint: 'BIGSERIAL', dialect: 'postgres' },
};

/** Applies every migration newer than the database's version; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    await db.transaction(async (tx) => {
      // Several nodes may start at once on one PostgreSQL: one migrates, the others wait and skip.
      if (db.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(72657301)');
      await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      if (await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [m.version])) return;
      for (const sql of m.up(TYPES[db.dialect])) await tx.run(sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
      applied.push(m.version);
    });
  }
  return applied;
}
