/**
 * Migration 19: the comments a baseline refreshed, at the receiver (docs/federation.md section 4).
 * Comments have no seq of their own (the replica's `updated_seq` is their indicator's), so the baseline's
 * end could not tell a comment the home still shows this instance from one narrowed while the outbox was
 * dropped. Between `begin` and `end` every comment the link sends is listed here; at `end` the comments of
 * the refreshed indicators not listed are removed, and the list is emptied.
 */
import type { Migration } from './types.js';

export const federationBaselineComments: Migration = {
  version: 19,
  name: 'federation: comments refreshed by a baseline under way (receiver)',
  up: () => [
    `CREATE TABLE federation_baseline_comments (
      link TEXT NOT NULL,
      workspace_id TEXT NOT NULL,
      comment_id TEXT NOT NULL,
      PRIMARY KEY (link, workspace_id, comment_id)
    )`,
  ],
};
