/**
 * Record-plane commands and wire shapes of the indicator board (DESIGN.md sections 4 and 5). Values
 * are checked and normalized per type by the indicator library (shared/src/indicators); these schemas
 * bound sizes and shapes. Markings name teams by their code (`US`, `CA`) on the wire.
 */
import * as z from 'zod';
import { tlpLevelSchema, type TlpLevel } from '../markings/tlp.js';
import { workspaceIdSchema } from './schema.js';

export const INDICATOR_STATUSES = ['new', 'investigating', 'confirmed', 'benign', 'false-positive'] as const;
export const indicatorStatusSchema = z.enum(INDICATOR_STATUSES);
export type IndicatorStatus = z.infer<typeof indicatorStatusSchema>;

export const INDICATOR_LIMITS = {
  valueMax: 8_192,
  tagsMax: 50,
  /** MISP's own limit on a tag name: machine and galaxy tags (`misp-galaxy:mitre-attack-pattern="..."`) are long. */
  tagMax: 255,
  techniquesMax: 100,
  sourceMax: 500,
  contextMax: 1_000,
  noteMax: 5_000,
  commentMax: 20_000,
  /** Items per bulk command: about 1 MB of JSON at most, one transaction each. */
  bulkMax: 5_000,
} as const;

const idSchema = z.string().min(1).max(64);
export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(INDICATOR_LIMITS.tagMax)
  // Quotes are allowed: every MISP machine tag and galaxy tag has them (`osint:source-type="blog-post"`);
  // exports escape them as their format does. Control characters are matched on purpose: refused.
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'a tag may not contain control characters');
export const techniqueIdSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^T\d{4}(\.\d{3})?$/, 'use an ATT&CK technique id such as T1059 or T1059.001');
export const teamCodesSchema = z.array(z.string().trim().toUpperCase().min(1).max(64)).max(100);

const common = {
  status: indicatorStatusSchema.optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  tlp: tlpLevelSchema.optional(),
  releasableTo: teamCodesSchema.optional(),
  tags: z.array(tagSchema).max(INDICATOR_LIMITS.tagsMax).optional(),
  techniques: z.array(techniqueIdSchema).max(INDICATOR_LIMITS.techniquesMax).optional(),
  /**
   * End of validity (STIX `valid_until`): any offset, stored in UTC. `null` on an update clears it. An
   * expired indicator is kept and shown as such: an analyst still wants to see an old C2 seen again.
   */
  validUntil: z.iso.datetime({ offset: true }).nullable().optional(),
};

export const sightingInputSchema = z.object({
  seenAt: z.iso.datetime({ offset: true }).optional(),
  context: z.string().trim().max(INDICATOR_LIMITS.contextMax).optional(),
  note: z.string().trim().max(INDICATOR_LIMITS.noteMax).optional(),
});

/** One indicator to add; `type` and `value` are checked by the indicator library's validation. */
export const indicatorItemSchema = z.object({
  type: z.string().trim().min(1).max(32),
  value: z.string().min(1, 'a value is required').max(INDICATOR_LIMITS.valueMax),
  source: z.string().trim().max(INDICATOR_LIMITS.sourceMax).optional(),
  /** A first comment from the import (a CSV comment column), saved with the indicator's marking when it is new. */
  comment: z.string().trim().max(INDICATOR_LIMITS.commentMax).optional(),
  sighting: sightingInputSchema.optional(),
  ...common,
});
export type IndicatorItemInput = z.infer<typeof indicatorItemSchema>;

export const createIndicatorSchema = indicatorItemSchema.extend({ workspaceId: workspaceIdSchema });
export type CreateIndicatorInput = z.infer<typeof createIndicatorSchema>;

/**
 * Items of a bulk add are judged one by one by the command (indicatorItemSchema each): one bad tag or
 * an over-long value refuses that item, reported by index, and the rest of the batch is saved.
 */
export const bulkCreateIndicatorsSchema = z.object({
  workspaceId: workspaceIdSchema,
  items: z.array(z.unknown()).min(1).max(INDICATOR_LIMITS.bulkMax),
});

export const updateIndicatorSchema = z.object({ workspaceId: workspaceIdSchema, id: idSchema, ...common });
export type UpdateIndicatorInput = z.infer<typeof updateIndicatorSchema>;

