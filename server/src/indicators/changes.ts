/**
 * The indicator commands changing existing ones: update (status, confidence, marking, tags,
 * techniques) and delete (the bulk forms are in bulk.ts). A marking change rewrites the
 * audience of the indicator's history and tells the teams that lost sight with `indicator:revoked`.
 */
import { deleteIndicatorSchema, updateIndicatorSchema, type IndicatorView, type MarkedItem } from '@huntroom/shared';
import type { CommandContext, CommandDef } from '../records/command.js';
import { recordStore } from '../records/store.js';
import { AppError } from '../http/errors.js';
import { resolveMarking, teamIndex } from './add.js';
import { requireDelete, requireMarkingChange, requireVisible } from './policy.js';
import { presentIndicator, type TeamIndex } from './present.js';
import { indicatorStore, markedItem, type IndicatorRow } from './store.js';
import { boardsHolding, copiesFor, scrubIndicatorCopies, type BoardCopy } from '../whiteboards/placements.js';
import type { AuditSubject } from '../audit/store.js';

type Changes = Record<string, { from: unknown; to: unknown }>;
const FIELDS = ['status', 'confidence', 'tlp', 'releasable_to', 'tags', 'techniques', 'valid_until'] as const;
const wireName = (f: string) => (f === 'releasable_to' ? 'releasableTo' : f === 'valid_until' ? 'validUntil' : f);

/** Writes `next` over `before` if anything differs, with its event(s); returns what changed. */
export async function commit(c: CommandContext, teams: TeamIndex, before: IndicatorRow, next: IndicatorRow): Promise<Changes> {
  const changes: Changes = {};
  for (const f of FIELDS) if (String(before[f]) !== String(next[f])) changes[f] = { from: before[f], to: next[f] };
  if (!Object.keys(changes).length) return changes;
  const was = markedItem(before);
  const now = markedItem(next);
  next.updated_at = c.at;
  const view: IndicatorView = presentIndicator(next, teams);
  next.updated_seq = await c.record({
    type: 'indicator:updated',
    recordId: next.id,
    payload: { indicator: view, changes: Object.keys(changes).map(wireName) },
    audience: { item: now },
  });
  view.updatedSeq = next.updated_seq;
  if (changes.tlp || changes.releasable_to) await remark(c, next.id, was, now);
  await indicatorStore.save(c.tx, next);
  return changes;
}

async function remark(c: CommandContext, id: string, was: MarkedItem, now: MarkedItem): Promise<void> {
  await recordStore.remark(c.tx, c.workspace.id, id, now);
  // Only teams that saw it before and do not now get the revoke (and find it on sync).
  await c.record({ type: 'indicator:revoked', recordId: id, payload: { kind: 'indicator', id }, audience: { item: was, unless: now } });
  await c.audit('indicator.marking_changed', { id, from: was.marking.tlp, to: now.marking.tlp, releasableTo: now.marking.releasableTo });
}

/**
 * `copies`, present when the marking changed: the whiteboards (that the caller may see) on which the
 * indicator is placed, so the one who narrowed it knows where it was shown. Placements are references
 * drawn from each viewer's own view; old ones that still carry the value are rewritten after the commit.
 */
export const updateIndicator: CommandDef<typeof updateIndicatorSchema, { indicator: IndicatorView; copies?: BoardCopy[] }> = {
  type: 'indicator:update',
  schema: updateIndicatorSchema,
  action: 'write',
  async run(c, input) {
    const before = requireVisible(c.account, await indicatorStore.get(c.tx, c.workspace.id, input.id));
    const teams = await teamIndex(c);
    const next: IndicatorRow = { ...before };
    if (input.status !== undefined) next.status = input.status;
    if (input.confidence !== undefined) next.confidence = input.confidence;
    if (input.validUntil !== undefined) next.valid_until = input.validUntil === null ? null : new Date(input.validUntil).toISOString();
    // As STIX requires: an end of validity after the start (first seen), or exports could not write it.
    if (input.validUntil && Date.parse(next.valid_until!) <= Date.parse(next.first_seen))
      throw new AppError('validation_failed', 'Invalid input (payload.validUntil: must be later than first seen)', { 'payload.validUntil': 'must be later than first seen' });
    if (input.tags !== undefined) next.tags = JSON.stringify([...new Set(input.tags)]);
    if (input.techniques !== undefined) next.techniques = JSON.stringify([...new Set(input.techniques)]);
    if (input.tlp !== undefined || input.releasableTo !== undefined) {
      const current = markedItem(before).marking;
      const marking = resolveMarking(teams, input.tlp ?? current.tlp, input.releasableTo ?? teams.codes(current.releasableTo));
      if (typeof marking === 'string') throw new AppError('validation_failed', `Invalid input (payload.releasableTo: ${marking})`, { 'payload.releasableTo': marking });
      next.tlp = marking.tlp;
      next.releasable_to = JSON.stringify(marking.releasableTo);
      if (next.tlp !== before.tlp || next.releasable_to !== before.releasable_to) requireMarkingChange(c.account, c.workspace, markedItem(before));
    }
    const changes = await commit(c, teams, before, next);
    if (Object.keys(changes).length) await c.audit('indicator.updated', { id: next.id, fields: Object.keys(changes).map(wireName) });
    if (!changes.tlp && !changes.releasable_to) return { indicator: presentIndicator(next, teams) };
    return { indicator: presentIndicator(next, teams), copies: copiesFor(c.account, await boardsHolding(c.tx, c.workspace.id, next.id)) };
  },
  async afterCommit(ctx, data, { workspaceId }) {
    if (data.copies && ctx.collab) await scrubIndicatorCopies({ db: ctx.db, collab: ctx.collab, log: ctx.log }, workspaceId, data.indicator.id);
  },
};

/** Deletes one visible row with its event and audit entry (the caller has checked requireDelete). */
export async function removeIndicator(c: CommandContext, row: IndicatorRow): Promise<void> {
  // The markings it and its comments had, so the audit trail can still be filtered once they are gone.
  const about: AuditSubject[] = [{ kind: 'indicator', id: row.id, ...markedItem(row) }];
  for (const com of await indicatorStore.comments(c.tx, row.id)) about.push({ kind: 'comment', id: com.id, ...markedItem(com) });
  await indicatorStore.delete(c.tx, row.id);
  await c.record({ type: 'indicator:deleted', recordId: row.id, payload: { id: row.id }, audience: { item: markedItem(row) } });
  await c.audit('indicator.deleted', { id: row.id, type: row.type }, about);
}

export const deleteIndicator: CommandDef<typeof deleteIndicatorSchema, { id: string }> = {
  type: 'indicator:delete',
  schema: deleteIndicatorSchema,
  action: 'write',
  async run(c, input) {
    const row = requireVisible(c.account, await indicatorStore.get(c.tx, c.workspace.id, input.id));
    requireDelete(c.workspace);
    await removeIndicator(c, row);
    return { id: row.id };
  },
  // Placements on boards stay as references ("hidden item" for everyone); old copies of the value go.
  async afterCommit(ctx, data, { workspaceId }) {
    if (ctx.collab) await scrubIndicatorCopies({ db: ctx.db, collab: ctx.collab, log: ctx.log }, workspaceId, data.id);
  },
};
