/**
 * The socket.io wrapper of a record-plane command (STYLE.md "One path for every request"): the
 * event's argument is the command envelope, the ack is the command's ack. Everything else happens in
 * `execute`, which REST routes share.
 */
import type { CommandAck } from '@huntroom/shared';
import type { z } from 'zod';
import type { HubSocket } from '../realtime/hub.js';
import { execute, type CommandDef, type RecordContext } from './command.js';

export function handler<S extends z.ZodType<{ workspaceId: string }>, D>(ctx: RecordContext, socket: HubSocket, def: CommandDef<S, D>) {
  return (raw: unknown, ack: unknown): void => {
    // A command without an ack callback could never learn its outcome; still run it (fire-and-forget).
    const reply = typeof ack === 'function' ? (ack as (a: CommandAck<D>) => void) : () => undefined;
    void execute(ctx, socket.data.account, def, raw).then(reply);
  };
}
