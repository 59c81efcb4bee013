/** Hunt operations' socket.io commands, each through the record plane's `handler` (same envelope, acks, idempotency). */
import type { ClientToServerEvents } from '@huntroom/shared';
import type { RecordContext } from '../records/command.js';
import type { HubSocket } from '../realtime/hub.js';
import { handler } from '../records/handler.js';
import { createNetwork, deleteNetwork, updateNetwork } from './networks/commands.js';
import { bulkCreateHosts, createHost, deleteHost, updateHost } from './hosts/commands.js';
import { createFinding, deleteFinding, updateFinding } from './findings/commands.js';
import { bulkCreateTimelineEvents, createTimelineEvent, deleteTimelineEvent, updateTimelineEvent } from './timeline/commands.js';

const DEFS = [
  createNetwork,
  updateNetwork,
  deleteNetwork,
  createHost,
  bulkCreateHosts,
  updateHost,
  deleteHost,
  createFinding,
  updateFinding,
  deleteFinding,
  createTimelineEvent,
  bulkCreateTimelineEvents,
  updateTimelineEvent,
  deleteTimelineEvent,
] as const;

export function huntSockets(ctx: RecordContext, socket: HubSocket): void {
  // Each def's `type` is a key of ClientToServerEvents (shared/realtime/events.ts).
  for (const def of DEFS) socket.on(def.type as keyof ClientToServerEvents, handler(ctx, socket, def as Parameters<typeof handler>[2]));
}
