/**
 * A finding as another part of the server needs it (malware samples, exports): only when the caller's
 * team may see it; a hidden one answers exactly like a missing one (404 "finding not found").
 */
import type { Account, FindingView } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { teamStore } from '../../teams/store.js';
import { TeamIndex } from '../../indicators/present.js';
import { itemOf } from '../common/rows.js';
import { requireVisible } from '../common/rules.js';
import { presentFinding } from './present.js';
import { findingStore, type FindingRow } from './store.js';

/** The row of a finding `account`'s team may see, or a not_found AppError. */
export async function visibleFindingRow(db: Db, account: Account, workspaceId: string, findingId: string): Promise<FindingRow> {
  return requireVisible(account, await findingStore.get(db, workspaceId, findingId), 'finding');
}

/** The same, as the wire view, with its marking for whatever hangs off the finding. */
export async function visibleFinding(db: Db, account: Account, workspaceId: string, findingId: string): Promise<{ finding: FindingView; item: ReturnType<typeof itemOf> }> {
  const row = await visibleFindingRow(db, account, workspaceId, findingId);
  return { finding: presentFinding(row, new TeamIndex(await teamStore.list(db))), item: itemOf(row) };
}
