/**
 * After a parent's marking narrows, the items that refer to it keep their own marking (docs/records.md,
 * "Narrowing a parent later does not narrow its children"). The update's answer names those that are
 * now wider than the parent and that the caller sees, so whoever narrowed knows what to narrow next.
 */
import { canSee, teamsExposedByCopy, type MarkedItem } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { TeamIndex } from '../../indicators/present.js';
import { markedItem, type MarkedRow } from './rows.js';
import type { HuntKindName } from './rules.js';

export interface ChildRef {
  kind: HuntKindName;
  id: string;
}

const QUERIES: Partial<Record<HuntKindName, { kind: HuntKindName; sql: string; like?: boolean }[]>> = {
  network: [{ kind: 'host', sql: 'SELECT id, tlp, releasable_to, owner_team_id FROM hunt_hosts WHERE workspace_id = ? AND network_id = ?' }],
  host: [
    { kind: 'finding', sql: 'SELECT id, tlp, releasable_to, owner_team_id FROM hunt_findings WHERE workspace_id = ? AND host_id = ?' },
    { kind: 'timeline', sql: 'SELECT id, tlp, releasable_to, owner_team_id FROM hunt_timeline WHERE workspace_id = ? AND host_id = ?' },
  ],
  finding: [
    { kind: 'finding', sql: 'SELECT id, tlp, releasable_to, owner_team_id FROM hunt_findings WHERE workspace_id = ? AND related_finding_ids LIKE ?', like: true },
    { kind: 'timeline', sql: 'SELECT id, tlp, releasable_to, owner_team_id FROM hunt_timeline WHERE workspace_id = ? AND finding_ids LIKE ?', like: true },
  ],
};

export async function widerChildren(
  c: Pick<CommandContext, 'tx' | 'workspace' | 'account'>,
  teams: TeamIndex,
  kind: HuntKindName,
  id: string,
  parent: MarkedItem,
): Promise<ChildRef[]> {
  const all = teams.all.map((t) => t.id);
  const out: ChildRef[] = [];
  for (const q of QUERIES[kind] ?? []) {
    const rows = await c.tx.all<Pick<MarkedRow, 'id' | 'tlp' | 'releasable_to' | 'owner_team_id'>>(q.sql, [c.workspace.id, q.like ? `%${JSON.stringify(id)}%` : id]);
    for (const r of rows) {
      const child = markedItem(r);
      if (canSee(c.account.team.id, child) && teamsExposedByCopy(parent, child, all).length) out.push({ kind: q.kind, id: r.id });
    }
  }
  return out;
}
