/**
 * The indicator commands adding things: create, bulk create (an import batch), sighting and comment.
 * Each is a CommandDef run by records/command.ts, so every transport gets the same validation,
 * authorization, transaction, idempotency and delivery. Audit rows carry ids and counts, never values:
 * the audit trail is readable by every member, the values are marked.
 */
import {
  addCommentSchema,
  addSightingSchema,
  bulkCreateIndicatorsSchema,
  createIndicatorSchema,
  indicatorItemSchema,
  type BulkCreateResult,
  type IndicatorItemInput,
  type CommentView,
  type CreateIndicatorResult,
  type SightingView,
  type Workspace,
  type Account,
} from '@huntroom/shared';
import { canSee } from '@huntroom/shared';
import type { CommandDef } from '../records/command.js';
import { AppError } from '../http/errors.js';
import { newId } from '../util.js';
import { addIndicators, judgeIndicators, judgeRepeats, resolveMarking, teamIndex } from './add.js';
import type { Db } from '../storage/db.js';
import { requireVisible } from './policy.js';
import { sightIndicator } from './sight.js';
import { presentComment, presentIndicator } from './present.js';
import { indicatorStore, markedItem, type CommentRow } from './store.js';

export const createIndicator: CommandDef<typeof createIndicatorSchema, CreateIndicatorResult> = {
  type: 'indicator:create',
  schema: createIndicatorSchema,
  action: 'write',
  async run(c, input) {
    const teams = await teamIndex(c);
    const [out] = await addIndicators(c, [input], teams);
    if (!out || out.outcome === 'rejected')
      throw new AppError('validation_failed', `Invalid input (payload.${out?.field}: ${out?.reason})`, { [`payload.${out?.field}`]: out?.reason ?? 'invalid' });
    if (out.outcome !== 'repeated') await c.audit(out.outcome === 'created' ? 'indicator.created' : 'indicator.sighted', { id: out.row.id, type: out.row.type });
    // A duplicate of an indicator the caller's team may not see: a sighting is recorded for them,
    // but nothing about the indicator is told (see docs/records.md on this trade-off).
    if (!canSee(c.account.team.id, markedItem(out.row))) return { outcome: out.outcome };
    return { outcome: out.outcome, indicator: presentIndicator(out.row, teams) };
  },
};

/** Each item on its own against the item schema: a bad one is reported by its index in the batch, the others go on. */
export function checkItems(items: readonly unknown[]): { valid: { index: number; item: IndicatorItemInput }[]; rejected: BulkCreateResult['rejected'] } {
  const valid: { index: number; item: IndicatorItemInput }[] = [];
  const rejected: BulkCreateResult['rejected'] = [];
  items.forEach((raw, index) => {
    const r = indicatorItemSchema.safeParse(raw);
    if (r.success) return void valid.push({ index, item: r.data });
    const issue = r.error.issues[0];
    const value = typeof (raw as { value?: unknown })?.value === 'string' ? (raw as { value: string }).value : '';
    rejected.push({ index, value: value.slice(0, 200), reason: `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}` });
  });
  return { valid, rejected };
}

/**
 * What `indicator:bulkCreate` would answer for `items`, with nothing written: the same item check and
 * the same judging (add.ts), read outside any command. An import's dry run.
 */
export async function judgeBulkCreate(db: Db, workspace: Workspace, account: Account, items: readonly unknown[]): Promise<BulkCreateResult> {
  const { valid, rejected } = checkItems(items);
  const result: BulkCreateResult = { created: 0, sighted: 0, rejected };
  const judged = await judgeIndicators(
    { tx: db, workspace },
    valid.map((v) => v.item),
    await teamIndex({ tx: db }),
  );
  for (const o of judged.rejected) if (o.outcome === 'rejected') result.rejected.push({ index: valid[o.index]!.index, value: o.value.slice(0, 200), reason: o.reason });
  const repeats = await judgeRepeats({ tx: db, account }, judged, new Date().toISOString());
  const repeated: number[] = [];
  judged.planned.forEach((p, i) => {
    if (repeats[i]) repeated.push(valid[p.index]!.index);
    else result[judged.isNew[i] ? 'created' : 'sighted']++;
  });
  result.rejected.sort((a, b) => a.index - b.index);
  if (repeated.length) result.repeated = repeated.sort((a, b) => a - b);
  return result;
}

