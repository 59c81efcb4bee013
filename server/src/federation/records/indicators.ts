/**
 * Indicators at the replica: the projection rows (indicator, sightings, comments) written from the
 * events the home sent, with the home's ids. Markings come from the event's audience (team ids); the
 * view's codes are only for display. Each applier returns the payload to store and deliver here (with
 * this instance's seq where the payload carries one).
 */
import * as z from 'zod';
import { INDICATOR_LIMITS, indicatorStatusSchema, tlpLevelSchema, type MarkedItem } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { indicatorStore, type IndicatorRow } from '../../indicators/store.js';
import { recordStore } from '../../records/store.js';
import { FederationRefusal } from '../channel.js';
import { ALREADY_HELD, type Applier } from './apply.js';
import { noteBaselineComment } from './baselineComments.js';

const id = z.string().min(1).max(64);
const time = z.string().min(1).max(40);
const teamRef = z.object({ id, code: z.string().min(1).max(64) });

const indicatorView = z.object({
  id,
  workspaceId: id,
  type: z.string().min(1).max(40),
  value: z.string().min(1).max(INDICATOR_LIMITS.valueMax),
  originalValue: z.string().max(INDICATOR_LIMITS.valueMax * 2),
  status: indicatorStatusSchema,
  confidence: z.number().int().min(0).max(100),
  tlp: tlpLevelSchema,
  releasableTo: z.array(z.string().max(64)).max(100),
  ownerTeam: teamRef,
  tags: z.array(z.string().max(INDICATOR_LIMITS.tagMax)).max(INDICATOR_LIMITS.tagsMax),
  techniques: z.array(z.string().max(20)).max(INDICATOR_LIMITS.techniquesMax),
  source: z.string().max(INDICATOR_LIMITS.sourceMax * 4),
  firstSeen: time,
  lastSeen: time,
  validUntil: time.optional(),
  sightingCount: z.number().int().min(0),
  createdBy: id,
  createdAt: time,
  updatedAt: time,
  updatedSeq: z.number().int().min(0),
});

const indicatorPayload = z.object({ indicator: indicatorView, changes: z.array(z.string().max(40)).max(20).optional() });

const sightingPayload = z.object({
  indicatorId: id,
  sighting: z.object({
    id,
    indicatorId: id,
    team: teamRef,
    accountId: id,
    seenAt: time,
    context: z.string().max(INDICATOR_LIMITS.contextMax * 2),
    note: z.string().max(INDICATOR_LIMITS.noteMax * 2),
    createdAt: time,
  }),
  sightingCount: z.number().int().min(0),
  lastSeen: time,
});

const commentPayload = z.object({
  indicatorId: id,
  comment: z.object({
    id,
    indicatorId: id,
    team: teamRef,
    accountId: id,
    author: z.object({ username: z.string().max(200).nullable(), displayName: z.string().max(200).nullable() }).optional(),
    body: z.string().min(1).max(INDICATOR_LIMITS.commentMax),
    tlp: tlpLevelSchema,
    releasableTo: z.array(z.string().max(64)).max(100),
    createdAt: time,
  }),
});

const revokedPayload = z.object({ kind: z.enum(['indicator', 'comment']), id });
const deletedPayload = z.object({ id });

function parse<T>(schema: z.ZodType<T>, payload: unknown, type: string): T {
  const p = schema.safeParse(payload);
  if (!p.success) throw new FederationRefusal(`${type}: ${p.error.issues[0]?.path.join('.') ?? ''} ${p.error.issues[0]?.message ?? 'invalid'}`);
  return p.data;
}

const sameMarking = (row: IndicatorRow, item: MarkedItem): boolean =>
  row.tlp === item.marking.tlp && row.releasable_to === JSON.stringify(item.marking.releasableTo) && row.owner_team_id === item.ownerTeamId;

