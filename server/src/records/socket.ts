/** The record plane's own socket event: `sync {workspaceId, sinceSeq}`, acked with a SyncResult. */
import { syncRequestSchema } from '@huntroom/shared';
import type { RecordContext } from './command.js';
import type { HubSocket } from '../realtime/hub.js';
import { parse } from '../http/validate.js';
import { errorAck } from './errors.js';
import { syncEvents } from './sync.js';

export function recordSockets(ctx: RecordContext, socket: HubSocket): void {
  socket.on('sync', (payload, ack) => {
    if (typeof ack !== 'function') return;
    (async () => ({ ok: true as const, data: await syncEvents(ctx, socket.data.account, parse(syncRequestSchema, payload)) }))().then(ack, (err: unknown) =>
      ack(errorAck(ctx, err, 'sync')),
    );
  });
}
