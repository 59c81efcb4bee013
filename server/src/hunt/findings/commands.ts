/**
 * Finding commands: create, update, delete. A finding refers to its host, its linked indicators and
 * related findings: each must be visible to the writer, and the finding no wider than any of them
 * (common/rules.ts). Linking an indicator records a sighting of it by the writer's team through the
 * indicator sighting path, with the finding's id as context: the sighting is seen with the indicator,
 * so it names nothing of the host (a team that may see the indicator may not see the host).
 */
import { createFindingSchema, deleteHuntItemSchema, updateFindingSchema, type FindingView } from '@huntroom/shared';
import type { CommandContext, CommandDef } from '../../records/command.js';
import { conflict } from '../../http/errors.js';
import { teamIndex } from '../../indicators/add.js';
import type { TeamIndex } from '../../indicators/present.js';
import { sightIndicator } from '../../indicators/sight.js';
import { indicatorStore, type IndicatorRow } from '../../indicators/store.js';
import type { ChildRef } from '../common/children.js';
import { itemOf, json, list, newBase } from '../common/rows.js';
import { linkedFindings, linkedIndicators, refsOf } from '../common/links.js';
import { invalid, newItemMarking, requireNoWider, requireVisible, subject } from '../common/rules.js';
import { applyAskedMarking, checkRemark, deletableItem, removeItem, saveUpdate, visibleItem } from '../common/write.js';
import { hostStore } from '../hosts/store.js';
import { presentFinding } from './present.js';
import { findingStore, type FindingRow } from './store.js';
import { sampleStore } from '../samples/store.js';

/** The sighting a linked indicator gets: by the writer's team, now, naming only the finding. */
async function sightLinked(c: CommandContext, teams: TeamIndex, finding: FindingRow, indicators: readonly IndicatorRow[]): Promise<void> {
  for (const ind of indicators) await sightIndicator(c, ind, teams, { context: `hunt finding ${finding.id}` });
}

export const createFinding: CommandDef<typeof createFindingSchema, { finding: FindingView }> = {
  type: 'finding:create',
  schema: createFindingSchema,
  action: 'write',
  async run(c, input) {
    const host = requireVisible(c.account, await hostStore.get(c.tx, c.workspace.id, input.hostId), 'host');
    const indicators = await linkedIndicators(c.tx, c.account, c.workspace.id, input.indicatorIds ?? []);
    const related = await linkedFindings(c.tx, c.account, c.workspace.id, input.relatedFindingIds ?? [], 'relatedFindingIds');
    const teams = await teamIndex(c);
    const marking = newItemMarking(teams, c.workspace, input, itemOf(host));
    if (typeof marking === 'string') throw invalid('releasableTo', marking);
    const row: FindingRow = {
      ...newBase(c, marking),
      host_id: host.id,
      network_id: host.network_id,
      kind: input.kind,
      severity: input.severity ?? 'medium',
      status: input.status ?? 'open',
      title: input.title,
      description: input.description ?? '',
      indicator_ids: json(indicators.map((i) => i.id)),
      techniques: json([...new Set(input.techniques ?? [])]),
      related_finding_ids: json(related.map((f) => f.id)),
    };
    requireNoWider(teams, c.account.team.id, itemOf(row), [{ kind: 'host', item: itemOf(host) }, ...refsOf('indicator', indicators), ...refsOf('finding', related)]);
    const view = presentFinding(row, teams);
    row.created_seq =
      row.updated_seq =
      view.updatedSeq =
        await c.record({ type: 'finding:created', recordId: row.id, payload: { finding: view }, audience: { item: itemOf(row) } });
    await findingStore.insertMany(c.tx, [row]);
    await sightLinked(c, teams, row, indicators);
    await c.audit('hunt.finding.created', { id: row.id, indicators: indicators.length }, [subject('finding', row.id, itemOf(row))]);
    return { finding: view };
  },
};

export const updateFinding: CommandDef<typeof updateFindingSchema, { finding: FindingView; narrowedChildren?: ChildRef[] }> = {
  type: 'finding:update',
  schema: updateFindingSchema,
  action: 'write',
  async run(c, input) {
    const before = await visibleItem(c, 'finding', findingStore, input.id);
    const teams = await teamIndex(c);
    const next: FindingRow = { ...before };
    if (input.kind !== undefined) next.kind = input.kind;
    if (input.severity !== undefined) next.severity = input.severity;
    if (input.status !== undefined) next.status = input.status;
    if (input.title !== undefined) next.title = input.title;
    if (input.description !== undefined) next.description = input.description;
    if (input.techniques !== undefined) next.techniques = json([...new Set(input.techniques)]);
    // Only links added now must be visible to the writer; ones already there stay as they are.
    const had = new Set(list(before.indicator_ids));
    let added: IndicatorRow[] = [];
    if (input.indicatorIds !== undefined) {
      added = await linkedIndicators(
        c.tx,
        c.account,
        c.workspace.id,
        input.indicatorIds.filter((id) => !had.has(id)),
      );
      next.indicator_ids = json([...new Set(input.indicatorIds)]);
    }
    if (input.relatedFindingIds !== undefined) {
      const hadRelated = new Set(list(before.related_finding_ids));
      await linkedFindings(
        c.tx,
        c.account,
        c.workspace.id,
        input.relatedFindingIds.filter((id) => !hadRelated.has(id)),
        'relatedFindingIds',
        before.id,
      );
      next.related_finding_ids = json([...new Set(input.relatedFindingIds)]);
    }
    applyAskedMarking(teams, before, next, input);
    const remarked = checkRemark(c, before, next);
    if (remarked || next.indicator_ids !== before.indicator_ids || next.related_finding_ids !== before.related_finding_ids) {
      const host = await hostStore.get(c.tx, c.workspace.id, next.host_id);
      const indicators = await indicatorStore.manyById(c.tx, c.workspace.id, list(next.indicator_ids));
      const related = await findingStore.manyById(c.tx, c.workspace.id, list(next.related_finding_ids));
      requireNoWider(teams, c.account.team.id, itemOf(next), [
        ...(host ? [{ kind: 'host' as const, item: itemOf(host) }] : []),
        ...refsOf('indicator', indicators),
        ...refsOf('finding', related),
      ]);
    }
    const saved = await saveUpdate(c, { kind: 'finding', key: 'finding', before, next, remarked, teams, store: findingStore, present: presentFinding });
    if (!saved) return { finding: presentFinding(before, teams) };
    await sightLinked(c, teams, next, added);
    await c.audit('hunt.finding.updated', { id: next.id, indicatorsAdded: added.length }, [subject('finding', next.id, itemOf(next))]);
    return saved.narrowed.length ? { finding: saved.view, narrowedChildren: saved.narrowed } : { finding: saved.view };
  },
};

export const deleteFinding: CommandDef<typeof deleteHuntItemSchema, { id: string }> = {
  type: 'finding:delete',
  schema: deleteHuntItemSchema,
  action: 'write',
  async run(c, input) {
    const row = await deletableItem(c, 'finding', findingStore, input.id);
    if (await findingStore.isReferenced(c.tx, c.workspace.id, row.id)) throw conflict('other findings or timeline events still refer to this finding; unlink them first');
    // Its malware samples go with it (hunt/samples): a ZIP whose finding is gone could no longer be authorized.
    await sampleStore.deleteForFinding(c.tx, c.workspace.id, row.id);
    return removeItem(c, 'finding', findingStore, row);
  },
};
