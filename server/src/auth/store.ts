/** SQL for accounts, login sessions and personal access tokens. */
import type { Account, AccessTokenInfo } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { newId, nowIso } from '../util.js';

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  team_id: string;
  team_code: string;
  team_name: string;
  team_color: string;
}

export interface AccountWithHash extends Account {
  passwordHash: string;
}

const ACCOUNT_SELECT = `SELECT a.id, a.username, a.display_name, a.password_hash, a.team_id,
  t.code AS team_code, t.name AS team_name, t.color AS team_color
  FROM accounts a JOIN teams t ON t.id = a.team_id`;

const present = (r: AccountRow): AccountWithHash => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  team: { id: r.team_id, code: r.team_code, name: r.team_name, color: r.team_color },
});

/** Drops the hash before an account leaves the server. */
export const publicAccount = ({ passwordHash: _hash, ...account }: AccountWithHash): Account => account;

export const accountStore = {
  async byUsername(db: Db, username: string): Promise<AccountWithHash | undefined> {
    const r = await db.get<AccountRow>(`${ACCOUNT_SELECT} WHERE a.username = ?`, [username]);
    return r && present(r);
  },
  async byId(db: Db, id: string): Promise<AccountWithHash | undefined> {
    const r = await db.get<AccountRow>(`${ACCOUNT_SELECT} WHERE a.id = ?`, [id]);
    return r && present(r);
  },
  async create(db: Db, a: { username: string; displayName: string; passwordHash: string; teamId: string }): Promise<string> {
    const id = newId();
    await db.run('INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      a.username,
      a.displayName,
      a.passwordHash,
      a.teamId,
      nowIso(),
    ]);
    return id;
  },
};

interface SessionRow {
  account_id: string;
  csrf_token: string;
  expires_at: string;
}

export const sessionStore = {
  async create(db: Db, s: { idHash: string; accountId: string; csrfToken: string; expiresAt: string }): Promise<void> {
    await db.run('INSERT INTO sessions (id, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [s.idHash, s.accountId, s.csrfToken, nowIso(), s.expiresAt]);
  },
  async find(db: Db, idHash: string): Promise<{ accountId: string; csrfToken: string } | undefined> {
    const r = await db.get<SessionRow>('SELECT account_id, csrf_token, expires_at FROM sessions WHERE id = ?', [idHash]);
    if (!r || r.expires_at < nowIso()) return undefined;
    return { accountId: r.account_id, csrfToken: r.csrf_token };
  },
  async delete(db: Db, idHash: string): Promise<void> {
    await db.run('DELETE FROM sessions WHERE id = ?', [idHash]);
  },
  async purgeExpired(db: Db): Promise<number> {
    return (await db.run('DELETE FROM sessions WHERE expires_at < ?', [nowIso()])).changes;
  },
};

interface TokenRow {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const presentToken = (r: TokenRow): AccessTokenInfo => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

export const tokenStore = {
  async create(db: Db, t: { accountId: string; name: string; tokenHash: string; expiresAt: string | null }): Promise<AccessTokenInfo> {
    const row: TokenRow = {
      id: newId(),
      account_id: t.accountId,
      name: t.name,
      created_at: nowIso(),
      expires_at: t.expiresAt,
      last_used_at: null,
      revoked_at: null,
    };
    await db.run('INSERT INTO access_tokens (id, account_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
      row.id,
      row.account_id,
      row.name,
      t.tokenHash,
      row.created_at,
      row.expires_at,
    ]);
    return presentToken(row);
  },
  async list(db: Db, accountId: string): Promise<AccessTokenInfo[]> {
    const rows = await db.all<TokenRow>('SELECT * FROM access_tokens WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at DESC', [accountId]);
    return rows.map(presentToken);
  },
  /** The live token's id and owner, and marks it used. */
  async use(db: Db, tokenHash: string): Promise<{ id: string; accountId: string } | undefined> {
    const r = await db.get<TokenRow>('SELECT * FROM access_tokens WHERE token_hash = ? AND revoked_at IS NULL', [tokenHash]);
    const now = nowIso();
    if (!r || (r.expires_at && r.expires_at < now)) return undefined;
    await db.run('UPDATE access_tokens SET last_used_at = ? WHERE id = ?', [now, r.id]);
    return { id: r.id, accountId: r.account_id };
  },
  async revoke(db: Db, accountId: string, id: string): Promise<boolean> {
    const res = await db.run('UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL', [nowIso(), id, accountId]);
    return res.changes > 0;
  },
};
