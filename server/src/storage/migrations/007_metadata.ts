/**
 * Migration 7 (issue 15, metadata): what an audit row is about, and spent document tickets.
 * - `audit_log.about`: JSON list of the marked items a row concerns (kind, id, marking, owner team) as
 *   they were when the row was written, so the trail can be filtered by `canSee` even once an item is
 *   gone. NULL for rows about the workspace itself (and for rows written before this migration, whose
 *   items are looked up by the ids in their detail).
 * - `doc_tickets_used`: a document ticket is single-use; its id is recorded when spent, in the shared
 *   database so every node of a cluster refuses it a second time. Rows are purged once expired.
 * - an index for the per-account rate of named versions (audit rows of an account's saves lately).
 */
import type { Migration } from './types.js';

export const metadata: Migration = {
  version: 7,
  name: 'audit subjects, single-use document tickets, named version limits',
  up: () => [
    `ALTER TABLE audit_log ADD COLUMN about TEXT`,
    `CREATE TABLE doc_tickets_used (
      id TEXT PRIMARY KEY,
      expires_at TEXT NOT NULL
    )`,
    `CREATE INDEX doc_tickets_used_expiry ON doc_tickets_used(expires_at)`,
    `CREATE INDEX audit_actor_action ON audit_log(actor_id, action, at)`,
  ],
};
