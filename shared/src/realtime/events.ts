/**
 * socket.io event maps shared by server and client. Names: `domain:verb` from a client,
 * `domain:verbed` from the server (STYLE.md).
 */
import type { Member } from '../workspaces/schema.js';
import type { ErrorBody } from '../errors/codes.js';
import type { HandoffPerson, HandoffSession, HandoffView } from '../handoff/schema.js';
import type { CommandEnvelope, RecordBatch, RecordEvent, RevokedPayload, SyncRequest, SyncResult } from '../records/schema.js';
import type { SampleView } from '../hunt/samples.js';

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
  // Hunt operations (hunt/views.ts): `<kind>:revoked` when a narrowed marking took the item from the receiver's team.
  'network:created': (e: RecordEvent) => void;
  'network:updated': (e: RecordEvent) => void;
  'network:deleted': (e: RecordEvent) => void;
  'network:revoked': (e: RecordEvent<RevokedPayload>) => void;
  'host:created': (e: RecordEvent) => void;
  'host:updated': (e: RecordEvent) => void;
  'host:deleted': (e: RecordEvent) => void;
  'host:revoked': (e: RecordEvent<RevokedPayload>) => void;
  'finding:created': (e: RecordEvent) => void;
  'finding:updated': (e: RecordEvent) => void;
  'finding:deleted': (e: RecordEvent) => void;
  'finding:revoked': (e: RecordEvent<RevokedPayload>) => void;
  'timeline:created': (e: RecordEvent) => void;
  'timeline:updated': (e: RecordEvent) => void;
  'timeline:deleted': (e: RecordEvent) => void;
  'timeline:revoked': (e: RecordEvent<RevokedPayload>) => void;
  /**
   * A malware sample added to or removed from a finding (hunt/samples.ts). Filed under the finding's id
   * (`recordId`) and marked as the finding is, so only teams that see the finding get them, live and on
   * catch-up; a team that loses sight of the finding gets `finding:revoked`, never these.
   */
  'sample:created': (e: RecordEvent<{ sample: SampleView }>) => void;
  'sample:deleted': (e: RecordEvent<{ id: string; findingId: string }>) => void;
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
  'indicator:bulkDelete': CommandEvent;
  'sighting:add': CommandEvent;
  'comment:add': CommandEvent;
  'comment:remark': CommandEvent;
  'network:create': CommandEvent;
  'network:update': CommandEvent;
  'network:delete': CommandEvent;
  'host:create': CommandEvent;
  'host:bulkCreate': CommandEvent;
  'host:update': CommandEvent;
  'host:delete': CommandEvent;
  'finding:create': CommandEvent;
  'finding:update': CommandEvent;
  'finding:delete': CommandEvent;
  'timeline:create': CommandEvent;
  'timeline:bulkCreate': CommandEvent;
  'timeline:update': CommandEvent;
  'timeline:delete': CommandEvent;
  'handoff:join': (e: { sessionId: string }, ack: (a: Ack<{ session: HandoffSession }>) => void) => void;
  'handoff:leave': (e: { sessionId: string }, ack: (a: Ack) => void) => void;
  /** From the presenter only: where they are now. */
  'handoff:view': (e: { sessionId: string; view: HandoffView }, ack: (a: Ack) => void) => void;
}
