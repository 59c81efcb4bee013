/**
 * What a record event looks like on a link (docs/federation.md section 4, `event`): the event as the
 * home stored it, with its audience in team ids (never codes: a code the receiver does not know could
 * only be dropped, and an emptied releasable-to list would widen the marking), and the actor as the
 * home knows them. The receiver validates every field: the peer is untrusted.
 */
import * as z from 'zod';
import { markingSchema, type MarkedItem } from '@huntroom/shared';
import type { Audience } from '../../records/visibility.js';

export const RECORDS_MESSAGE = 'records.events';

const id = z.string().min(1).max(64);
const markedItemSchema = z.object({ marking: markingSchema, ownerTeamId: id });

export const wireEventSchema = z.object({
  /** The event's seq in the home's log (the replica gives it its own). */
  homeSeq: z.number().int().min(0),
  type: z
    .string()
    .regex(/^[a-z]+:[a-z]+$/)
    .max(40),
  recordId: id,
  at: z.string().max(40),
  /** Null for events without a person (a seed). */
  actor: z
    .object({
      id,
      username: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[\w.-]+$/),
      displayName: z.string().min(1).max(120),
      teamId: id,
    })
    .nullable(),
  audience: z.object({ item: markedItemSchema, parent: markedItemSchema.optional(), unless: markedItemSchema.optional() }),
  payload: z.unknown(),
  /** Hunt items' created/updated: the item's row as the home stores it (checked at the replica: hunt.ts). */
  row: z.unknown().optional(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

export const recordsMessageSchema = z.object({
  workspaceId: id,
  /** True for the baseline sent when a share becomes active (the events are synthesized from the rows). */
  baseline: z.boolean().optional(),
  events: z.array(wireEventSchema).min(1).max(5_000),
});
export type RecordsMessage = z.infer<typeof recordsMessageSchema>;

/** The item whose home decides who may send the event: the parent's (a comment's indicator) or its own. */
export const homeItemOf = (a: Audience): MarkedItem => a.parent ?? a.item;

/**
 * The kinds whose events cross (a replica has an applier for each); others stay at home for now.
 * `sample` events are about their finding (filed under its id, with its marking): metadata only (samples.ts).
 */
export const CROSSING_KINDS: ReadonlySet<string> = new Set(['indicator', 'network', 'host', 'finding', 'timeline', 'sample']);

/** Hunt kinds -> their table: their created/updated events carry the row. */
export const HUNT_ROW_TABLES: Record<string, string> = { network: 'hunt_networks', host: 'hunt_hosts', finding: 'hunt_findings', timeline: 'hunt_timeline' };

/** `indicator:created` -> `indicator`. */
export const kindOf = (type: string): string => type.slice(0, type.indexOf(':'));
