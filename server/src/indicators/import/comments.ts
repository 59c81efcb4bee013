/**
 * The comments a file carries for its indicators (STIX notes and opinions: `Candidate.comments`), added
 * after the indicators are saved, each with its own marking, through `comment:add` (its checks, its
 * marking normalization, live delivery and audit). Only on indicators this import created: a value
 * that was already in the workspace keeps its comments, so importing the same file twice adds nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Account, ImportPlan, Workspace } from '@huntroom/shared';
import { execute, type RecordContext } from '../../records/command.js';
import { addComment } from '../service.js';
import { indicatorStore } from '../store.js';

const keyOf = (c: { type: string; value: string }) => `${c.type}\u0000${c.value}`;

/** The candidates of the plan that carry comments, once each (sighting items repeat their candidate). */
const withComments = (plan: ImportPlan) => [...new Set(plan.items.map((p) => p.candidate).filter((c) => c.comments?.length))];

/** Which of the plan's commented values are already in the workspace, before the import saves anything. */
export async function existingCommented(ctx: RecordContext, workspace: Workspace, plan: ImportPlan): Promise<Set<string>> {
  const candidates = withComments(plan);
  if (!candidates.length) return new Set();
  return new Set((await indicatorStore.byKeys(ctx.db, workspace.id, candidates)).keys());
}

/** Adds each comment to the indicator its candidate became; a refused one is reported, the rest are added. */
export async function addImportedComments(
  ctx: RecordContext,
  account: Account,
  workspace: Workspace,
  plan: ImportPlan,
  existed: Set<string>,
  idempotencyKey: string | undefined,
): Promise<{ value: string; reason: string }[]> {
  const refused: { value: string; reason: string }[] = [];
  const candidates = withComments(plan).filter((c) => !existed.has(keyOf(c)));
  if (!candidates.length) return refused;
  const saved = await indicatorStore.byKeys(ctx.db, workspace.id, candidates);
  let n = 0;
  for (const c of candidates) {
    const row = saved.get(keyOf(c));
    for (const comment of c.comments!) {
      // Stable across a retried import with the same key, as the batches are.
      const id = idempotencyKey ? createHash('sha256').update(`${idempotencyKey}\u0000comment\u0000${n}`).digest('base64url').slice(0, 40) : randomUUID();
      n++;
      // The indicator itself was refused (its error is already listed): its comments go with it.
      if (!row) continue;
      const ack = await execute(ctx, account, addComment, {
        id,
        type: addComment.type,
        payload: {
          workspaceId: workspace.id,
          indicatorId: row.id,
          body: comment.body,
          ...(comment.tlp ? { tlp: comment.tlp } : {}),
          ...(comment.releasableTo?.length ? { releasableTo: comment.releasableTo } : {}),
        },
      });
      if (!ack.ok) refused.push({ value: `comment on ${c.value}`.slice(0, 200), reason: ack.error.message });
    }
  }
  return refused;
}
