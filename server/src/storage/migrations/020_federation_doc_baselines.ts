/**
 * Migration 20: the documents' part of a baseline, sent after the share's activation commits
 * (docs/federation.md section 5, server/src/federation/documents/baseline.ts).
 * `federation_doc_baselines`, at the home: one row per (link, workspace) whose documents are being sent,
 * with the last document reached in (created_at, id) order and, while its whole state is being encoded
 * and written, that document's id (`pending`). The metadata is written in the transaction that moves the
 * cursor, the state in the one that clears `pending`, so a restart resumes with the pending state or
 * after the last document, and nothing is skipped.
 */
import type { Migration } from './types.js';

export const federationDocBaselines: Migration = {
  version: 20,
  name: "federation: the documents' part of a baseline, one document at a time (progress at the sender)",
  up: () => [
    `CREATE TABLE federation_doc_baselines (
      link TEXT NOT NULL,
      workspace_id TEXT NOT NULL,
      after_created TEXT NOT NULL DEFAULT '',
      after_id TEXT NOT NULL DEFAULT '',
      pending TEXT,
      started_at TEXT NOT NULL,
      PRIMARY KEY (link, workspace_id)
    )`,
    `CREATE INDEX federation_doc_baselines_workspace ON federation_doc_baselines(workspace_id)`,
  ],
};
