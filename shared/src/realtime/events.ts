/**
 * socket.io event maps shared by server and client. Names: `domain:verb` from a client,
 * `domain:verbed` from the server (STYLE.md).
 */
import type { Member } from '../workspaces/schema.js';
import type { ErrorBody } from '../errors/codes.js';
import type { HandoffPerson, HandoffSession, HandoffView } from '../handoff/schema.js';
import type { CommandEnvelope, RecordBatch, RecordEvent, RevokedPayload, SyncRequest, SyncResult } from '../records/schema.js';

export type Ack<T = unknown> = { ok: true; data?: T; seq?: number } | { ok: false; error: ErrorBody };

export interface ServerToClientEvents {
  'member:added': (e: { workspaceId: string; member: Member }) => void;
  'member:updated': (e: { workspaceId: string; member: Member }) => void;
  'member:removed': (e: { workspaceId: string; accountId: string }) => void;
  'workspace:revoked': (e: { workspaceId: string }) => void;
  'server:restarting': (e: { reason: string }) => void;
  // Record plane (records/schema.ts): each is a committed event, sent only to teams that may see it.
  'indicator:created': (e: RecordEvent) => void;
  'indicator:updated': (e: RecordEvent) => void;
  'indicator:sighted': (e: RecordEvent) => void;
  'indicator:commented': (e: RecordEvent) => void;
  'indicator:deleted': (e: RecordEvent) => void;
  /** The indicator's marking narrowed and the receiver's team lost sight of it: drop it. */
  'indicator:revoked': (e: RecordEvent<RevokedPayload>) => void;
  /** Several events of one command (an import batch), in seq order. */
  'record:batch': (e: RecordBatch) => void;
  // Live handoff (handoff/schema.ts): sessions, who attends, and the presenter's view to follow.
  'handoff:started': (e: { session: HandoffSession }) => void;
  'handoff:ended': (e: { sessionId: string }) => void;
  'handoff:attended': (e: { sessionId: string; attendees: HandoffPerson[] }) => void;
  'handoff:viewed': (e: { sessionId: string; view: HandoffView }) => void;
}

/** Every record-plane command event: the payload is a command envelope `{id, type?, payload}`. */
type CommandEvent = (c: CommandEnvelope, ack: (a: Ack) => void) => void;

export interface ClientToServerEvents {
  'workspace:join': (e: { workspaceId: string }, ack: (a: Ack) => void) => void;
  'workspace:leave': (e: { workspaceId: string }, ack: (a: Ack) => void) => void;
  /** Catch-up after (re)connect: the visible events after `sinceSeq`, or a snapshot. */
  sync: (e: SyncRequest, ack: (a: Ack<SyncResult>) => void) => void;
  'indicator:create': CommandEvent;
  'indicator:update': CommandEvent;
  'indicator:bulkCreate': CommandEvent;
  'indicator:bulkUpdate': CommandEvent;
  'indicator:delete': CommandEvent;
  'sighting:add': CommandEvent;
  'comment:add': CommandEvent;
  'comment:remark': CommandEvent;
  'handoff:join': (e: { sessionId: string }, ack: (a: Ack<{ session: HandoffSession }>) => void) => void;
  'handoff:leave': (e: { sessionId: string }, ack: (a: Ack) => void) => void;
  /** From the presenter only: where they are now. */
  'handoff:view': (e: { sessionId: string; view: HandoffView }, ack: (a: Ack) => void) => void;
}
