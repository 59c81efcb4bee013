/**
 * The y-websocket wire format (y-protocols PROTOCOL.md): every message starts with a varUint type,
 * 0 sync (then a sync sub-type: 0 step 1 with a state vector, 1 step 2 and 2 update, each with a
 * varUint8Array Yjs update), 1 awareness (varUint8Array awareness update), 2 auth, 3 query-awareness.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/**
 * Our sync step 1 (the document's state vector) as last encoded, until the document changes: every
 * socket that joins sends it, and in a reconnect storm a thousand sockets join a few documents within
 * a second (issue 21). Dropped by the document's next update, the only thing that moves a state vector.
 */
const step1s = new WeakMap<Y.Doc, Uint8Array>();
const watched = new WeakSet<Y.Doc>();

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const known = step1s.get(doc);
  if (known) return known;
  if (!watched.has(doc)) {
    watched.add(doc);
    doc.on('update', () => step1s.delete(doc));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, doc);
  const message = encoding.toUint8Array(e);
  step1s.set(doc, message);
  return message;
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(e, doc, stateVector);
  return encoding.toUint8Array(e);
}

/** Sync step 2 carrying `update` (a whole state as one Yjs update, e.g. merged in a worker) without a Y.Doc. */
export function syncStep2FromUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(e);
}
