/**
 * Commands across instances (issue 20 item 4): a change to an item homed on another instance goes to
 * its home (forward.ts, hooked into records/command.ts `execute`), which runs it for the member's remote
 * account (home.ts). Which item a command changes: targets.ts. Registered once per bus in features.ts.
 */
import { commandForwarders, type RecordContext } from '../../records/command.js';
import type { FederationBus } from '../channel.js';
import { COMMAND_REQUEST, makeForwarder } from './forward.js';
import { runForPeer } from './home.js';

export function registerCommands(ctx: RecordContext, bus: FederationBus): void {
  commandForwarders.set(bus, makeForwarder(ctx.db, bus));
  // `ctx.federation` is this bus: the events of the change cross back through its border.
  bus.onRequest(COMMAND_REQUEST, (link, params) => runForPeer(ctx, link, params));
}
