/**
 * A document's whole state cut into pieces small enough to cross a link one `doc.update` each (the
 * documents' baseline, baseline.ts). A 3 MB note's state does not fit a link frame (1 MB) at all, and a
 * piece over the receiver's `trialAboveBytes` (32 KB by default) would make the replica load the whole
 * document for a trial of each one. So the state is cut into slices of about `maxBytes` (collab/slices.ts:
 * causally ordered, each complete in itself, applied in order to an empty document they give the state).
 * A struct larger than that on its own (one long paste) stays one piece. Runs in the worker pool (`statePiecesTask`): folding and cutting a 3 MB state takes seconds.
 */
import { sliceUpdate } from '../../collab/slices.js';
import { foldParts } from '../../collab/loadWorker.js';

/** Encoded bytes a struct can take beyond its content (client ids, clocks, origins), at most roughly. */
const STRUCT_OVERHEAD = 40;
/** Encoded bytes a delete-set range can take, at most roughly. */
const RANGE_BYTES = 20;

/**
 * `state` in pieces of at most `maxBytes` each (where a single struct allows), in order; `known`: the
 * receiver's state vector when `state` is a diff against it (a doc.sync answer, sync.ts). The slices are
 * cut to that size directly: merging small slices back with Y.mergeUpdates lost structs when several
 * clients' items were interleaved (pieces.test.ts: the rebuilt document had pending structs).
 */
export function cutState(state: Uint8Array, maxBytes: number, known?: ReadonlyMap<number, number>): Uint8Array[] {
  if (state.byteLength <= maxBytes) return [state];
  const limits = {
    // Three quarters of the piece for content, a quarter for the structs' own bytes.
    bytes: Math.max(512, Math.floor((maxBytes * 3) / 4)),
    structs: Math.max(16, Math.floor(maxBytes / 4 / STRUCT_OVERHEAD)),
    deleteRanges: Math.max(16, Math.floor(maxBytes / RANGE_BYTES)),
  };
  return sliceUpdate(state, limits, known);
}

export interface PiecesInput {
  /** The stored rows (snapshot, then the log). */
  parts: Uint8Array[];
  maxBytes: number;
}

export interface PiecesOutput {
  /** The pieces end to end in one buffer (one copy back to the main thread). */
  packed: Uint8Array;
  /** Where each piece ends in `packed`. */
  ends: Uint32Array;
}

/** Worker task: the stored rows folded into one state, cut into pieces. */
export function statePiecesTask({ parts, maxBytes }: PiecesInput): PiecesOutput {
  return pack(cutState(foldParts(parts), maxBytes));
}

export function pack(pieces: readonly Uint8Array[]): PiecesOutput {
  const ends = new Uint32Array(pieces.length);
  let at = 0;
  for (let i = 0; i < pieces.length; i++) ends[i] = at += pieces[i]!.byteLength;
  const packed = new Uint8Array(at);
  for (let i = 0; i < pieces.length; i++) packed.set(pieces[i]!, ends[i]! - pieces[i]!.byteLength);
  return { packed, ends };
}
