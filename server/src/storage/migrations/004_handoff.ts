/** Migration 4: live handoff sessions. The invite link is an ordinary observer invite, revoked at the end. */
import type { Migration } from './types.js';

export const handoff: Migration = {
  version: 4,
  name: 'handoff sessions',
  up: () => [
    `CREATE TABLE handoff_sessions (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      recipient_team_id TEXT NOT NULL REFERENCES teams(id),
      presenter_id TEXT NOT NULL REFERENCES accounts(id),
      invite_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      ended_at TEXT
    )`,
    `CREATE INDEX handoff_sessions_workspace ON handoff_sessions(workspace_id, ended_at)`,
  ],
};
