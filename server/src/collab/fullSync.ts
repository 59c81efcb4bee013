/**
 * Sync answers for clients with an empty state vector during a reconnect storm while the document keeps
 * changing (issue 21). LiveDocument caches the whole state as one framed sync step 2, but drops it on
 * every change; in a room with a writer at 10 edits/s and a hundred clients reconnecting, nearly every
 * reconnect then re-encoded the whole document (160 ms for a 3.4 MB note of scattered edits).
 *
 * Here a document keeps a snapshot: the framed step 2 of its state at one moment (the base, shared by
 * every client) and the updates applied since (the tail). A client with nothing gets the base and
 * the tail merged into one sync update, sent before the base (a Yjs client holds those changes as
 * pending until the base arrives, so it is whole when its step 2 is applied): the same state, two
 * frames, no encode of the document. The
 * merged tail is built once per change and shared too. When the tail grows past a share of the base
 * (or too many updates), the snapshot is dropped and the next client takes a fresh one, so merging
 * the tail never costs more than a fraction of encoding the document, and memory stays bounded.
 *
 * Call only when every applied update is committed (MessageReceiver waits for `whenPersisted()`), as
 * for any sync answer: the base and every tail update are then stored.
 */
import * as Y from 'yjs';
import type { LiveDocument } from './LiveDocument.js';
import { binaryFrame } from './wsFrame.js';
import { syncStep2Message, updateMessage } from './messages.js';

/** A tail larger than this share of the base (or longer than MAX_TAIL_UPDATES) ends the snapshot. */
const MAX_TAIL_SHARE = 0.25;
const MAX_TAIL_UPDATES = 256;
/**
 * Below this a document is cheap to encode (well under a millisecond): LiveDocument's own frame,
 * re-encoded after each change, is the answer, and nothing more is kept per document.
 */
const SNAPSHOT_ABOVE_BYTES = 64 * 1024;

interface Snapshot {
  /** Framed sync step 2 of the state when the snapshot was taken (LiveDocument's cached frame). */
  base: Buffer;
  /** The updates applied since, merged as far as a client asked for them ... */
  merged: Uint8Array | undefined;
  /** ... and those applied after that merge, in order. */
  pending: Uint8Array[];
  tailUpdates: number;
  tailBytes: number;
  /** The whole tail merged into one framed sync update; undefined after a change until asked for again. */
  tailFrame: Buffer | undefined;
  listener: (update: Uint8Array) => void;
}

const snapshots = new WeakMap<LiveDocument, Snapshot>();

/** The frames that bring a client with an empty state vector to the document's current state. */
export function fullSyncFrames(live: LiveDocument): Buffer[] {
  const s = snapshots.get(live);
  if (!s) {
    const frame = live.fullSyncFrame();
    // A fresh snapshot is the current state: its base alone is the answer.
    if (frame.byteLength > SNAPSHOT_ABOVE_BYTES) follow(live, frame);
    return [frame];
  }
  if (!s.tailUpdates) return [s.base];
  if (!s.tailFrame) {
    // Merged incrementally: each change is merged in once, however many clients ask.
    s.merged = Y.mergeUpdates(s.merged ? [s.merged, ...s.pending] : s.pending);
    s.pending = [];
    s.tailFrame = binaryFrame(updateMessage(s.merged));
  }
  // The changes first: a Yjs client keeps them pending until the snapshot they build on arrives, so
  // it is whole when its step 2 is applied (y-websocket reports "synced" then).
  return [s.tailFrame, s.base];
}

/** Starts a snapshot of the document as it is now (`base`); it follows every later update until dropped. */
function follow(live: LiveDocument, base: Buffer): void {
  const limit = base.byteLength * MAX_TAIL_SHARE;
  // Every update, whatever its origin (a client here, another node): the answer must be the whole state.
  const s: Snapshot = {
    base,
    merged: undefined,
    pending: [],
    tailUpdates: 0,
    tailBytes: 0,
    tailFrame: undefined,
    listener: (update: Uint8Array) => {
      s.pending.push(update);
      s.tailUpdates++;
      s.tailBytes += update.byteLength;
      s.tailFrame = undefined;
      if (s.tailBytes > limit || s.tailUpdates > MAX_TAIL_UPDATES) drop(live, s);
    },
  };
  live.doc.on('update', s.listener);
  snapshots.set(live, s);
}

/** The next client with nothing takes a fresh snapshot (one encode of the document). */
function drop(live: LiveDocument, s: Snapshot): void {
  live.doc.off('update', s.listener);
  if (snapshots.get(live) === s) snapshots.delete(live);
}

/** Answers to clients that have something, per state vector, for the document's current version. */
const answers = new WeakMap<LiveDocument, { frames: Map<string, Buffer>; bytes: number }>();
/** Kept per version: a few distinct state vectors, a few MB in all (far-behind clients get big answers). */
const MAX_ANSWERS = 16;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Sync step 2 for a client with state (y-websocket reconnects with its state vector), framed. Clients
 * of one room dropped together come back with the same state vector; the first one's answer is kept
 * for the others until the document changes. Encoding even a small diff of a large document walks all
 * of it (Yjs writes the whole delete set), so this is per-socket work worth sharing.
 */
export function syncAnswerFrame(live: LiveDocument, stateVector: Uint8Array): Buffer {
  let version = answers.get(live);
  if (!version) {
    const fresh = { frames: new Map<string, Buffer>(), bytes: 0 };
    answers.set(live, fresh);
    // The next change ends this version: its answers would miss it.
    live.doc.once('update', () => {
      if (answers.get(live) === fresh) answers.delete(live);
    });
    version = fresh;
  }
  const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1');
  let frame = version.frames.get(key);
  if (!frame) {
    frame = binaryFrame(syncStep2Message(live.doc, stateVector));
    if (version.frames.size < MAX_ANSWERS && version.bytes + frame.byteLength <= MAX_ANSWER_BYTES) {
      // Its own memory, not a slice of Node's shared 8 KB pool (which a kept slice would hold whole).
      const kept = Buffer.allocUnsafeSlow(frame.byteLength);
      frame.copy(kept);
      version.frames.set(key, kept);
      version.bytes += kept.byteLength;
      frame = kept;
    }
  }
  return frame;
}
