/**
 * Indicator rules beyond the workspace role (which `execute` checks through workspaces/policy.ts):
 * what a team cannot see it cannot touch, and who may change a marking. Visibility itself is
 * `canSee` from shared/, the one function.
 */
import { canSee, type Account, type MarkedItem, type TlpLevel, type Workspace } from '@huntroom/shared';
import { markedItem } from './store.js';
import { can } from '../workspaces/policy.js';
import { AppError, forbidden } from '../http/errors.js';

/** A hidden indicator answers exactly like a missing one: no hint that it exists. */
export function requireVisible<R extends { tlp: TlpLevel; releasable_to: string; owner_team_id: string }>(account: Account, row: R | undefined): R {
  if (!row || !canSee(account.team.id, markedItem(row))) throw new AppError('not_found', 'indicator not found');
  return row;
}

/** Markings are changed by the owner team or by workspace owners (DESIGN.md section 4). */
export function mayChangeMarking(account: Account, workspace: Workspace, item: MarkedItem): boolean {
  return account.team.id === item.ownerTeamId || can(workspace.role, 'manage');
}

export function requireMarkingChange(account: Account, workspace: Workspace, item: MarkedItem): void {
  if (!mayChangeMarking(account, workspace, item)) throw forbidden('only the owner team or a workspace owner may change the marking');
}

/** Deleting is for workspace owners; everyone else sets a status such as false-positive. */
export function requireDelete(workspace: Workspace): void {
  if (!can(workspace.role, 'delete')) throw forbidden('only workspace owners may delete indicators');
}
