/** SQL of the hunt timeline: events in UTC with the source's time zone kept, read in time order. */
import type { Db, SqlValue } from '../../storage/db.js';
import { BASE_COLUMNS, tableStore, type MarkedRow } from '../common/rows.js';

export interface TimelineRow extends MarkedRow {
  at: string;
  source_time_zone: string;
  host_id: string | null;
  network_id: string | null;
  description: string;
  source: string;
  team_id: string;
  indicator_ids: string;
  techniques: string;
  finding_ids: string;
}

const COLUMNS: (keyof TimelineRow)[] = [
  ...BASE_COLUMNS,
  'at',
  'source_time_zone',
  'host_id',
  'network_id',
  'description',
  'source',
  'team_id',
  'indicator_ids',
  'techniques',
  'finding_ids',
];

export interface TimelineFilter {
  from?: string | undefined;
  to?: string | undefined;
  hostId?: string | undefined;
  networkId?: string | undefined;
  teamId?: string | undefined;
}

/**
 * The next page after (at, id). `at >= ?` first: SQLite reads the index range in order and stops at the
 * limit. Written as `at > ? OR (at = ? AND id > ?)` it took a MULTI-INDEX OR and sorted every later row
 * in a temporary B-tree for each page (25 ms a page deep into 50,000 events instead of 3, so an export's
 * walk was quadratic; docs/performance.md).
 */
export const pageAfterSql = (columns: string) => `SELECT ${columns} FROM hunt_timeline WHERE workspace_id = ? AND at >= ? AND (at > ? OR id > ?) ORDER BY at, id LIMIT ?`;

/** Where a page of the timeline ends: the next page starts after it. */
type PageCursor = Pick<TimelineRow, 'at' | 'id'>;

/** What decides whether a team may see an event (`itemOf`), and its place in the order. */
export type MarkingRow = Pick<TimelineRow, 'id' | 'at' | 'tlp' | 'releasable_to' | 'owner_team_id'>;

const rowsAfter = <R>(db: Db, workspaceId: string, after: PageCursor | undefined, limit: number, columns: string) =>
  after
    ? db.all<R>(pageAfterSql(columns), [workspaceId, after.at, after.at, after.id, limit])
    : db.all<R>(`SELECT ${columns} FROM hunt_timeline WHERE workspace_id = ? ORDER BY at, id LIMIT ?`, [workspaceId, limit]);

export const timelineStore = {
  ...tableStore<TimelineRow>('hunt_timeline', COLUMNS),
  /** Events in [from, to] matching the filters, oldest first (visibility is decided by the caller). */
  range: (db: Db, workspaceId: string, f: TimelineFilter) => select<TimelineRow>(db, workspaceId, f, '*'),
  /**
   * Up to `limit` events after (at, id), oldest first, every column (index hunt_timeline_at): for a
   * reader that walks the whole timeline in pages and yields between them, as an export does.
   */
  pageAfter: (db: Db, workspaceId: string, after: PageCursor | undefined, limit: number) => rowsAfter<TimelineRow>(db, workspaceId, after, limit, '*'),
  /** The same page with only the columns that decide visibility and order: for a reader that only counts. */
  markingPageAfter: (db: Db, workspaceId: string, after: PageCursor | undefined, limit: number) =>
    rowsAfter<MarkingRow>(db, workspaceId, after, limit, 'id, at, tlp, releasable_to, owner_team_id'),
  /**
   * The same with only the columns that decide visibility and order (and the text filters when
   * `withText`): at 50,000 events, building full rows costs most of a list; the page is then loaded
   * in full by id.
   */
  scan: (db: Db, workspaceId: string, f: TimelineFilter, withText: boolean) =>
    select<ScanRow>(db, workspaceId, f, `id, at, created_seq, tlp, releasable_to, owner_team_id${withText ? ', techniques, description, source' : ''}`),
};

export type ScanRow = Pick<TimelineRow, 'id' | 'at' | 'created_seq' | 'tlp' | 'releasable_to' | 'owner_team_id'> &
  Partial<Pick<TimelineRow, 'techniques' | 'description' | 'source'>>;

async function select<R>(db: Db, workspaceId: string, f: TimelineFilter, columns: string): Promise<R[]> {
  const where = ['workspace_id = ?'];
  const params: SqlValue[] = [workspaceId];
  const add = (sql: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  add('at >= ?', f.from);
  add('at <= ?', f.to);
  add('host_id = ?', f.hostId);
  add('network_id = ?', f.networkId);
  add('team_id = ?', f.teamId);
  return db.all<R>(`SELECT ${columns} FROM hunt_timeline WHERE ${where.join(' AND ')} ORDER BY at, id`, params);
}
