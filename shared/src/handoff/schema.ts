/**
 * Live handoff sessions (DESIGN.md section 6): an owner presents to a partner team whose officials
 * join as observers through an expiring invite link and follow the presenter's view. The view carries
 * a location only (a path inside the workspace, the item open there, scroll fractions), never
 * content: each follower loads what is at that location with their own access, so a presenter
 * looking at something not releasable to the partner cannot show it to them.
 */
import * as z from 'zod';
import { teamCodeSchema } from '../teams/schema.js';

export const HANDOFF_MAX_HOURS = 72;

export const startHandoffSchema = z.object({
  recipient: teamCodeSchema,
  expiresInHours: z.number().int().min(1).max(HANDOFF_MAX_HOURS).default(8),
  /** How many officials may join with the link. */
  maxAttendees: z.number().int().min(1).max(100).default(20),
});
export type StartHandoffInput = z.input<typeof startHandoffSchema>;

export const handoffViewSchema = z.object({
  /** A path inside the workspace: /w/<id>/... without query or fragment. */
  path: z
    .string()
    .max(300)
    .regex(/^\/w\/[A-Za-z0-9-]+(\/[A-Za-z0-9._~%-]*)*$/, 'a workspace path'),
  /** The item open in that area (`?open=`: an indicator's id, a technique's id), if any. */
  item: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'an item id')
    .optional(),
  /** How far down the area's main scroller is scrolled, 0..1. */
  scroll: z.number().min(0).max(1),
  /** How far across it is scrolled, 0..1 (the ATT&CK matrix is wider than a screen). */
  scrollX: z.number().min(0).max(1).optional(),
});
export type HandoffView = z.infer<typeof handoffViewSchema>;

export const handoffViewEventSchema = z.object({ sessionId: z.string().min(1).max(64), view: handoffViewSchema });
export const handoffSessionRefSchema = z.object({ sessionId: z.string().min(1).max(64) });

export interface HandoffPerson {
  accountId: string;
  displayName: string;
  team: string;
}

export interface HandoffSession {
  id: string;
  workspaceId: string;
  recipient: { code: string; name: string };
  presenter: HandoffPerson;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
}

/** What the owner who starts a session gets back: the session and its invite link (once). */
export interface HandoffStarted {
  session: HandoffSession;
  inviteUrl: string;
  /**
   * `pending` when the presenter is not an admin of the recipient team: officials who have no account
   * yet can join only once one of that team's admins approves the link (existing accounts can at once).
   */
  approval: 'approved' | 'pending';
}
