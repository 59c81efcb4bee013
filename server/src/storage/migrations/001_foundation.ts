/** Migration 1: the foundation's tables. */
import type { Migration } from './types.js';

export const foundation: Migration = {
  version: 1,
  name: 'accounts, teams, workspaces, members, invites, sessions, tokens, audit',
  up: (t) => [
    `CREATE TABLE teams (
      id TEXT PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      color TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE accounts (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      team_id TEXT NOT NULL REFERENCES teams(id),
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
    `CREATE INDEX sessions_account ON sessions(account_id)`,
    `CREATE TABLE access_tokens (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      expires_at TEXT,
      last_used_at TEXT,
      revoked_at TEXT
    )`,
    `CREATE TABLE workspaces (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      default_tlp TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES accounts(id),
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE members (
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (workspace_id, account_id)
    )`,
    `CREATE INDEX members_account ON members(account_id)`,
    `CREATE TABLE invites (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      team_id TEXT NOT NULL REFERENCES teams(id),
      expires_at TEXT NOT NULL,
      max_uses INTEGER NOT NULL,
      uses INTEGER NOT NULL,
      created_by TEXT NOT NULL REFERENCES accounts(id),
      created_at TEXT NOT NULL,
      revoked_at TEXT
    )`,
    `CREATE TABLE audit_log (
      id ${t.bigint} PRIMARY KEY,
      at TEXT NOT NULL,
      workspace_id TEXT,
      actor_id TEXT,
      team_id TEXT,
      action TEXT NOT NULL,
      detail TEXT NOT NULL
    )`,
    `CREATE INDEX audit_workspace ON audit_log(workspace_id, id)`,
    `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ],
};
