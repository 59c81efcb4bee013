/**
 * Versioned schema migrations, run in order at start inside one transaction each. A migration is
 * never edited once released: add a new one. SQL is shared by both dialects; `t` supplies the few
 * types that differ.
 */
import type { Db } from './db.js';

interface Types {
  blob: string;
  bigint: string;
}

interface Migration {
  version: number;
  name: string;
  up: (t: Types) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
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
  },
];

const TYPES: Record<Db['dialect'], Types> = {
  sqlite: { blob: 'BLOB', bigint: 'INTEGER' },
  postgres: { blob: 'BYTEA', bigint: 'BIGSERIAL' },
};

/** Applies every migration newer than the database's version; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const sql of m.up(TYPES[db.dialect])) await tx.run(sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    });
    applied.push(m.version);
  }
  return applied;
}