/** The replica row of an indicator, refused when it is not the sending link's to change. */
async function ownedRow(tx: Db, workspaceId: string, indicatorId: string, linkName: string): Promise<IndicatorRow | undefined> {
  const row = await indicatorStore.get(tx, workspaceId, indicatorId);
  if (!row) return undefined;
  const home = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [row.owner_team_id]);
  if (home?.home_link !== linkName) throw new FederationRefusal(`${linkName} sent a change to indicator ${indicatorId}, which is not homed there`);
  return row;
}

async function removeIndicator(tx: Db, indicatorId: string): Promise<void> {
  await tx.run('DELETE FROM indicator_sightings WHERE indicator_id = ?', [indicatorId]);
  await tx.run('DELETE FROM indicator_comments WHERE indicator_id = ?', [indicatorId]);
  await indicatorStore.delete(tx, indicatorId);
}

export const indicatorAppliers: Record<string, Applier> = {
  async 'indicator:created'(tx, { link, workspaceId, event, seq }) {
    return upsertIndicator(tx, link.name, workspaceId, event.type, event.recordId, event.audience.item, event.payload, seq);
  },
  async 'indicator:updated'(tx, { link, workspaceId, event, seq }) {
    return upsertIndicator(tx, link.name, workspaceId, event.type, event.recordId, event.audience.item, event.payload, seq);
  },

  async 'indicator:sighted'(tx, { link, workspaceId, event, seq }) {
    const p = parse(sightingPayload, event.payload, event.type);
    if (p.indicatorId !== event.recordId || p.sighting.indicatorId !== event.recordId)
      throw new FederationRefusal(`${event.type}: the sighting is not of record ${event.recordId}`);
    const row = await ownedRow(tx, workspaceId, event.recordId, link.name);
    if (!row) throw new FederationRefusal(`${event.type}: indicator ${event.recordId} is not held here`);
    const s = p.sighting;
    const held = await tx.get<{ indicator_id: string }>('SELECT indicator_id FROM indicator_sightings WHERE id = ?', [s.id]);
    if (held) {
      if (held.indicator_id !== row.id) throw new FederationRefusal(`${event.type}: sighting ${s.id} belongs to another indicator`);
      return ALREADY_HELD;
    }
    await indicatorStore.insertSightings(tx, [
      { id: s.id, indicator_id: row.id, team_id: s.team.id, account_id: s.accountId, seen_at: s.seenAt, context: s.context, note: s.note, created_at: s.createdAt },
    ]);
    row.sighting_count = p.sightingCount;
    row.last_seen = p.lastSeen;
    row.updated_seq = seq;
    await indicatorStore.save(tx, row);
    return p;
  },

  async 'indicator:commented'(tx, { link, workspaceId, event }) {
    const p = parse(commentPayload, event.payload, event.type);
    const c = p.comment;
    if (p.indicatorId !== event.recordId || c.indicatorId !== event.recordId) throw new FederationRefusal(`${event.type}: the comment is not on record ${event.recordId}`);
    if (!event.audience.parent) throw new FederationRefusal(`${event.type}: a comment event needs its indicator's marking`);
    const row = await ownedRow(tx, workspaceId, event.recordId, link.name);
    if (!row) throw new FederationRefusal(`${event.type}: indicator ${event.recordId} is not held here`);
    const own = event.audience.item;
    if (own.ownerTeamId !== c.team.id || own.marking.tlp !== c.tlp) throw new FederationRefusal(`${event.type}: the comment's marking differs from its event's`);
    // Still in the link's sight: a baseline under way keeps it (baselineComments.ts).
    await noteBaselineComment(tx, link.name, workspaceId, c.id);
    const existing = await indicatorStore.comment(tx, row.id, c.id);
    if (existing) {
      if (existing.tlp === own.marking.tlp && existing.releasable_to === JSON.stringify(own.marking.releasableTo)) return ALREADY_HELD;
      await indicatorStore.setCommentMarking(tx, c.id, own.marking.tlp, JSON.stringify(own.marking.releasableTo));
    } else {
      await indicatorStore.addComment(tx, {
        id: c.id,
        indicator_id: row.id,
        account_id: c.accountId,
        team_id: own.ownerTeamId,
        body: c.body,
        tlp: own.marking.tlp,
        releasable_to: JSON.stringify(own.marking.releasableTo),
        created_at: c.createdAt,
      });
      row.comment_count = Number(row.comment_count) + 1;
      await indicatorStore.save(tx, row);
    }
    return p;
  },

  async 'indicator:revoked'(tx, { link, workspaceId, event }) {
    const p = parse(revokedPayload, event.payload, event.type);
    const now = event.audience.unless;
    if (!now) throw new FederationRefusal(`${event.type}: a revoke needs the new marking`);
    const row = await ownedRow(tx, workspaceId, event.recordId, link.name);
    if (p.kind === 'indicator') {
      if (p.id !== event.recordId) throw new FederationRefusal(`${event.type}: revokes ${p.id}, filed under ${event.recordId}`);
      if (row) await removeIndicator(tx, row.id);
      // The past follows the new marking here too: catch-up and history no longer show it.
      await recordStore.remark(tx, workspaceId, event.recordId, now);
    } else {
      if (row && (await indicatorStore.comment(tx, row.id, p.id))) {
        await tx.run('DELETE FROM indicator_comments WHERE id = ?', [p.id]);
        row.comment_count = Math.max(0, Number(row.comment_count) - 1);
        await indicatorStore.save(tx, row);
      }
      await recordStore.remarkComment(tx, workspaceId, event.recordId, p.id, now);
    }
    return p;
  },

  async 'indicator:deleted'(tx, { link, workspaceId, event }) {
    const p = parse(deletedPayload, event.payload, event.type);
    if (p.id !== event.recordId) throw new FederationRefusal(`${event.type}: deletes ${p.id}, filed under ${event.recordId}`);
    const row = await ownedRow(tx, workspaceId, event.recordId, link.name);
    if (row) await removeIndicator(tx, row.id);
    return p;
  },
};

