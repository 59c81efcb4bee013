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
 * Clients holding something (y-websocket sends its state vector when it reconnects) get an answer kept
 * per state vector, which for a large document follows later changes the same way (syncAnswerFrames).
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
    ({ merged: s.merged, frame: s.tailFrame } = mergeTail(s.merged, s.pending));
    s.pending = [];
  }
  // The changes first: a Yjs client keeps them pending until the snapshot they build on arrives, so
  // it is whole when its step 2 is applied (y-websocket reports "synced" then).
  return [s.tailFrame, s.base];
}

/** Changes already merged (`previous`) and those applied since, merged into one update, and framed as a sync update. */
function mergeTail(previous: Uint8Array | undefined, since: Uint8Array[]): { merged: Uint8Array; frame: Buffer } {
  const merged = Y.mergeUpdates(previous ? [previous, ...since] : since);
  return { merged, frame: binaryFrame(updateMessage(merged)) };
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

/**
 * A kept answer to clients holding one state vector: its sync step 2 at one moment (`at`, a position in
 * the document's tail of changes) and, built once per change and shared, the changes since merged.
 */
interface Answer {
  frame: Buffer;
  at: number;
  merged: Uint8Array | undefined;
  mergedUpTo: number;
  tailFrame: Buffer | undefined;
}

/** The answers kept for one document, and the changes applied since the first of them. */
interface Answers {
  frames: Map<string, Answer>;
  bytes: number;
  tail: Uint8Array[];
  tailBytes: number;
  listener: (update: Uint8Array) => void;
}

const answers = new WeakMap<LiveDocument, Answers>();
/** Kept at once: a few distinct state vectors, a few MB in all (far-behind clients get big answers). */
const MAX_ANSWERS = 16;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/**
 * The changes sent before a kept answer stay few and small: a client on a bad network should not get
 * much more than a fresh answer would hold, and merging them must cost far less than an encode.
 */
const MAX_ANSWER_TAIL_BYTES = 64 * 1024;

/**
 * Sync step 2 for a client with state (y-websocket reconnects with its state vector), framed. Clients
 * of one room dropped together come back with the same state vector; the first one's answer is kept
 * for the others. Encoding even a small diff of a large document walks all of it (Yjs writes the whole
 * delete set: 10 ms for the bench's note of 260,000 edits), so this is per-socket work worth sharing,
 * and with a writer at 10 edits/s a kept answer that a change ended was a fresh encode per reconnect.
 * So, for a large document, a kept answer outlives changes as the snapshot does: the changes since it
 * (merged once per change) are sent first, and the client is whole when the answer's step 2 arrives.
 * A small document (cheap to encode) keeps its answers only until its next change, and keeps no tail.
 */
export function syncAnswerFrames(live: LiveDocument, stateVector: Uint8Array): Buffer[] {
  const kept = answers.get(live) ?? keepAnswers(live);
  const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1');
  const answer = kept.frames.get(key);
  if (!answer) return [answerNow(live, kept, key, stateVector)];
  const { tail } = kept;
  if (answer.at === tail.length) return [answer.frame];
  if (!answer.tailFrame || answer.mergedUpTo < tail.length) {
    // Merged incrementally: each change is merged in once per kept answer, however many clients ask.
    ({ merged: answer.merged, frame: answer.tailFrame } = mergeTail(answer.merged, tail.slice(answer.mergedUpTo)));
    answer.mergedUpTo = tail.length;
  }
  return [answer.tailFrame, answer.frame];
}

/** Encodes the answer for the document as it is now, and keeps it when there is room. */
function answerNow(live: LiveDocument, kept: Answers, key: string, stateVector: Uint8Array): Buffer {
  const frame = binaryFrame(syncStep2Message(live.doc, stateVector));
  if (kept.frames.size >= MAX_ANSWERS || kept.bytes + frame.byteLength > MAX_ANSWER_BYTES) return frame;
  // Its own memory, not a slice of Node's shared 8 KB pool (which a kept slice would hold whole).
  const own = Buffer.allocUnsafeSlow(frame.byteLength);
  frame.copy(own);
  const at = kept.tail.length;
  kept.frames.set(key, { frame: own, at, merged: undefined, mergedUpTo: at, tailFrame: undefined });
  kept.bytes += own.byteLength;
  return own;
}

/** Starts keeping answers for the document; they follow its changes until the tail grows too long. */
function keepAnswers(live: LiveDocument): Answers {
  // Small documents: the next change ends the kept answers (no tail).
  const maxTail = live.storedBytes > SNAPSHOT_ABOVE_BYTES ? MAX_TAIL_UPDATES : 0;
  const kept: Answers = {
    frames: new Map(),
    bytes: 0,
    tail: [],
    tailBytes: 0,
    // Every update, whatever its origin (a client here, another node): an answer must hold all of them.
    listener: (update: Uint8Array) => {
      kept.tail.push(update);
      kept.tailBytes += update.byteLength;
      if (kept.tail.length > maxTail || kept.tailBytes > MAX_ANSWER_TAIL_BYTES) {
        live.doc.off('update', kept.listener);
        if (answers.get(live) === kept) answers.delete(live);
      }
    },
  };
  live.doc.on('update', kept.listener);
  answers.set(live, kept);
  return kept;
}
