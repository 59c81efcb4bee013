/**
 * Migration 3: the record plane (event log, per-workspace seq counter, command idempotency) and the
 * indicator projection it feeds. Markings are stored as columns (tlp, releasable_to as a JSON array of
 * team ids, owner_team_id) so every read can hand them to `canSee` without loading the item.
 */
import type { Migration } from './types.js';

export const records: Migration = {
  version: 3,
  name: 'record plane: events, seq, command log; indicators, sightings, comments',
  up: () => [
    // One row per workspace; `UPDATE ... SET seq = seq + n` locks it on PostgreSQL until commit, so
    // seqs are handed out in commit order even with several writers on several nodes.
    `CREATE TABLE workspace_seq (
      workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
      seq BIGINT NOT NULL
    )`,
    // The audience columns say who may see the event: the item's marking (rewritten when the record's
    // marking changes), the parent's marking for items with their own (comments), and `unless` for
    // revoke events, which go only to teams that saw the record before and do not now.
    `CREATE TABLE record_events (
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      seq BIGINT NOT NULL,
      type TEXT NOT NULL,
      record_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      actor_id TEXT,
      team_id TEXT,
      at TEXT NOT NULL,
      tlp TEXT NOT NULL,
      releasable_to TEXT NOT NULL,
      owner_team_id TEXT NOT NULL,
      parent_marking TEXT,
      unless_marking TEXT,
      PRIMARY KEY (workspace_id, seq)
    )`,
    `CREATE INDEX record_events_record ON record_events(workspace_id, record_id, seq)`,
    // A retried command (same client-made id) finds its first ack here and changes nothing.
    `CREATE TABLE command_log (
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL,
      command_id TEXT NOT NULL,
      type TEXT NOT NULL,
      ack TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (workspace_id, account_id, command_id)
    )`,
    `CREATE TABLE indicators (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      value TEXT NOT NULL,
      original_value TEXT NOT NULL,
      status TEXT NOT NULL,
      confidence INTEGER NOT NULL,
      tlp TEXT NOT NULL,
      releasable_to TEXT NOT NULL,
      owner_team_id TEXT NOT NULL,
      tags TEXT NOT NULL,
      techniques TEXT NOT NULL,
      source TEXT NOT NULL,
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      sighting_count INTEGER NOT NULL,
      comment_count INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      created_seq BIGINT NOT NULL,
      updated_seq BIGINT NOT NULL,
      UNIQUE (workspace_id, type, value)
    )`,
    `CREATE INDEX indicators_list ON indicators(workspace_id, created_seq)`,
    `CREATE TABLE indicator_sightings (
      id TEXT PRIMARY KEY,
      indicator_id TEXT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
      team_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      seen_at TEXT NOT NULL,
      context TEXT NOT NULL,
      note TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX indicator_sightings_indicator ON indicator_sightings(indicator_id, created_at)`,
    `CREATE TABLE indicator_comments (
      id TEXT PRIMARY KEY,
      indicator_id TEXT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL,
      team_id TEXT NOT NULL,
      body TEXT NOT NULL,
      tlp TEXT NOT NULL,
      releasable_to TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX indicator_comments_indicator ON indicator_comments(indicator_id, created_at)`,
  ],
};
