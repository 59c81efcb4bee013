/**
 * The record plane's wire contract (DESIGN.md section 3): commands `{id, type, payload}` with a
 * client-made idempotency key, acks, the event envelope every `domain:verbed` message carries, and
 * `sync` for catch-up after a reconnect. Domains define their payloads; this file is generic.
 */
import * as z from 'zod';
import type { ErrorBody } from '../errors/codes.js';

/** Upper bounds shared by the server (enforced) and the client outbox (checked before sending). */
export const RECORD_LIMITS = {
  commandIdMin: 8,
  commandIdMax: 64,
  /** Beyond this many missed events, sync answers with a snapshot instead of the events. */
  syncMaxEvents: 5_000,
} as const;

/** A client-made idempotency key: a UUID in practice; any URL-safe token of sane length is accepted. */
export const commandIdSchema = z
  .string()
  .min(RECORD_LIMITS.commandIdMin, 'a command id needs at least 8 characters (use a UUID)')
  .max(RECORD_LIMITS.commandIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "-" and "_" (a UUID)');

/** The envelope of every command; `payload` is checked afterwards by the command's own schema. */
export const commandSchema = z.object({
  id: commandIdSchema,
  type: z.string().min(1).max(64).optional(),
  payload: z.unknown(),
});
export type CommandEnvelope = z.infer<typeof commandSchema>;

/** Every command payload names its workspace; the server authorizes against it. */
export const workspaceIdSchema = z.string().min(1).max(64);

export interface Command<P = unknown> {
  id: string;
  type: string;
  payload: P;
}

export const syncRequestSchema = z.object({
  workspaceId: workspaceIdSchema,
  sinceSeq: z.number().int().min(0),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

/** Who did it: sent with every event so clients can highlight another team's change. */
export interface EventActor {
  id: string | null;
  username: string | null;
  displayName: string | null;
  team: { id: string | null; code: string | null; color: string | null };
}

/** One committed change, as stored in the event log and delivered live and on sync. */
export interface RecordEvent<P = unknown> {
  workspaceId: string;
  /** Monotonic per workspace; a client resumes with `sync {sinceSeq: lastSeenSeq}`. */
  seq: number;
  type: string;
  /** The record the event belongs to (an indicator's id for its sightings and comments too). */
  recordId: string;
  at: string;
  actor: EventActor;
  payload: P;
}

/** Several events of one command (a bulk import batch) delivered in one frame, in seq order. */
export interface RecordBatch {
  workspaceId: string;
  events: RecordEvent[];
}

/**
 * Payload of a `<kind>:revoked` event: a record the receiver's team could see and no longer can (its
 * marking narrowed). Sent live and kept in the log, so a client that was offline drops it on sync too.
 */
export interface RevokedPayload {
  kind: string;
  id: string;
}

export type SyncResult =
  | { snapshot: false; seq: number; events: RecordEvent[] }
  /** Too far behind: replace local state with `records` (per domain, e.g. `indicators`). */
  | { snapshot: true; seq: number; records: Record<string, unknown[]> };

export type CommandAck<T = unknown> = { ok: true; seq: number; data?: T } | { ok: false; error: ErrorBody };
