/** SQL of hunt findings: what was found on a host, with links to indicators, techniques and other findings. */
import type { FindingKind, FindingStatus, Level } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { BASE_COLUMNS, tableStore, type MarkedRow } from '../common/rows.js';

export interface FindingRow extends MarkedRow {
  host_id: string;
  network_id: string;
  kind: FindingKind;
  severity: Level;
  status: FindingStatus;
  title: string;
  description: string;
  indicator_ids: string;
  techniques: string;
  related_finding_ids: string;
}

const COLUMNS: (keyof FindingRow)[] = [
  ...BASE_COLUMNS,
  'host_id',
  'network_id',
  'kind',
  'severity',
  'status',
  'title',
  'description',
  'indicator_ids',
  'techniques',
  'related_finding_ids',
];

export const findingStore = {
  ...tableStore<FindingRow>('hunt_findings', COLUMNS),
  /** Whether another finding or a timeline event links this finding (ids are quoted inside the JSON lists). */
  async isReferenced(db: Db, workspaceId: string, id: string): Promise<boolean> {
    const like = `%${JSON.stringify(id)}%`;
    const f = await db.get('SELECT 1 AS x FROM hunt_findings WHERE workspace_id = ? AND related_finding_ids LIKE ? LIMIT 1', [workspaceId, like]);
    return !!f || !!(await db.get('SELECT 1 AS x FROM hunt_timeline WHERE workspace_id = ? AND finding_ids LIKE ? LIMIT 1', [workspaceId, like]));
  },
};