export const bulkCreateIndicators: CommandDef<typeof bulkCreateIndicatorsSchema, BulkCreateResult> = {
  type: 'indicator:bulkCreate',
  schema: bulkCreateIndicatorsSchema,
  action: 'write',
  async run(c, input) {
    const { valid, rejected } = checkItems(input.items);
    const result: BulkCreateResult = { created: 0, sighted: 0, rejected };
    const outcomes = valid.length
      ? await addIndicators(
          c,
          valid.map((v) => v.item),
          await teamIndex(c),
        )
      : [];
    const repeated: number[] = [];
    for (const o of outcomes) {
      if (o.outcome === 'rejected') result.rejected.push({ index: valid[o.index]!.index, value: o.value.slice(0, 200), reason: o.reason });
      else if (o.outcome === 'repeated') repeated.push(valid[o.index]!.index);
      else result[o.outcome]++;
    }
    result.rejected.sort((a, b) => a.index - b.index);
    // Present only when some were: the answer of an add without repeats is as it always was.
    if (repeated.length) result.repeated = repeated.sort((a, b) => a - b);
    await c.audit('indicator.imported', { created: result.created, sighted: result.sighted, rejected: result.rejected.length });
    return result;
  },
};

export const addSighting: CommandDef<typeof addSightingSchema, { sighting: SightingView }> = {
  type: 'sighting:add',
  schema: addSightingSchema,
  action: 'write',
  async run(c, input) {
    const row = requireVisible(c.account, await indicatorStore.get(c.tx, c.workspace.id, input.indicatorId));
    const view = await sightIndicator(c, row, await teamIndex(c), input);
    await c.audit('indicator.sighted', { id: row.id });
    return { sighting: view };
  },
};

export const addComment: CommandDef<typeof addCommentSchema, { comment: CommentView }> = {
  type: 'comment:add',
  schema: addCommentSchema,
  action: 'write',
  async run(c, input) {
    const row = requireVisible(c.account, await indicatorStore.get(c.tx, c.workspace.id, input.indicatorId));
    const teams = await teamIndex(c);
    const parent = markedItem(row);
    // By default a comment is as visible as its indicator: same level, and when the indicator is
    // limited to some teams, those teams plus the indicator's owner team.
    const codes = input.releasableTo ?? (parent.marking.releasableTo.length ? teams.codes([...parent.marking.releasableTo, parent.ownerTeamId]) : []);
    // As asked: the author's own team listed stays listed (dropping it could leave the empty list, everyone).
    const marking = resolveMarking(teams, input.tlp ?? parent.marking.tlp, codes);
    if (typeof marking === 'string') throw new AppError('validation_failed', `Invalid input (payload.releasableTo: ${marking})`, { 'payload.releasableTo': marking });
    const comment: CommentRow = {
      id: newId(),
      indicator_id: row.id,
      account_id: c.account.id,
      team_id: c.account.team.id,
      body: input.body,
      tlp: marking.tlp,
      releasable_to: JSON.stringify(marking.releasableTo),
      created_at: c.at,
    };
    await indicatorStore.addComment(c.tx, comment);
    const view: CommentView = { ...presentComment(comment, teams), author: { username: c.account.username, displayName: c.account.displayName } };
    await c.record({
      type: 'indicator:commented',
      recordId: row.id,
      payload: { indicatorId: row.id, comment: view },
      audience: { item: { marking, ownerTeamId: c.account.team.id }, parent },
    });
    await c.audit('indicator.commented', { id: row.id, comment: comment.id, tlp: marking.tlp });
    return { comment: view };
  },
};
