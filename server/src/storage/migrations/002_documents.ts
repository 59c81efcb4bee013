/**
 * Migration 2: the document plane. `documents` holds each Yjs document's metadata and marking (notes,
 * whiteboards, ATT&CK boards share it; a note is a document of kind 'note'). Content is an append-only
 * update log (`doc_updates`, written before any update is relayed) folded now and then into one
 * snapshot per document (`doc_snapshots`); named versions are kept apart (`doc_versions`).
 */
import type { Migration } from './types.js';

export const documents: Migration = {
  version: 2,
  name: 'documents, update log, snapshots, named versions',
  up: (t) => [
    `CREATE TABLE documents (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      tlp TEXT NOT NULL,
      releasable_to TEXT NOT NULL,
      owner_team_id TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    `CREATE INDEX documents_workspace ON documents(workspace_id, kind, created_at)`,
    // A global auto-increment id rather than a per-document counter: several nodes may append to one
    // document in cluster mode without agreeing on a sequence first. Ids must never be reused (the
    // snapshot says "everything up to id N"), and SQLite reuses max(rowid)+1 once compaction has
    // emptied the table unless the key is AUTOINCREMENT; PostgreSQL's BIGSERIAL never reuses.
    `CREATE TABLE doc_updates (
      id ${t.bigint} PRIMARY KEY${t.bigint === 'INTEGER' ? ' AUTOINCREMENT' : ''},
      doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      data ${t.blob} NOT NULL
    )`,
    `CREATE INDEX doc_updates_doc ON doc_updates(doc_id, id)`,
    // upto_id: the last doc_updates id folded into `data`; rows up to it are deleted with the fold.
    `CREATE TABLE doc_snapshots (
      doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
      data ${t.blob} NOT NULL,
      upto_id BIGINT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    `CREATE TABLE doc_versions (
      id TEXT PRIMARY KEY,
      doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      data ${t.blob} NOT NULL,
      created_by TEXT NOT NULL,
      team_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX doc_versions_doc ON doc_versions(doc_id, created_at)`,
  ],
};
