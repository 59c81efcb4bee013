/**
 * The wire format the thin clients speak, for both dialects of the Yjs websocket protocol:
 *
 * - y-websocket (Huntroom and the y-websocket server): one socket per document, each message is
 *   varUint type (0 sync, 1 awareness, ...) then its payload (y-protocols PROTOCOL.md).
 * - Hocuspocus: the same messages, each prefixed with the document name as a varString (one socket
 *   may carry many documents), and nothing is accepted for a document until an auth message
 *   (type 2, sub-type 0 "token", varString token) was sent for it. Its replies to a sync step 1 come
 *   as type 0 (step 2) and type 4 "SyncReply" (its own step 1); both carry a sync sub-message.
 *
 * A target is `{ url, name, dialect }`: where to connect, and the document name Hocuspocus needs.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** Starts a message: the Hocuspocus document-name prefix when needed, then the message type. */
export function begin(target, type) {
  const e = encoding.createEncoder();
  if (target.dialect === 'hocuspocus') encoding.writeVarString(e, target.name);
  encoding.writeVarUint(e, type);
  return e;
}

/** Hocuspocus only: the auth message its default configuration (no onAuthenticate hook) accepts. */
export function authMessage(target) {
  const e = begin(target, MESSAGE_AUTH);
  encoding.writeVarUint(e, 0); // AuthMessageType.Token
  encoding.writeVarString(e, 'bench');
  return encoding.toUint8Array(e);
}

/** A state vector with zero clients: "send me the whole document". */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** Sync step 1: "send me what this state vector lacks" (by default, the whole document). */
export function step1(target, stateVector = EMPTY_STATE_VECTOR) {
  const e = begin(target, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function updateMessage(target, update) {
  const e = begin(target, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/**
 * An awareness update for one client (y-protocols awareness.js): varUint count, then per client
 * varUint clientID, varUint clock (must grow, or the server ignores the state) and the state as JSON.
 */
export function awarenessMessage(target, clientID, clock, state) {
  const u = encoding.createEncoder();
  encoding.writeVarUint(u, 1);
  encoding.writeVarUint(u, clientID);
  encoding.writeVarUint(u, clock);
  encoding.writeVarString(u, JSON.stringify(state));
  const e = begin(target, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(u));
  return encoding.toUint8Array(e);
}

/**
 * What a client sends first after the socket opened; `stateVector` is what it already holds (a client
 * coming back after a drop, as y-websocket's provider does), none by default.
 */
export function hello(target, stateVector) {
  return target.dialect === 'hocuspocus' ? [authMessage(target), step1(target, stateVector)] : [step1(target, stateVector)];
}

/**
 * Reads the head of an incoming message: `{ sync, sub, decoder }` where `sync` is true for sync
 * messages (then `sub` is the sync sub-type and the decoder stands at its payload).
 */
export function readHead(target, data) {
  const d = decoding.createDecoder(data);
  if (target.dialect === 'hocuspocus') decoding.readVarString(d);
  const type = decoding.readVarUint(d);
  const sync = type === MESSAGE_SYNC || (target.dialect === 'hocuspocus' && type === HOCUSPOCUS_SYNC_REPLY);
  return { type, sync, sub: sync ? decoding.readVarUint(d) : -1, decoder: d };
}

/** What headAt returns for a message that is not a sync message. */
export const HEAD_AWARENESS = -2;
export const HEAD_OTHER = -1;

/**
 * readHead for the lean thin client, on bytes `start..end` of a buffer and without a decoder or a
 * result object per message: the sync sub-type (0, 1, 2) of a sync message, HEAD_AWARENESS for an
 * awareness message, HEAD_OTHER for anything else or a message cut short.
 */
export function headAt(target, buf, start, end) {
  at = start;
  if (target.dialect === 'hocuspocus') {
    const nameLength = varUintAt(buf, end);
    if (nameLength < 0) return HEAD_OTHER;
    at += nameLength;
  }
  const type = varUintAt(buf, end);
  if (type === MESSAGE_AWARENESS) return HEAD_AWARENESS;
  if (type !== MESSAGE_SYNC && !(target.dialect === 'hocuspocus' && type === HOCUSPOCUS_SYNC_REPLY)) return HEAD_OTHER;
  const sub = varUintAt(buf, end);
  return sub < 0 ? HEAD_OTHER : sub;
}

// Where headAt's reader stands (module state rather than a closure or a decoder per message).
let at = 0;

/** lib0's varUint at `at`: 7 bits a byte, least significant first, high bit set while more follow; -1 if cut short. */
function varUintAt(buf, end) {
  let n = 0;
  let mult = 1;
  while (at < end) {
    const b = buf[at++];
    n += (b & 0x7f) * mult;
    if (b < 0x80) return n;
    mult *= 128;
  }
  return -1;
}
