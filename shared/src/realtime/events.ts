/**
 * socket.io event maps shared by server and client. Names: `domain:verb` from a client,
 * `domain:verbed` from the server (STYLE.md).
 */
import type { Member } from '../workspaces/schema.js';
import type { ErrorBody } from '../errors/codes.js';

export type Ack<T = unknown> = { ok: true; data?: T; seq?: number } | { ok: false; error: ErrorBody };

export interface ServerToClientEvents {
  'member:added': (e: { workspaceId: string; member: Member }) => void;
  'member:updated': (e: { workspaceId: string; member: Member }) => void;
  'member:removed': (e: { workspaceId: string; accountId: string }) => void;
  'workspace:revoked': (e: { workspaceId: string }) => void;
  'server:restarting': (e: { reason: string }) => void;
}

export interface ClientToServerEvents {
  'workspace:join': (e: { workspaceId: string }, ack: (a: Ack) => void) => void;
  'workspace:leave': (e: { workspaceId: string }, ack: (a: Ack) => void) => void;
}
