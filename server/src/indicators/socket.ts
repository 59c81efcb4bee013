/** The indicator board's socket.io commands, each through the record plane's `handler`. */
import type { RecordContext } from '../records/command.js';
import type { HubSocket } from '../realtime/hub.js';
import { handler } from '../records/handler.js';
import { addComment, addSighting, bulkCreateIndicators, createIndicator } from './service.js';
import { deleteIndicator, updateIndicator } from './changes.js';
import { bulkDeleteIndicators, bulkUpdateIndicators } from './bulk.js';
import { remarkComment } from './commentMarking.js';

export function indicatorSockets(ctx: RecordContext, socket: HubSocket): void {
  socket.on('indicator:create', handler(ctx, socket, createIndicator));
  socket.on('indicator:update', handler(ctx, socket, updateIndicator));
  socket.on('indicator:bulkCreate', handler(ctx, socket, bulkCreateIndicators));
  socket.on('indicator:bulkUpdate', handler(ctx, socket, bulkUpdateIndicators));
  socket.on('indicator:delete', handler(ctx, socket, deleteIndicator));
  socket.on('indicator:bulkDelete', handler(ctx, socket, bulkDeleteIndicators));
  socket.on('sighting:add', handler(ctx, socket, addSighting));
  socket.on('comment:add', handler(ctx, socket, addComment));
  socket.on('comment:remark', handler(ctx, socket, remarkComment));
}
