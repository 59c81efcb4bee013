/**
 * The worker side of loading and compacting large documents (persistence.ts), in a thread of the
 * node's pool, so the seconds a 3 MB note of scattered edits takes to decode never stop the main
 * thread. `loadTask` merges the stored rows into one state (the answer to a client that has nothing)
 * and cuts it into slices (slices.ts) that the main thread applies a few at a time. `compactTask`
 * folds the rows the way compactDoc always did: into a fresh Y.Doc, encoded again.
 *
 * Only stored rows come here (the node's own database), never a client's bytes: the trial of large
 * client updates is trial.ts' and is not changed by this file.
 */
import * as Y from 'yjs';
import { sliceUpdate } from './slices.js';

export interface LoadInput {
  /** The snapshot (if any) then the log rows, in order. */
  parts: Uint8Array[];
}

export interface LoadOutput {
  /** The whole stored state as one update. */
  state: Uint8Array;
  /** The slices, end to end in one buffer (one copy back to the main thread, not thousands). */
  packed: Uint8Array;
  /** Where each slice ends in `packed`. */
  ends: Uint32Array;
}

export function loadTask({ parts }: LoadInput): LoadOutput {
  const state = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  const slices = sliceUpdate(state);
  const ends = new Uint32Array(slices.length);
  let at = 0;
  for (let i = 0; i < slices.length; i++) ends[i] = at += slices[i]!.byteLength;
  const packed = new Uint8Array(at);
  for (let i = 0; i < slices.length; i++) packed.set(slices[i]!, ends[i]! - slices[i]!.byteLength);
  return { state, packed, ends };
}

/** The slices of a `loadTask` output, as views into its one buffer. */
export function unpackSlices({ packed, ends }: Pick<LoadOutput, 'packed' | 'ends'>): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const end of ends) {
    out.push(packed.subarray(from, end));
    from = end;
  }
  return out;
}

export function compactTask({ parts }: LoadInput): Uint8Array {
  return foldParts(parts);
}

export interface CatchUpInput extends LoadInput {
  /** The open document's state vector. */
  stateVector: Uint8Array;
}

export interface CatchUpOutput {
  /** The whole stored state (what other nodes are sent). */
  state: Uint8Array;
  /** What of it the open document lacks (its structs, and the stored delete set whole). */
  missing: Uint8Array;
}

/**
 * The catch-up of an open document after a Redis outage (Documents.catchUpAll): the stored rows
 * folded, and the part of them the document does not hold yet. Applying the whole stored state to a
 * document that already holds it costs Yjs seconds: 2.1 to 2.5 s of CPU for the 2.74 MB realistic
 * note, every struct decoded only to be skipped; the difference computed here is usually empty.
 */
export function catchUpTask({ parts, stateVector }: CatchUpInput): CatchUpOutput {
  const state = foldParts(parts);
  return { state, missing: Y.diffUpdate(state, stateVector) };
}

/**
 * What of a large update from another node (through Redis: after its outage, the whole stored state of
 * a document) the open document (`stateVector`) lacks: its one part, diffed without a document.
 */
export function missingTask({ parts, stateVector }: CatchUpInput): Uint8Array {
  return Y.diffUpdate(parts[0]!, stateVector);
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