async function upsertIndicator(tx: Db, linkName: string, workspaceId: string, type: string, recordId: string, item: MarkedItem, payload: unknown, seq: number): Promise<unknown> {
  const p = parse(indicatorPayload, payload, type);
  const v = p.indicator;
  if (v.id !== recordId || v.workspaceId !== workspaceId) throw new FederationRefusal(`${type}: indicator ${v.id} sent as record ${recordId}`);
  if (v.ownerTeam.id !== item.ownerTeamId || v.tlp !== item.marking.tlp) throw new FederationRefusal(`${type}: the indicator's marking differs from its event's`);
  const existing = await ownedRow(tx, workspaceId, recordId, linkName);
  const row: IndicatorRow = {
    id: v.id,
    workspace_id: workspaceId,
    type: v.type,
    value: v.value,
    original_value: v.originalValue,
    status: v.status,
    confidence: v.confidence,
    tlp: item.marking.tlp,
    releasable_to: JSON.stringify(item.marking.releasableTo),
    owner_team_id: item.ownerTeamId,
    tags: JSON.stringify(v.tags),
    techniques: JSON.stringify(v.techniques),
    source: v.source,
    first_seen: v.firstSeen,
    last_seen: v.lastSeen,
    valid_until: v.validUntil ?? null,
    sighting_count: v.sightingCount,
    comment_count: existing ? Number(existing.comment_count) : 0,
    created_by: v.createdBy,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    created_seq: existing ? Number(existing.created_seq) : seq,
    updated_seq: seq,
  };
  if (existing) {
    if (existing.type !== v.type || existing.value !== v.value) throw new FederationRefusal(`${type}: indicator ${v.id} changed its value`);
    await indicatorStore.save(tx, row);
    // A marking that changed but still lets this instance see it: the past follows, as at the home.
    if (!sameMarking(existing, item)) await recordStore.remark(tx, workspaceId, recordId, item);
  } else {
    const clash = await tx.get<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? AND type = ? AND value = ?', [workspaceId, v.type, v.value]);
    if (clash) throw new FederationRefusal(`${type}: ${v.type} ${v.value.slice(0, 80)} is already held here as another indicator`);
    await indicatorStore.insertMany(tx, [row]);
  }
  return { ...p, indicator: { ...v, updatedSeq: seq } };
}
