/**
 * Migration 17: what crosses a federation link (docs/federation.md sections 2 and 4).
 * - The link's two counters: `out_seq`, the last sequence number given to a message for the peer (taken
 *   in the transaction that writes the message, so commit order is send order), and `applied_seq`, the
 *   last of the peer's messages applied here (written in the transaction that applies it: nothing twice).
 * - The outbox: messages for a peer, kept until the peer acknowledges them (replayed after an outage).
 * - Foreign teams and remote accounts: rows for the peer's teams and users, with the ids their home gave
 *   them, bound to the link they came over (`home_link`); NULL for this instance's own.
 * - Shared workspaces: which workspace is shared over which link, which side is its home, the role the
 *   offer allows, the peer's teams it is shared with (ids, JSON), what the offer said
 *   of the workspace (JSON, for the replica made on acceptance) and the offer's state.
 * - Leases: in cluster mode one node holds each link's socket (the others write to the outbox, which the
 *   holder sends); a lease lapses if its node stops renewing it.
 */
import type { Migration } from './types.js';

export const federationChannel: Migration = {
  version: 17,
  name: 'federation: link sequence numbers, outbox, foreign teams and accounts, shared workspaces',
  up: () => [
    `ALTER TABLE federation_links ADD COLUMN out_seq INTEGER NOT NULL DEFAULT 0`,
    `ALTER TABLE federation_links ADD COLUMN applied_seq INTEGER NOT NULL DEFAULT 0`,
    `CREATE TABLE federation_outbox (
      link TEXT NOT NULL,
      seq INTEGER NOT NULL,
      type TEXT NOT NULL,
      body TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (link, seq)
    )`,
    `ALTER TABLE teams ADD COLUMN home_link TEXT`,
    `ALTER TABLE accounts ADD COLUMN home_link TEXT`,
    `CREATE TABLE federation_shares (
      offer_id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      link TEXT NOT NULL,
      home TEXT NOT NULL CHECK (home IN ('here', 'peer')),
      role TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('offered', 'active', 'withdrawn')),
      workspace_name TEXT NOT NULL,
      peer_teams TEXT NOT NULL,
      offer_detail TEXT NOT NULL,
      created_at TEXT NOT NULL,
      accepted_at TEXT,
      accepted_by TEXT
    )`,
    `CREATE UNIQUE INDEX federation_shares_workspace_link ON federation_shares (workspace_id, link)`,
    // Cluster mode: which node holds each link's socket, until when (renewed while it does).
    `CREATE TABLE federation_leases (
      link TEXT PRIMARY KEY,
      node TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
  ],
};
