/** Small helpers around command acks for the board's forms. */
import type { CommandAck } from '@huntroom/shared';
import { ApiError } from '../../lib/api.js';

/** An ack's error as an ApiError, so ErrorBanner and field errors read it like a REST error. */
export function ackError(ack: CommandAck): ApiError | undefined {
  if (ack.ok) return undefined;
  const fields = Object.fromEntries(Object.entries(ack.error.fields ?? {}).map(([k, v]) => [k.replace(/^payload\./, ''), v]));
  return new ApiError(400, ack.error.code, ack.error.message, fields);
}
