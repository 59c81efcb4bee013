/**
 * The bulk forms of update and delete, for a selection on the board: status, tags and marking of
 * many, and delete of many. Ids the caller cannot see count as not found, exactly like missing ones.
 * Each is one transaction: a marking change or a delete the caller may not make for one of the rows
 * refuses the whole command, so nothing changes.
 */
import { bulkDeleteIndicatorsSchema, bulkUpdateIndicatorsSchema, canSee } from '@huntroom/shared';
import type { CommandContext, CommandDef, RecordContext } from '../records/command.js';
import { AppError, forbidden } from '../http/errors.js';
import { resolveMarking, teamIndex } from './add.js';
import { commit, removeIndicator } from './changes.js';
import { mayChangeMarking, requireDelete } from './policy.js';
import { indicatorStore, markedItem, type IndicatorRow } from './store.js';
import { documentStore } from '../documents/store.js';
import { docStore } from '../collab/store.js';
import { scrubIndicatorCopies } from '../whiteboards/placements.js';

async function visibleRows(c: CommandContext, ids: readonly string[]): Promise<IndicatorRow[]> {
  return (await indicatorStore.manyById(c.tx, c.workspace.id, [...new Set(ids)])).filter((r) => canSee(c.account.team.id, markedItem(r)));
}

export const bulkUpdateIndicators: CommandDef<typeof bulkUpdateIndicatorsSchema, { updated: number; notFound: number; remarked: string[] }> = {
  type: 'indicator:bulkUpdate',
  schema: bulkUpdateIndicatorsSchema,
  action: 'write',
  async run(c, input) {
    const teams = await teamIndex(c);
    const rows = await visibleRows(c, input.ids);
    const remarking = input.tlp !== undefined || input.releasableTo !== undefined;
    if (remarking) {
      const foreign = rows.filter((r) => !mayChangeMarking(c.account, c.workspace, markedItem(r))).length;
      if (foreign) throw forbidden(`${foreign} of the selected belong to other teams: only their team or a workspace owner may change their marking`);
    }
    await c.reserve(rows.length);
    let updated = 0;
    const remarked: string[] = [];
    for (const before of rows) {
      const next: IndicatorRow = { ...before };
      if (input.status) next.status = input.status;
      const tags = new Set(JSON.parse(before.tags) as string[]);
      for (const t of input.addTags ?? []) tags.add(t);
      for (const t of input.removeTags ?? []) tags.delete(t);
      next.tags = JSON.stringify([...tags]);
      if (remarking) {
        const current = markedItem(before).marking;
        const marking = resolveMarking(teams, input.tlp ?? current.tlp, input.releasableTo ?? teams.codes(current.releasableTo));
        if (typeof marking === 'string') throw new AppError('validation_failed', `Invalid input (payload.releasableTo: ${marking})`, { 'payload.releasableTo': marking });
        next.tlp = marking.tlp;
        next.releasable_to = JSON.stringify(marking.releasableTo);
      }
      const changes = await commit(c, teams, before, next);
      if (Object.keys(changes).length) updated++;
      if (changes.tlp || changes.releasable_to) remarked.push(before.id);
    }
    await c.audit('indicator.bulk_updated', { updated, status: input.status ?? null, tlp: input.tlp ?? null });
    return { updated, notFound: new Set(input.ids).size - rows.length, remarked };
  },
  async afterCommit(ctx, data, { workspaceId }) {
    await scrubPlacedCopies(ctx, workspaceId, data.remarked);
  },
};

export const bulkDeleteIndicators: CommandDef<typeof bulkDeleteIndicatorsSchema, { deleted: string[]; notFound: number }> = {
  type: 'indicator:bulkDelete',
  schema: bulkDeleteIndicatorsSchema,
  action: 'write',
  async run(c, input) {
    requireDelete(c.workspace);
    const rows = await visibleRows(c, input.ids);
    await c.reserve(rows.length);
    for (const row of rows) await removeIndicator(c, row);
    return { deleted: rows.map((r) => r.id), notFound: new Set(input.ids).size - rows.length };
  },
  async afterCommit(ctx, data, { workspaceId }) {
    await scrubPlacedCopies(ctx, workspaceId, data.deleted);
  },
};

/**
 * Old whiteboard copies of the values go (as after one update or delete). Each board is read once for
 * all the ids, and only the ids found in some board are scrubbed, so a bulk of 5,000 does not read
 * every board 5,000 times.
 */
async function scrubPlacedCopies(ctx: RecordContext, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (!ctx.collab || !ids.length) return;
  const placed = new Set<string>();
  for (const meta of await documentStore.list(ctx.db, workspaceId, 'whiteboard')) {
    const { snapshot, updates } = await docStore.content(ctx.db, meta.id);
    const parts = [...(snapshot ? [snapshot] : []), ...updates.map((u) => u.data)].map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    for (const id of ids) if (!placed.has(id) && parts.some((b) => b.includes(id))) placed.add(id);
  }
  for (const id of placed) await scrubIndicatorCopies({ db: ctx.db, collab: ctx.collab, log: ctx.log }, workspaceId, id);
}
