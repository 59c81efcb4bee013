/**
 * Migration 16: federation, first step (docs/federation.md section 11): this instance's identity (one
 * row: its name, URL and Ed25519 key pair) and the links its operator set up to peers (the peer's name,
 * URL, public key and the team codes it speaks for, and when the link last
 * connected or why it last failed, so an operator's `link list` shows the running server's view). Nothing crosses a link yet; these are what the
 * handshake will check.
 */
import type { Migration } from './types.js';

export const federationLinks: Migration = {
  version: 16,
  name: 'federation: instance identity and links to peers',
  up: () => [
    `CREATE TABLE federation_identity (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      url TEXT NOT NULL,
      public_key TEXT NOT NULL,
      private_key TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE federation_links (
      name TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      public_key TEXT NOT NULL,
      teams TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'suspended')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      last_connected_at TEXT,
      last_error TEXT
    )`,
  ],
};
