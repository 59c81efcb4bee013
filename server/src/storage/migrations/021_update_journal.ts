/**
 * Migration 21: how far the update journal is applied (server/src/collab/updateJournal.ts), SQLite only:
 * a node on PostgreSQL keeps no journal. The mark is a row of its own in `sqlite_sequence`, the table
 * where SQLite keeps each AUTOINCREMENT counter, rather than a table of its own: every commit of
 * updates rewrites `sqlite_sequence`'s page for `doc_updates`' counter anyway, so moving the mark in
 * the same transaction adds no page to the commit (a table of its own added one 4 KiB page to every
 * commit's WAL write and to every checkpoint). SQLite documents that this table may be changed with
 * ordinary statements; it reads only the rows named after its AUTOINCREMENT tables.
 */
import type { Migration } from './types.js';

/** The row's name; no table has it, so SQLite never takes it for a counter of its own. */
export const JOURNAL_MARK = 'huntroom:update_journal';

export const updateJournal: Migration = {
  version: 21,
  name: 'update journal: the sequence number applied to doc_updates (SQLite)',
  up: (t) => (t.dialect === 'sqlite' ? [`INSERT INTO sqlite_sequence (name, seq) VALUES ('${JOURNAL_MARK}', 0)`] : []),
};
