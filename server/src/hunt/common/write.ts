/**
 * The steps every update and delete of a hunt item (network, host, finding, timeline event) takes, in
 * the same order for each kind: load the item as the caller may see it, check who may change its
 * marking or delete it, then record, re-mark and save. Each kind's commands keep only what is theirs
 * (fields, reference checks, what blocks a delete).
 */
import { teamsExposedByCopy, type Marking, type TlpLevel } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { Db } from '../../storage/db.js';
import type { TeamIndex } from '../../indicators/present.js';
import { narrowChildren, type ChildRef } from './children.js';
import { changedColumns, itemOf, type MarkedRow } from './rows.js';
import { changedMarking, invalid, KIND_LABEL, remarkItem, requireDelete, requireMarkingChange, requireVisible, sameMarking, subject, type HuntKindName } from './rules.js';

interface ItemStore<R extends MarkedRow> {
  get(db: Db, workspaceId: string, id: string): Promise<R | undefined>;
  save(tx: Db, r: R): Promise<void>;
  delete(tx: Db, workspaceId: string, id: string): Promise<void>;
}

/** The item `id` as the caller's team may see it: a hidden one answers 404 exactly as a missing one. */
export async function visibleItem<R extends MarkedRow>(c: CommandContext, kind: HuntKindName, store: ItemStore<R>, id: string): Promise<R> {
  return requireVisible(c.account, await store.get(c.tx, c.workspace.id, id), KIND_LABEL[kind]);
}

/** The item `id`, visible and deletable by the caller (its owner team or a workspace owner). */
export async function deletableItem<R extends MarkedRow>(c: CommandContext, kind: HuntKindName, store: ItemStore<R>, id: string): Promise<R> {
  const row = await visibleItem(c, kind, store, id);
  requireDelete(c.account, c.workspace, itemOf(row), KIND_LABEL[kind]);
  return row;
}

/** Sets on `next` the marking the input asks for (what was asked over what `before` has), if it asks one. */
export function applyAskedMarking(teams: TeamIndex, before: MarkedRow, next: MarkedRow, asked: { tlp?: TlpLevel | undefined; releasableTo?: string[] | undefined }): void {
  if (asked.tlp === undefined && asked.releasableTo === undefined) return;
  const marking: Marking | string = changedMarking(teams, before, asked);
  if (typeof marking === 'string') throw invalid('releasableTo', marking);
  next.tlp = marking.tlp;
  next.releasable_to = JSON.stringify(marking.releasableTo);
}

/** Whether the update changes the marking; if it does, only the owner team or a workspace owner may. */
export function checkRemark(c: CommandContext, before: MarkedRow, next: MarkedRow): boolean {
  const remarked = !sameMarking(before, next);
  if (remarked) requireMarkingChange(c.account, c.workspace, itemOf(before));
  return remarked;
}

export interface SavedUpdate<V> {
  view: V;
  /** Items referring to this one narrowed with it, that the caller sees (common/children.ts); none unless re-marked. */
  narrowed: ChildRef[];
}

/**
 * Records and saves an update: null when no column changed (nothing written). Else `<kind>:updated`
 * is recorded with the view under `key` and the changed columns, a re-mark rewrites the history's
 * audience and revokes (common/rules.ts remarkItem), and the row is saved. The caller audits after.
 */
export async function saveUpdate<R extends MarkedRow, V extends { updatedSeq: number }>(
  c: CommandContext,
  u: { kind: HuntKindName; key: string; before: R; next: R; remarked: boolean; teams: TeamIndex; store: ItemStore<R>; present: (r: R, teams: TeamIndex) => V },
): Promise<SavedUpdate<V> | null> {
  const { kind, before, next } = u;
  const changes = changedColumns(before, next);
  if (!changes.length) return null;
  next.updated_at = c.at;
  const view = u.present(next, u.teams);
  next.updated_seq = view.updatedSeq = await c.record({ type: `${kind}:updated`, recordId: next.id, payload: { [u.key]: view, changes }, audience: { item: itemOf(next) } });
  if (u.remarked) await remarkItem(c, kind, next.id, itemOf(before), itemOf(next));
  await u.store.save(c.tx, next);
  // Saved first, so a child that refers back to it (related findings) reads its new marking. Only when
  // some team lost sight of it: a widening leaves no child wider. A timeline event has no children.
  const lost =
    u.remarked &&
    teamsExposedByCopy(
      itemOf(next),
      itemOf(before),
      u.teams.all.map((t) => t.id),
    ).length > 0;
  const narrowed = lost ? await narrowChildren(c, u.teams, kind, next.id, itemOf(next)) : [];
  return { view, narrowed };
}

/** Deletes the row, tells the teams that saw it (`<kind>:deleted`) and audits it. */
export async function removeItem<R extends MarkedRow>(c: CommandContext, kind: HuntKindName, store: ItemStore<R>, row: R): Promise<{ id: string }> {
  await store.delete(c.tx, c.workspace.id, row.id);
  await c.record({ type: `${kind}:deleted`, recordId: row.id, payload: { id: row.id }, audience: { item: itemOf(row) } });
  await c.audit(`hunt.${kind}.deleted`, { id: row.id }, [subject(kind, row.id, itemOf(row))]);
  return { id: row.id };
}
