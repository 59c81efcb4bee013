/**
 * A document's whole state cut into pieces small enough to cross a link one `doc.update` each (the
 * documents' baseline, baseline.ts). A 3 MB note's state does not fit a link frame (1 MB) at all, and a
 * piece over the receiver's `trialAboveBytes` (32 KB by default) would make the replica load the whole
 * document for a trial of each one. So the state is cut into slices (collab/slices.ts: causally ordered,
 * each complete in itself, applied in order to an empty document they give the state) and consecutive
 * slices are merged back up to `maxBytes`. A slice larger than that on its own (one long paste) stays
 * one piece. Runs in the worker pool (`statePiecesTask`): folding and cutting a 3 MB state takes seconds.
 */
import * as Y from 'yjs';
import { sliceUpdate } from '../../collab/slices.js';
import { foldParts } from '../../collab/loadWorker.js';

/** `state` in pieces of at most `maxBytes` each (where a single slice allows), in order. */
export function cutState(state: Uint8Array, maxBytes: number): Uint8Array[] {
  if (state.byteLength <= maxBytes) return [state];
  const out: Uint8Array[] = [];
  let group: Uint8Array[] = [];
  let bytes = 0;
  const emit = () => {
    if (group.length) out.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group));
    group = [];
    bytes = 0;
  };
  for (const slice of sliceUpdate(state)) {
    if (bytes + slice.byteLength > maxBytes) emit();
    group.push(slice);
    bytes += slice.byteLength;
  }
  emit();
  return out;
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
