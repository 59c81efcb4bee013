/**
 * Migration 18: baselines in pages and outbox retention (docs/federation.md section 4).
 * - `federation_baselines`, at the sender: one row per (link, workspace) whose baseline is being sent,
 *   with how far it got (the kind being sent and the last item's created_seq and id). Each page is
 *   written to the outbox in the transaction that moves this cursor, so a restart or a dropped link
 *   resumes where it stopped and sends no item twice.
 * - `federation_baseline_marks`, at the receiver: this instance's log head when a baseline began, so
 *   its end can drop the replica rows the baseline did not refresh (no longer visible at their home).
 * - `federation_links.retained_from`: the out_seq after the outbox was last dropped past its retention
 *   limit; the limit counts only what was written since.
 */
import type { Migration } from './types.js';

export const federationBaselines: Migration = {
  version: 18,
  name: 'federation: baselines in pages (progress at the sender, start mark at the receiver), outbox retention floor',
  up: () => [
    `CREATE TABLE federation_baselines (
      link TEXT NOT NULL,
      workspace_id TEXT NOT NULL,
      phase TEXT NOT NULL,
      after_seq INTEGER NOT NULL DEFAULT 0,
      after_id TEXT NOT NULL DEFAULT '',
      started_at TEXT NOT NULL,
      PRIMARY KEY (link, workspace_id)
    )`,
    `CREATE TABLE federation_baseline_marks (
      link TEXT NOT NULL,
      workspace_id TEXT NOT NULL,
      from_seq INTEGER NOT NULL,
      PRIMARY KEY (link, workspace_id)
    )`,
    `ALTER TABLE federation_links ADD COLUMN retained_from INTEGER NOT NULL DEFAULT 0`,
  ],
};
