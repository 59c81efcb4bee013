/** Timeline commands: create, bulk create (each event judged on its own, add.ts), update and delete. */
import {
  bulkCreateTimelineSchema,
  createTimelineEventSchema,
  deleteHuntItemSchema,
  timelineItemSchema,
  updateTimelineEventSchema,
  type HuntBulkResult,
  type TimelineEventView,
  type TimelineItemInput,
} from '@huntroom/shared';
import type { CommandDef } from '../../records/command.js';
import { AppError } from '../../http/errors.js';
import { teamIndex } from '../../indicators/add.js';
import { checkEach } from '../common/bulk.js';
import { itemOf, list } from '../common/rows.js';
import { invalid, subject } from '../common/rules.js';
import { checkRemark, deletableItem, removeItem, saveUpdate, visibleItem } from '../common/write.js';
import { addTimelineEvents, judgeEvent, RefCache } from './add.js';
import { presentTimelineEvent } from './present.js';
import { timelineStore } from './store.js';

export const createTimelineEvent: CommandDef<typeof createTimelineEventSchema, { event: TimelineEventView }> = {
  type: 'timeline:create',
  schema: createTimelineEventSchema,
  action: 'write',
  async run(c, input) {
    const teams = await teamIndex(c);
    const judged = await judgeEvent(c, teams, new RefCache(c), input);
    if (!('row' in judged)) throw judged.notFound ? new AppError('not_found', judged.reason) : invalid(judged.field, judged.reason);
    const row = judged.row;
    const view = presentTimelineEvent(row, teams);
    row.created_seq = row.updated_seq = view.updatedSeq = await c.record({ type: 'timeline:created', recordId: row.id, payload: { event: view }, audience: { item: itemOf(row) } });
    await timelineStore.insertMany(c.tx, [row]);
    await c.audit('hunt.timeline.created', { id: row.id }, [subject('timeline', row.id, itemOf(row))]);
    return { event: view };
  },
};

export const bulkCreateTimelineEvents: CommandDef<typeof bulkCreateTimelineSchema, HuntBulkResult> = {
  type: 'timeline:bulkCreate',
  schema: bulkCreateTimelineSchema,
  action: 'write',
  async run(c, input) {
    const { valid, rejected } = checkEach(timelineItemSchema, input.items);
    const outcomes = valid.length ? await addTimelineEvents(c, valid, await teamIndex(c)) : [];
    const results: HuntBulkResult['results'] = [...rejected, ...outcomes.map(({ row: _row, ...o }) => o)].sort((a, b) => a.index - b.index);
    const created = results.filter((r) => r.outcome === 'created').length;
    const result: HuntBulkResult = { results, created, merged: 0, rejected: results.length - created };
    await c.audit(
      'hunt.timeline.imported',
      { created, rejected: result.rejected },
      outcomes.flatMap((o) => (o.row ? [subject('timeline', o.row.id, itemOf(o.row))] : [])),
    );
    return result;
  },
};

export const updateTimelineEvent: CommandDef<typeof updateTimelineEventSchema, { event: TimelineEventView }> = {
  type: 'timeline:update',
  schema: updateTimelineEventSchema,
  action: 'write',
  async run(c, input) {
    const before = await visibleItem(c, 'timeline', timelineStore, input.id);
    const teams = await teamIndex(c);
    // The event as it would be, judged like a new one (refs visible, no wider), keeping its id and owner.
    const item: TimelineItemInput = {
      at: input.at ?? before.at,
      sourceTimeZone: input.sourceTimeZone ?? (input.at ? undefined : before.source_time_zone),
      hostId: input.hostId === null ? undefined : (input.hostId ?? before.host_id ?? undefined),
      description: input.description ?? before.description,
      source: input.source ?? before.source,
      team: input.team,
      indicatorIds: input.indicatorIds ?? list(before.indicator_ids),
      techniques: input.techniques ?? list(before.techniques),
      findingIds: input.findingIds ?? list(before.finding_ids),
      tlp: input.tlp ?? before.tlp,
      releasableTo: input.releasableTo ?? list(before.releasable_to),
    };
    const judged = await judgeEvent(c, teams, new RefCache(c), item, before);
    if (!('row' in judged)) throw judged.notFound ? new AppError('not_found', judged.reason) : invalid(judged.field, judged.reason);
    const next = judged.row;
    next.updated_seq = before.updated_seq;
    next.updated_at = before.updated_at;
    const remarked = checkRemark(c, before, next);
    const saved = await saveUpdate(c, { kind: 'timeline', key: 'event', before, next, remarked, teams, store: timelineStore, present: presentTimelineEvent });
    if (!saved) return { event: presentTimelineEvent(before, teams) };
    await c.audit('hunt.timeline.updated', { id: next.id }, [subject('timeline', next.id, itemOf(next))]);
    return { event: saved.view };
  },
};

export const deleteTimelineEvent: CommandDef<typeof deleteHuntItemSchema, { id: string }> = {
  type: 'timeline:delete',
  schema: deleteHuntItemSchema,
  action: 'write',
  async run(c, input) {
    const row = await deletableItem(c, 'timeline', timelineStore, input.id);
    return removeItem(c, 'timeline', timelineStore, row);
  },
};