export const bulkUpdateIndicatorsSchema = z.object({
  workspaceId: workspaceIdSchema,
  ids: z.array(idSchema).min(1).max(INDICATOR_LIMITS.bulkMax),
  status: indicatorStatusSchema.optional(),
  addTags: z.array(tagSchema).max(INDICATOR_LIMITS.tagsMax).optional(),
  removeTags: z.array(tagSchema).max(INDICATOR_LIMITS.tagsMax).optional(),
  /** A new marking for all of them: refused as a whole unless the caller may change every one's marking. */
  tlp: tlpLevelSchema.optional(),
  releasableTo: teamCodesSchema.optional(),
});

export const deleteIndicatorSchema = z.object({ workspaceId: workspaceIdSchema, id: idSchema });

/** Delete many at once (workspace owners only, like one); ids the caller cannot see count as not found. */
export const bulkDeleteIndicatorsSchema = z.object({
  workspaceId: workspaceIdSchema,
  ids: z.array(idSchema).min(1).max(INDICATOR_LIMITS.bulkMax),
});

export const addSightingSchema = sightingInputSchema.extend({ workspaceId: workspaceIdSchema, indicatorId: idSchema });

export const addCommentSchema = z.object({
  workspaceId: workspaceIdSchema,
  indicatorId: idSchema,
  body: z.string().trim().min(1, 'a comment needs text').max(INDICATOR_LIMITS.commentMax),
  tlp: tlpLevelSchema.optional(),
  releasableTo: teamCodesSchema.optional(),
});

/** A comment's new marking: by its team or a workspace owner; the text of a comment does not change. */
export const remarkCommentSchema = z.object({
  workspaceId: workspaceIdSchema,
  indicatorId: idSchema,
  commentId: idSchema,
  tlp: tlpLevelSchema,
  releasableTo: teamCodesSchema.optional(),
});

/** Query of GET /api/workspaces/:id/indicators. */
export const listIndicatorsQuerySchema = z.object({
  type: z.string().max(32).optional(),
  status: indicatorStatusSchema.optional(),
  team: z.string().trim().toUpperCase().max(64).optional(),
  tlp: tlpLevelSchema.optional(),
  tag: z.string().max(INDICATOR_LIMITS.tagMax).optional(),
  technique: z.string().trim().toUpperCase().max(16).optional(),
  q: z.string().max(500).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
});
export type ListIndicatorsQuery = z.infer<typeof listIndicatorsQuerySchema>;

export interface TeamRef {
  id: string;
  code: string;
}

/** An indicator as sent to clients (REST and events). */
export interface IndicatorView {
  id: string;
  workspaceId: string;
  type: string;
  value: string;
  originalValue: string;
  status: IndicatorStatus;
  confidence: number;
  tlp: TlpLevel;
  /** Team codes; empty means every team of the workspace (except for RED). */
  releasableTo: string[];
  ownerTeam: TeamRef;
  tags: string[];
  techniques: string[];
  source: string;
  firstSeen: string;
  lastSeen: string;
  /** End of validity (ISO UTC), absent when the indicator has none. Past: the indicator has expired. */
  validUntil?: string;
  sightingCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Seq of the last event that changed it: a client keeps the newer of two copies. */
  updatedSeq: number;
}

export interface SightingView {
  id: string;
  indicatorId: string;
  team: TeamRef;
  accountId: string;
  seenAt: string;
  context: string;
  note: string;
  createdAt: string;
}

export interface CommentView {
  id: string;
  indicatorId: string;
  team: TeamRef;
  accountId: string;
  /**
   * Who wrote it, on the board's detail and the comment event only (the same names the event's actor
   * carries to the same audience); exports and feeds leave it out.
   */
  author?: { username: string | null; displayName: string | null };
  body: string;
  tlp: TlpLevel;
  releasableTo: string[];
  createdAt: string;
}

/** Ack data of indicator:create. `indicator` is absent when the existing one is hidden from the caller. */
export interface CreateIndicatorResult {
  /** `repeated`: already there, and the sighting this add would record was already held (nothing recorded). */
  outcome: 'created' | 'sighted' | 'repeated';
  indicator?: IndicatorView;
}

export interface BulkCreateResult {
  created: number;
  sighted: number;
  rejected: { index: number; value: string; reason: string }[];
  /**
   * Items (by index) of values already there whose sighting the indicator already held (same team,
   * instant, context and note): nothing recorded, counted neither as created nor sighted. Absent when none.
   */
  repeated?: number[];
}
