/**
 * Every domain's socket.io handlers, registered on each authenticated connection in this order.
 * The socket twin of http/routers.ts: a new domain adds one line here.
 */
import type { RecordContext } from '../records/command.js';
import type { HubSocket } from './hub.js';
import { recordSockets } from '../records/socket.js';
import { indicatorSockets } from '../indicators/socket.js';
import { handoffSockets } from '../handoff/socket.js';
import { huntSockets } from '../hunt/socket.js';

export const DOMAIN_SOCKETS: ((ctx: RecordContext, socket: HubSocket) => void)[] = [recordSockets, indicatorSockets, huntSockets, handoffSockets];
