/** SQL of hunt networks: the networks in scope, each owned by a partner organisation. */
import type { Db } from '../../storage/db.js';
import { BASE_COLUMNS, tableStore, type MarkedRow } from '../common/rows.js';

export interface NetworkRow extends MarkedRow {
  name: string;
  partner: string;
  hunting_team_id: string | null;
  period_from: string | null;
  period_to: string | null;
  rules_of_engagement: string;
}

const COLUMNS: (keyof NetworkRow)[] = [...BASE_COLUMNS, 'name', 'partner', 'hunting_team_id', 'period_from', 'period_to', 'rules_of_engagement'];

export const networkStore = {
  ...tableStore<NetworkRow>('hunt_networks', COLUMNS),
  /** Whether any host belongs to the network (hidden ones too: a delete must not orphan them). */
  async hasHosts(db: Db, workspaceId: string, id: string): Promise<boolean> {
    return !!(await db.get('SELECT 1 AS x FROM hunt_hosts WHERE workspace_id = ? AND network_id = ? LIMIT 1', [workspaceId, id]));
  },
};
