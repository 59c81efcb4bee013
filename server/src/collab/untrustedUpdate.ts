/**
 * Applying a Yjs update from a client without letting its bytes hurt anyone else. Decoding first
 * reads every struct and delete set, so malformed bytes throw before the live document is touched;
 * the apply itself is guarded too (integration can still throw on crafted input). Updates whose
 * dependencies never arrive stay in the document's pending store and would be handed to every client
 * in sync step 2; past `maxPendingBytes` they are dropped and the sender is reported.
 */
import * as Y from 'yjs';

export type UntrustedResult = 'applied' | 'malformed' | 'failed' | 'pending-overflow';

export function applyUntrusted(doc: Y.Doc, update: Uint8Array, origin: unknown, maxPendingBytes: number): UntrustedResult {
  try {
    Y.decodeUpdate(update);
  } catch {
    return 'malformed';
  }
  try {
    Y.applyUpdate(doc, update, origin);
  } catch {
    return 'failed';
  }
  const store = doc.store;
  const pending = (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
  if (pending > maxPendingBytes) {
    store.pendingStructs = null;
    store.pendingDs = null;
    return 'pending-overflow';
  }
  return 'applied';
}
