/**
 * A short-lived memory of document grants for reconnect storms (issue 21): when a thousand sockets
 * reconnect within a second, each upgrade asked the database the same three questions (the account,
 * the document's marking, the membership). A grant found here is the answer authorizeDoc gave for
 * this account and document a moment ago, and it is only served while nothing that could change that
 * answer has been written since:
 *
 * - every write of this process to a table the answer depends on (members, documents, accounts,
 *   teams, workspaces, handoff sessions and invites, and whatever cascades from them) changes the
 *   epoch (SqliteDb.watchWrites), which drops every entry at once, before the write's caller returns;
 * - so does any commit by another process to the same file (the CLI), through SQLite's data_version;
 * - an entry lives `ttlMs` at most, and a membership that ends by itself (a handoff guest's, which
 *   expires with its session) is never kept;
 * - only on SQLite: PostgreSQL is shared by the nodes of a cluster, whose writes this node would not
 *   see, so there is no cache there (createGrantCache answers undefined).
 *
 * The epoch is read before the database is asked and the entry is stored only if it is still the same
 * after, so an answer read before a write can never be stored as if it were read after it.
 */
import type { Account, Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { SqliteDb } from '../storage/sqlite.js';
import type { DocMeta } from './store.js';

/** Tables whose rows decide a grant (authorize.ts, auth/store.ts), and those that cascade into them. */
const GRANT_TABLES = /\b(members|documents|accounts|teams|workspaces|handoff_\w+)\b/i;

export interface CachedGrant {
  account: Account;
  meta: DocMeta;
  role: Role;
}

interface Entry {
  grant: CachedGrant;
  epoch: number;
  until: number;
}

export class GrantCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly epochNow: () => number,
    private readonly ttlMs: number,
    /** A bound on memory: an account opening many documents cannot grow the map without end. */
    private readonly maxEntries: number,
  ) {}

  /** Note this before asking the database; hand it to `set` with the answer. */
  epoch(): number {
    return this.epochNow();
  }

  get(accountId: string, docId: string, now = Date.now()): CachedGrant | undefined {
    const key = `${accountId}\n${docId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now || entry.epoch !== this.epochNow()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.grant;
  }

  /** Keeps `grant` if nothing it depends on was written since `epoch` was noted. */
  set(accountId: string, docId: string, grant: CachedGrant, epoch: number, now = Date.now()): void {
    const current = this.epochNow();
    if (epoch !== current) return;
    // Entries of an older epoch can never be served again: drop them all rather than one by one.
    if (this.entries.size >= this.maxEntries || this.lastEpoch !== current) this.entries.clear();
    this.lastEpoch = current;
    this.entries.set(`${accountId}\n${docId}`, { grant, epoch, until: now + this.ttlMs });
  }
  private lastEpoch = -1;

  get size(): number {
    return this.entries.size;
  }
}

/** A membership that ends by itself (a handoff guest's) is asked every time, never kept. */
export function membershipExpires(db: SqliteDb, workspaceId: string, accountId: string): boolean {
  const row = db.getSync<{ handoff_id: string | null }>('SELECT handoff_id FROM members WHERE workspace_id = ? AND account_id = ?', [workspaceId, accountId]);
  return !row || row.handoff_id !== null;
}

export function createGrantCache(db: Db, opts: { ttlMs: number; maxEntries: number }): GrantCache | undefined {
  if (!(db instanceof SqliteDb) || opts.ttlMs <= 0) return undefined;
  return new GrantCache(db.watchWrites(GRANT_TABLES), opts.ttlMs, opts.maxEntries);
}
