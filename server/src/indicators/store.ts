/**
 * SQL of the indicator projection: indicators (unique per workspace on type + normalized value),
 * sightings and comments. Markings are columns, handed to `canSee` by the service, never decided here.
 */
import type { IndicatorStatus, MarkedItem, TlpLevel } from '@huntroom/shared';
import type { Db, SqlValue } from '../storage/db.js';

export interface IndicatorRow {
  id: string;
  workspace_id: string;
  type: string;
  value: string;
  original_value: string;
  status: IndicatorStatus;
  confidence: number;
  tlp: TlpLevel;
  releasable_to: string;
  owner_team_id: string;
  tags: string;
  techniques: string;
  source: string;
  first_seen: string;
  last_seen: string;
  /** End of validity (ISO UTC), null when none was given. */
  valid_until: string | null;
  sighting_count: number;
  comment_count: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  created_seq: number;
  updated_seq: number;
}

export interface SightingRow {
  id: string;
  indicator_id: string;
  team_id: string;
  account_id: string;
  seen_at: string;
  context: string;
  note: string;
  created_at: string;
}

export interface CommentRow {
  id: string;
  indicator_id: string;
  account_id: string;
  team_id: string;
  body: string;
  tlp: TlpLevel;
  releasable_to: string;
  created_at: string;
}

const COLUMNS: (keyof IndicatorRow)[] = [
  'id',
  'workspace_id',
  'type',
  'value',
  'original_value',
  'status',
  'confidence',
  'tlp',
  'releasable_to',
  'owner_team_id',
  'tags',
  'techniques',
  'source',
  'first_seen',
  'last_seen',
  'valid_until',
  'sighting_count',
  'comment_count',
  'created_by',
  'created_at',
  'updated_at',
  'created_seq',
  'updated_seq',
];
const SIGHTING_COLUMNS: (keyof SightingRow)[] = ['id', 'indicator_id', 'team_id', 'account_id', 'seen_at', 'context', 'note', 'created_at'];
// Keeps every multi-row INSERT under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535).
const MAX_PARAMS = 8_000;

