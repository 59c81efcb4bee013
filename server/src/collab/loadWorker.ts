/**
 * The worker side of loading and compacting large documents (persistence.ts), in a thread of the
 * node's pool, so the seconds a 3 MB note of scattered edits takes to decode never stop the main
 * thread. `loadTask` merges the stored rows into one state (the answer to a client that has nothing)
 * and cuts it into slices (slices.ts) that the main thread applies a few at a time. `compactTask`
 * folds the rows the way compactDoc always did: into a fresh Y.Doc, encoded again.
 */
import * as Y from 'yjs';
import { sliceUpdate } from './slices.js';

export interface LoadInput {
  /** The snapshot (if any) then the log rows, in order. */
  parts: Uint8Array[];
}

export interface LoadOutput {
  state: Uint8Array;
  slices: Uint8Array[];
}

export function loadTask({ parts }: LoadInput): LoadOutput {
  const state = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  return { state, slices: sliceUpdate(state) };
}

/** The parts as one update: the whole state for a client that has nothing (LiveDocument.fullSyncFrameOffThread). */
export function mergeTask({ parts }: LoadInput): Uint8Array {
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}

export function compactTask({ parts }: LoadInput): Uint8Array {
  return foldParts(parts);
}

/** The parts applied to a fresh Y.Doc in one transaction, encoded again. */
export function foldParts(parts: readonly Uint8Array[]): Uint8Array {
  const scratch = new Y.Doc({ gc: true });
  scratch.transact(() => {
    for (const p of parts) Y.applyUpdate(scratch, p);
  });
  const data = Y.encodeStateAsUpdate(scratch);
  scratch.destroy();
  return data;
}
