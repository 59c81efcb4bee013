/** Turns whatever a command threw into an error ack; unknown errors are logged, never sent. */
import type { CommandAck } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { UniqueViolation } from '../storage/db.js';
import { AppError } from '../http/errors.js';

export function errorAck(ctx: Pick<AppContext, 'log'>, err: unknown, type: string): CommandAck<never> {
  if (err instanceof AppError) return { ok: false, error: err.toBody() };
  if (err instanceof UniqueViolation) return { ok: false, error: { code: 'conflict', message: 'that already exists' } };
  ctx.log.error({ err, command: type }, 'command failed');
  return { ok: false, error: { code: 'internal', message: `${type} failed on the server` } };
}

/** Throws the error of a failed ack, for REST routes that share the command path. */
export function unwrap<T>(ack: CommandAck<T>): { seq: number; data: T | undefined } {
  if (!ack.ok) throw new AppError(ack.error.code, ack.error.message, ack.error.fields);
  return { seq: ack.seq, data: ack.data };
}
