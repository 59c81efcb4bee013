/**
 * Which existing item each record command changes, so that a change to an item homed on another
 * instance goes to that instance (docs/federation.md section 3). One row per command type that names
 * an existing item; a type not here (every create) runs where it is issued: its author is local, so
 * the new item's home is here.
 *
 * The item whose home decides is the one whose owner team governs the events the command writes
 * (federation/records/wire.ts `homeItemOf`): a sighting, a comment or a comment's re-marking is about
 * its indicator (the events carry it as `parent`), a sample about its finding. So a sighting or comment
 * on an indicator homed elsewhere is made AT the indicator's home, by the remote account: a new item
 * authored here, but it lives with its parent, and comes back through the records replication.
 */
import type { Db } from '../../storage/db.js';

export type Table = 'indicators' | 'hunt_networks' | 'hunt_hosts' | 'hunt_findings' | 'hunt_timeline';

export interface Target {
  table: Table;
  /** The ids of the items in the (parsed) payload; none when the payload does not name one. */
  ids(payload: Record<string, unknown>): string[];
  /**
   * Set when the command cannot run at another home: the sentence a caller gets instead (sample
   * uploads: the file's bytes are stored where they were received, and files do not cross a link).
   */
  notAcross?: (home: string) => string;
}

const one =
  (field: string) =>
  (p: Record<string, unknown>): string[] =>
    typeof p[field] === 'string' ? [p[field]] : [];
const many = (p: Record<string, unknown>): string[] => (Array.isArray(p.ids) ? p.ids.filter((x): x is string => typeof x === 'string') : []);

const item = (table: Table): Target => ({ table, ids: one('id') });
const parent = (table: Table, field: string): Target => ({ table, ids: one(field) });

export const TARGETS: Readonly<Record<string, Target>> = {
  'indicator:update': item('indicators'),
  'indicator:delete': item('indicators'),
  'indicator:bulkUpdate': { table: 'indicators', ids: many },
  'indicator:bulkDelete': { table: 'indicators', ids: many },
  'sighting:add': parent('indicators', 'indicatorId'),
  'comment:add': parent('indicators', 'indicatorId'),
  'comment:remark': parent('indicators', 'indicatorId'),
  'network:update': item('hunt_networks'),
  'network:delete': item('hunt_networks'),
  'host:update': item('hunt_hosts'),
  'host:delete': item('hunt_hosts'),
  'finding:update': item('hunt_findings'),
  'finding:delete': item('hunt_findings'),
  'timeline:update': item('hunt_timeline'),
  'timeline:delete': item('hunt_timeline'),
  'sample:add': {
    ...parent('hunt_findings', 'findingId'),
    notAcross: (home) => `this finding's home is ${home}: upload the sample there (files do not cross a link)`,
  },
  'sample:delete': parent('hunt_findings', 'findingId'),
};

/**
 * The homes of the items `ids` of `table` in the workspace: a link name, or null for here. Items this
 * instance does not hold (missing, or hidden from every team here) are not in the answer; an owner team
 * this instance does not know counts as here (the command then runs here and finds what it finds).
 */
export async function homesOf(db: Db, workspaceId: string, table: Table, ids: readonly string[]): Promise<Set<string | null>> {
  const homes = new Set<string | null>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = await db.all<{ home_link: string | null }>(
      `SELECT DISTINCT t.home_link FROM ${table} x LEFT JOIN teams t ON t.id = x.owner_team_id WHERE x.workspace_id = ? AND x.id IN (${part.map(() => '?').join(', ')})`,
      [workspaceId, ...part],
    );
    for (const r of rows) homes.add(r.home_link ?? null);
  }
  return homes;
}

/** Whether the workspace is shared over any link right now (the hot path when nothing is: one indexed lookup). */
export async function isShared(db: Db, workspaceId: string): Promise<boolean> {
  return !!(await db.get(`SELECT 1 AS x FROM federation_shares WHERE workspace_id = ? AND state = 'active' LIMIT 1`, [workspaceId]));
}
