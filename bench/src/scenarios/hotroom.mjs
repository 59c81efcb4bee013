/**
 * Hot room: one room with many clients (default 1,000) and 1 or 10 writers, each writer at its own
 * rate (default 4 edits/s, so 10 writers give 40,000 deliveries/s, the volume of the largest fan-out
 * step, which the load generator is known to keep up with). The same measurement as a fan-out point,
 * with the same rule for INVALID.
 */
import { fanoutPoint } from './fanout.mjs';

export function hotroomPoint(server, { clients, writers, editsPerSecond, warmupMs, measureMs }) {
  // The limits of config.mjs (validity.mjs says when a point is INVALID).
  return fanoutPoint(server, { rooms: 1, clientsPerRoom: clients, writersPerRoom: writers, editsPerSecond, warmupMs, measureMs });
}
