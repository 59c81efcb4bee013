/**
 * Migration 11: malware samples on hunt findings (issue 18, item 4). A sample is stored only as its
 * password-protected ZIP, in the database, cut in chunks of at most 1 MiB: every node of a cluster
 * reads the same PostgreSQL, so a sample uploaded on one node downloads from any other (a file under
 * one node's DATA_DIR would not), and neither an upload nor a download ever holds the whole ZIP in
 * memory. A sample has no marking of its own: it is seen exactly by the teams that see its finding.
 */
import type { Migration } from './types.js';

export const huntSamples: Migration = {
  version: 11,
  name: 'hunt samples: password-protected ZIPs of malware samples on findings, in chunks',
  up: (t) => [
    `CREATE TABLE hunt_samples (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      finding_id TEXT NOT NULL,
      filename TEXT NOT NULL,
      size INTEGER NOT NULL,
      md5 TEXT NOT NULL,
      sha1 TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      zip_size INTEGER NOT NULL,
      chunk_count INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      team_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX hunt_samples_finding ON hunt_samples(workspace_id, finding_id, created_at)`,
    // Chunks are written before their sample row (outside the command's transaction, which stays short)
    // and are therefore not tied to it by a foreign key; the upload deletes them when it fails.
    `CREATE TABLE hunt_sample_chunks (
      sample_id TEXT NOT NULL,
      n INTEGER NOT NULL,
      data ${t.blob} NOT NULL,
      PRIMARY KEY (sample_id, n)
    )`,
  ],
};