/** Multi-row INSERT in chunks: a 5,000-row batch is a dozen statements, not 5,000 round trips. */
async function insertRows<R>(tx: Db, table: string, columns: (keyof R)[], rows: readonly R[]): Promise<void> {
  const per = Math.floor(MAX_PARAMS / columns.length);
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params = chunk.flatMap((r) => columns.map((c) => r[c] as SqlValue));
    await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`, params);
  }
}

export interface ScanFilter {
  type?: string | undefined;
  status?: string | undefined;
  teamId?: string | undefined;
  tlp?: string | undefined;
}

/** What decides whether a team may see an indicator, and its place in the newest-first order. */
export type MarkingRow = Pick<IndicatorRow, 'created_seq' | 'tlp' | 'releasable_to' | 'owner_team_id'>;

export type ScanRow = Pick<IndicatorRow, 'id' | 'created_seq' | 'tlp' | 'releasable_to' | 'owner_team_id'> &
  Partial<Pick<IndicatorRow, 'value' | 'original_value' | 'source' | 'tags' | 'techniques'>>;

// Most rows share a handful of releasable-to lists ("[]" above all): parse each distinct one once.
const parsedLists = new Map<string, string[]>();
const parseList = (json: string): string[] => {
  let list = parsedLists.get(json);
  if (!list) {
    list = JSON.parse(json) as string[];
    if (parsedLists.size < 10_000) parsedLists.set(json, list);
  }
  return list;
};

export const markedItem = (r: { tlp: TlpLevel; releasable_to: string; owner_team_id?: string; team_id?: string }): MarkedItem => ({
  marking: { tlp: r.tlp, releasableTo: parseList(r.releasable_to) },
  ownerTeamId: (r.owner_team_id ?? r.team_id)!,
});

/** A page of `columns` of the indicators created before `beforeSeq` (all when undefined), newest first. */
const rowsBefore = <R>(db: Db, workspaceId: string, beforeSeq: number | undefined, limit: number, columns: string) =>
  db.all<R>(`SELECT ${columns} FROM indicators WHERE workspace_id = ? AND created_seq < ? ORDER BY created_seq DESC LIMIT ?`, [
    workspaceId,
    beforeSeq ?? Number.MAX_SAFE_INTEGER,
    limit,
  ]);

export const indicatorStore = {
  insertMany: (tx: Db, rows: readonly IndicatorRow[]) => insertRows(tx, 'indicators', COLUMNS, rows),
  insertSightings: (tx: Db, rows: readonly SightingRow[]) => insertRows(tx, 'indicator_sightings', SIGHTING_COLUMNS, rows),

  async get(db: Db, workspaceId: string, id: string): Promise<IndicatorRow | undefined> {
    return db.get<IndicatorRow>('SELECT * FROM indicators WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  },

  async manyById(db: Db, workspaceId: string, ids: readonly string[]): Promise<IndicatorRow[]> {
    const out: IndicatorRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      out.push(...(await db.all<IndicatorRow>(`SELECT * FROM indicators WHERE workspace_id = ? AND id IN (${chunk.map(() => '?').join(', ')})`, [workspaceId, ...chunk])));
    }
    return out;
  },

  /** Existing indicators among `keys`, keyed by `type\u0000value`. */
  async byKeys(db: Db, workspaceId: string, keys: readonly { type: string; value: string }[]): Promise<Map<string, IndicatorRow>> {
    const found = new Map<string, IndicatorRow>();
    const byType = new Map<string, Set<string>>();
    for (const k of keys) byType.set(k.type, (byType.get(k.type) ?? new Set()).add(k.value));
    // Type and value together, so the lookup walks the unique index instead of the workspace's rows.
    for (const [type, set] of byType) {
      const values = [...set];
      for (let i = 0; i < values.length; i += 500) {
        const chunk = values.slice(i, i + 500);
        const rows = await db.all<IndicatorRow>(`SELECT * FROM indicators WHERE workspace_id = ? AND type = ? AND value IN (${chunk.map(() => '?').join(', ')})`, [
          workspaceId,
          type,
          ...chunk,
        ]);
        for (const r of rows) found.set(`${r.type}\u0000${r.value}`, r);
      }
    }
    return found;
  },

  /** Writes the mutable fields of `row` back. */
  async save(tx: Db, row: IndicatorRow): Promise<void> {
    await tx.run(
      `UPDATE indicators SET status = ?, confidence = ?, tlp = ?, releasable_to = ?, tags = ?, techniques = ?, last_seen = ?, valid_until = ?,
        sighting_count = ?, comment_count = ?, updated_at = ?, updated_seq = ? WHERE id = ?`,
      [
        row.status,
        row.confidence,
        row.tlp,
        row.releasable_to,
        row.tags,
        row.techniques,
        row.last_seen,
        row.valid_until,
        row.sighting_count,
        row.comment_count,
        row.updated_at,
        row.updated_seq,
        row.id,
      ],
    );
  },

  async delete(tx: Db, id: string): Promise<void> {
    await tx.run('DELETE FROM indicators WHERE id = ?', [id]);
  },

  async addComment(tx: Db, c: CommentRow): Promise<void> {
    await tx.run('INSERT INTO indicator_comments (id, indicator_id, account_id, team_id, body, tlp, releasable_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      c.id,
      c.indicator_id,
      c.account_id,
      c.team_id,
      c.body,
      c.tlp,
      c.releasable_to,
      c.created_at,
    ]);
  },

  /**
   * The indicators matching the SQL-side filters, newest first, with only the columns needed to
   * decide visibility and the in-memory filters: at 100,000 rows, building full row objects costs
   * seconds, these a fraction of it. Pages are then loaded in full with `manyById`.
   */
  async scan(db: Db, workspaceId: string, f: ScanFilter, withText = false): Promise<ScanRow[]> {
    const where = ['workspace_id = ?'];
    const params: SqlValue[] = [workspaceId];
    const filters = { type: f.type, status: f.status, owner_team_id: f.teamId, tlp: f.tlp };
    for (const [column, value] of Object.entries(filters)) {
      if (!value) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const columns = `id, created_seq, tlp, releasable_to, owner_team_id${withText ? ', value, original_value, source, tags, techniques' : ''}`;
    return db.all<ScanRow>(`SELECT ${columns} FROM indicators WHERE ${where.join(' AND ')} ORDER BY created_seq DESC`, params);
  },

  /** Every indicator of the workspace in full, newest first (sync snapshots). */
  async all(db: Db, workspaceId: string): Promise<IndicatorRow[]> {
    return db.all<IndicatorRow>('SELECT * FROM indicators WHERE workspace_id = ? ORDER BY created_seq DESC', [workspaceId]);
  },

  /**
   * Up to `limit` indicators created before `beforeSeq` (all when undefined), newest first: for readers
   * that yield between pages.
   */
  page: (db: Db, workspaceId: string, beforeSeq: number | undefined, limit: number) => rowsBefore<IndicatorRow>(db, workspaceId, beforeSeq, limit, '*'),

  /**
   * The same page with only the columns that decide visibility (`markedItem`): for a reader that only
   * counts what a recipient may see (the ATT&CK layer's export, the export summary), which needs none
   * of the text, tags or context that make a full row costly to build.
   */
  markingPage: (db: Db, workspaceId: string, beforeSeq: number | undefined, limit: number) =>
    rowsBefore<MarkingRow>(db, workspaceId, beforeSeq, limit, 'created_seq, tlp, releasable_to, owner_team_id'),

  /** Every sighting and every comment of a workspace, in one query each (exports read them all). */
  async allSightings(db: Db, workspaceId: string): Promise<SightingRow[]> {
    return db.all<SightingRow>('SELECT s.* FROM indicator_sightings s JOIN indicators i ON i.id = s.indicator_id WHERE i.workspace_id = ? ORDER BY s.created_at, s.id', [
      workspaceId,
    ]);
  },
  async allComments(db: Db, workspaceId: string): Promise<CommentRow[]> {
    return db.all<CommentRow>('SELECT c.* FROM indicator_comments c JOIN indicators i ON i.id = c.indicator_id WHERE i.workspace_id = ? ORDER BY c.created_at, c.id', [
      workspaceId,
    ]);
  },
  async sightings(db: Db, indicatorId: string): Promise<SightingRow[]> {
    return db.all<SightingRow>('SELECT * FROM indicator_sightings WHERE indicator_id = ? ORDER BY created_at, id', [indicatorId]);
  },

  async comment(db: Db, indicatorId: string, id: string): Promise<CommentRow | undefined> {
    return db.get<CommentRow>('SELECT * FROM indicator_comments WHERE indicator_id = ? AND id = ?', [indicatorId, id]);
  },
  async setCommentMarking(tx: Db, id: string, tlp: string, releasableTo: string): Promise<void> {
    await tx.run('UPDATE indicator_comments SET tlp = ?, releasable_to = ? WHERE id = ?', [tlp, releasableTo, id]);
  },
  /** Display names of comment authors, by account id (the detail panel names who wrote each). */
  async authors(db: Db, accountIds: readonly string[]): Promise<Map<string, { username: string | null; displayName: string | null }>> {
    const ids = [...new Set(accountIds)];
    const out = new Map<string, { username: string | null; displayName: string | null }>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await db.all<{ id: string; username: string; display_name: string }>(
        `SELECT id, username, display_name FROM accounts WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) out.set(r.id, { username: r.username, displayName: r.display_name });
    }
    return out;
  },
  async comments(db: Db, indicatorId: string): Promise<CommentRow[]> {
    return db.all<CommentRow>('SELECT * FROM indicator_comments WHERE indicator_id = ? ORDER BY created_at, id', [indicatorId]);
  },
};
