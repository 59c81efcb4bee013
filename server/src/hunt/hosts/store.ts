/** SQL of hunt hosts: one row per host of a network, with its state history as a JSON list. */
import type { HostRole, HostState, Level } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { BASE_COLUMNS, tableStore, type MarkedRow } from '../common/rows.js';

export interface HostRow extends MarkedRow {
  network_id: string;
  hostname: string;
  hostname_key: string;
  addresses: string;
  os: string;
  role: HostRole;
  criticality: Level;
  state: HostState;
  examined_by_team_id: string | null;
  examined_at: string | null;
  notes: string;
  state_history: string;
}

/** The stored columns of a host (also what a federation replica accepts of one: federation/records/hunt.ts). */
export const HOST_COLUMNS: (keyof HostRow)[] = [
  ...BASE_COLUMNS,
  'network_id',
  'hostname',
  'hostname_key',
  'addresses',
  'os',
  'role',
  'criticality',
  'state',
  'examined_by_team_id',
  'examined_at',
  'notes',
  'state_history',
];

export const hostStore = {
  ...tableStore<HostRow>('hunt_hosts', HOST_COLUMNS),
  /** Every host of a network, visible or not: identity is judged against all of them. */
  inNetwork: (db: Db, workspaceId: string, networkId: string) => db.all<HostRow>('SELECT * FROM hunt_hosts WHERE workspace_id = ? AND network_id = ?', [workspaceId, networkId]),
  /** Whether a finding or a timeline event refers to the host (a delete would leave them dangling). */
  async isReferenced(db: Db, workspaceId: string, id: string): Promise<boolean> {
    const f = await db.get('SELECT 1 AS x FROM hunt_findings WHERE workspace_id = ? AND host_id = ? LIMIT 1', [workspaceId, id]);
    return !!f || !!(await db.get('SELECT 1 AS x FROM hunt_timeline WHERE workspace_id = ? AND host_id = ? LIMIT 1', [workspaceId, id]));
  },
};
