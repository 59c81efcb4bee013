/**
 * The rules every hunt item follows (issue 18, items 1, 2 and 7), in one place:
 *
 * - Visibility is `canSee` from shared/, as for indicators. A hidden item answers exactly like a
 *   missing one (404 "<kind> not found"), also when it is only referred to (a host's network, a
 *   finding's linked indicator), so an error never tells that a hidden item exists.
 * - An item may be no wider than what it refers to: no team may see a host but not its network, a
 *   finding but not its host or linked indicators, an event but not its host, findings or indicators.
 *   Judged against every team of the node (a team added to the workspace later is covered too).
 * - Without a marking, an item takes the marking of what it belongs to (a host its network's, a
 *   finding its host's), plus that item's owner team when the list names teams: the network's owner
 *   keeps seeing the hosts others add to it.
 * - Markings are changed by the owner team or a workspace owner; a change rewrites the audience of the
 *   item's history and sends `<kind>:revoked` to the teams that lost sight (records/store.ts remark).
 */
import { canSee, teamsExposedByCopy, type Account, type MarkedItem, type Marking, type TlpLevel, type Workspace } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import { recordStore } from '../../records/store.js';
import { AppError, forbidden } from '../../http/errors.js';
import { can } from '../../workspaces/policy.js';
import { resolveMarking } from '../../indicators/add.js';
import type { TeamIndex } from '../../indicators/present.js';
import type { AuditSubject } from '../../audit/store.js';
import { itemOf, type MarkedRow } from './rows.js';

export type HuntKindName = 'network' | 'host' | 'finding' | 'timeline';
/** How each kind is named in messages. */
export const KIND_LABEL: Record<HuntKindName | 'indicator', string> = { network: 'network', host: 'host', finding: 'finding', timeline: 'timeline event', indicator: 'indicator' };

/** A hidden row answers exactly like a missing one. */
export function requireVisible<R extends { tlp: TlpLevel; releasable_to: string; owner_team_id: string }>(account: Account, row: R | undefined, what: string): R {
  if (!row || !canSee(account.team.id, itemOf(row as unknown as MarkedRow))) throw new AppError('not_found', `${what} not found`);
  return row;
}

export const invalid = (field: string, message: string) => new AppError('validation_failed', `Invalid input (payload.${field}: ${message})`, { [`payload.${field}`]: message });

/** The marking a parent passes to an item made without one: its level, its teams plus its owner team. */
export function inheritedMarking(parent: MarkedItem): Marking {
  const list = parent.marking.releasableTo;
  return { tlp: parent.marking.tlp, releasableTo: list.length ? [...new Set([...list, parent.ownerTeamId])] : [] };
}

/**
 * The marking of a new item from what was asked, else from its parent, else the workspace default.
 * Returns the reason when a team code is unknown.
 */
export function newItemMarking(
  teams: TeamIndex,
  workspace: Workspace,
  asked: { tlp?: TlpLevel | undefined; releasableTo?: string[] | undefined },
  parent?: MarkedItem,
): Marking | string {
  const fallback = parent ? inheritedMarking(parent) : { tlp: workspace.defaultTlp, releasableTo: [] };
  return resolveMarking(teams, asked.tlp ?? fallback.tlp, asked.releasableTo ?? fallback.releasableTo);
}

/** An existing item's marking after a change: what was asked over what it has. */
export function changedMarking(teams: TeamIndex, row: MarkedRow, asked: { tlp?: TlpLevel | undefined; releasableTo?: string[] | undefined }): Marking | string {
  const current = itemOf(row).marking;
  return resolveMarking(teams, asked.tlp ?? current.tlp, asked.releasableTo ?? current.releasableTo);
}

export interface Ref {
  kind: HuntKindName | 'indicator';
  item: MarkedItem;
}

/**
 * Null when `item` is no wider than every ref, else why (naming the teams, which the writer may know:
 * it sees the refs it names). `viewer` is the writer's team: a ref it cannot see (narrowed since it
 * was linked) is named only as "an item it refers to".
 */
export function widerThanRefs(teams: TeamIndex, viewer: string, item: MarkedItem, refs: readonly Ref[]): string | null {
  const all = teams.all.map((t) => t.id);
  for (const ref of refs) {
    const exposed = teamsExposedByCopy(ref.item, item, all);
    if (!exposed.length) continue;
    if (!canSee(viewer, ref.item)) return 'this marking is wider than an item it refers to';
    return `${teams.codes(exposed).join(', ')} would see it but not its ${KIND_LABEL[ref.kind]}; narrow its marking (or leave it out to take the ${KIND_LABEL[ref.kind]}'s)`;
  }
  return null;
}

export function requireNoWider(teams: TeamIndex, viewer: string, item: MarkedItem, refs: readonly Ref[]): void {
  const why = widerThanRefs(teams, viewer, item, refs);
  if (why) throw invalid('releasableTo', why);
}

/** Markings are changed by the owner team or a workspace owner (as indicators, DESIGN.md section 4). */
export function requireMarkingChange(account: Account, workspace: Workspace, item: MarkedItem): void {
  if (account.team.id !== item.ownerTeamId && !can(workspace.role, 'manage')) throw forbidden('only the owner team or a workspace owner may change the marking');
}

/** Deleting: the owner team (its hunters correct their own mistakes) or a workspace owner. */
export function requireDelete(account: Account, workspace: Workspace, item: MarkedItem, what: string): void {
  if (account.team.id !== item.ownerTeamId && !can(workspace.role, 'delete')) throw forbidden(`only the owner team or a workspace owner may delete a ${what}`);
}

/**
 * A marking changed: the whole history follows the new one, and the teams that saw it under the old
 * one and not the new one get `<kind>:revoked` (live, and on their next sync).
 */
export async function remarkItem(c: CommandContext, kind: HuntKindName, id: string, was: MarkedItem, now: MarkedItem): Promise<void> {
  await recordStore.remark(c.tx, c.workspace.id, id, now);
  await c.record({ type: `${kind}:revoked`, recordId: id, payload: { kind, id }, audience: { item: was, unless: now } });
  await c.audit(`hunt.${kind}.marking_changed`, { id, from: was.marking.tlp, to: now.marking.tlp }, [subject(kind, id, now)]);
}

/** The audit subject of a hunt item: audit rows about it are shown only to teams that may see it. */
export const subject = (kind: HuntKindName, id: string, item: MarkedItem): AuditSubject => ({ kind, id, ...item });

export const sameMarking = (a: MarkedRow, b: MarkedRow) => a.tlp === b.tlp && a.releasable_to === b.releasable_to;
