/**
 * One open document: the Y.Doc, its awareness, its connections, and the rule that makes it durable:
 * an update is relayed only after the UpdateLog committed it. `whenPersisted()` lets a sync answer
 * wait until the in-memory state equals the stored one, so no client ever receives an update a crash
 * could lose. If storage fails, the document is dropped from memory and its clients reconnect and
 * resend (they still hold their edits), rather than be told something was saved that was not.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../log.js';
import type { Db } from '../storage/db.js';
import { CLOSE_CODES } from '@huntroom/shared';
import type { CollabOptions } from './options.js';
import type { DocMeta } from './store.js';
import type { UpdateLog } from './UpdateLog.js';
import type { LoadedDoc, OffThread } from './persistence.js';
import { applySlices, compactDoc, inWorker } from './persistence.js';
import type { UntrustedResult } from './untrustedUpdate.js';
import type { WorkerPool } from '../workers/pool.js';
import { awarenessMessage, syncStep2FromUpdate, syncStep2Message, updateMessage } from './messages.js';
import { binaryFrame } from './wsFrame.js';
import { REMOTE, type RedisFanout } from './redisFanout.js';
import { writeGuardFor, type WriteGuard } from './writeGuard.js';
import { vetRemoteAwareness } from './presence.js';

/** A state vector naming no client: the client has nothing yet. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** What a document needs from the connection that sends to it. */
export interface DocPeer {
  send(message: Uint8Array): void;
  /** A whole websocket frame (wsFrame.ts) built once for every peer of the document. */
  sendFrame(frame: Buffer): void;
  close(code: number, reason: string): void;
  /** Awareness client ids this peer set, removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

export interface DocHost {
  db: Db;
  updateLog: UpdateLog;
  options: CollabOptions;
  log: Logger;
  /** Called when the document can no longer be trusted in memory (storage failed). */
  evict(doc: LiveDocument): void;
  /** Cross-node fan-out, when REDIS_URL is set. */
  fanout?: RedisFanout | undefined;
  /** The node's worker pool: large documents are loaded and compacted there (persistence.ts). */
  workers?: WorkerPool | undefined;
}

/** Where a host's large documents are decoded, if it has a pool. */
export const offThread = (host: Omit<DocHost, 'evict'>): OffThread | undefined =>
  host.workers ? { workers: host.workers, aboveBytes: host.options.offThreadAboveBytes, log: host.log } : undefined;

/** The origin of a large update's slices (`integrateSliced`): kept here, stored and relayed at the end. */
class Sliced {
  readonly parts: Uint8Array[] = [];
}

/** A place in `stateParts`, for `rebaseState`. */
export interface PartsMark {
  /** Which base the parts had (-1: none was kept). */
  epoch: number;
  count: number;
  /** Changes applied so far, other than large updates' slices. */
  version: number;
}

export class LiveDocument {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<DocPeer>();
  /** The kind's write rules beyond the role (writeGuard.ts), checked before an update is applied. */
  readonly guard: WriteGuard | undefined;
  /** Bytes stored (snapshot + log) plus what was appended since: the document-size limit's measure. */
  storedBytes: number;
  private rowsSinceCompact: number;
  private unpersisted = 0;
  private tail: Promise<void> = Promise.resolve();
  private compacting = false;
  private failed = false;
  /** The whole state as a framed sync step 2, for clients that have nothing; dropped on every change. */
  private fullSync: Buffer | undefined;
  /**
   * A large document as updates whose union is its state, for the trial of large updates (trial.ts):
   * the worker builds its copy from them, and the main thread does not encode the document each time
   * (over a second for a 3 MB note of scattered edits). Kept for large documents only (loaded off the
   * main thread, or after a trial); every change is added; dropped once the additions outgrow the base.
   */
  private parts: Uint8Array[] | undefined;
  private partsBytes = 0;
  private partsBaseBytes = 0;
  private partsEpoch = 0;
  private version = 0;
  /** Every change, for knowing whether a full state built off the main thread is still current. */
  private changes = 0;
  /** Large updates being applied in slices, one after the other; sync answers wait for them. */
  private slicing: Promise<void> = Promise.resolve();
  private slicingCount = 0;
  private destroyed = false;

  constructor(
    readonly meta: DocMeta,
    loaded: LoadedDoc,
    private readonly host: DocHost,
  ) {
    this.doc = loaded.doc;
    this.storedBytes = loaded.storedBytes;
    this.rowsSinceCompact = loaded.logRows;
    // Loaded off the main thread: the merged stored bytes are the whole state, so the first clients
    // with nothing get them without the main thread encoding the document (seconds for a large one).
    if (loaded.state) {
      this.fullSync = keptFrame(binaryFrame(syncStep2FromUpdate(loaded.state)));
      this.setParts(loaded.state);
    }
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.guard = writeGuardFor(meta, this.doc);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin));
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => this.onAwareness(change, origin));
  }

  get id(): string {
    return this.meta.id;
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    this.fullSync = undefined;
    if (this.failed) return;
    this.addPart(update);
    this.changes++;
    if (origin instanceof Sliced) return void origin.parts.push(update);
    this.version++;
    if (origin === REMOTE) {
      // Another node stored it before publishing it: relay only.
      const frame = binaryFrame(updateMessage(update));
      for (const peer of this.peers) peer.sendFrame(frame);
      return;
    }
    this.persist(update, origin);
  }

  /** Stores `update`, then relays it to every peer but `origin` and to other nodes. */
  private persist(update: Uint8Array, origin: unknown): void {
    this.unpersisted++;
    this.storedBytes += update.byteLength;
    this.rowsSinceCompact++;
    // The author travels with the update to peer instances (federation/documents), who authorize it.
    const written = this.host.updateLog.append(this.id, update, (origin as { account?: { id?: string } } | null)?.account?.id);
    // Framed once here; every peer gets the same bytes.
    const frame = binaryFrame(updateMessage(update));
    this.tail = this.tail
      .then(() => written)
      .then(
        () => {
          this.unpersisted--;
          for (const peer of this.peers) if (peer !== origin) peer.sendFrame(frame);
          this.host.fanout?.publishUpdate(this.id, update);
          this.maybeCompact();
        },
        (err: unknown) => this.fail(err),
      );
  }

  private onAwareness({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    const peer = origin as DocPeer | undefined;
    if (peer && this.peers.has(peer)) {
      for (const id of added) peer.awarenessIds.add(id);
      for (const id of removed) peer.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (!changed.length) return;
    // To every peer, the sender included: y-websocket clients treat 30 s of silence as a dead link,
    // and a lone client's own awareness echo is what keeps it from reconnecting in a loop.
    const frame = binaryFrame(awarenessMessage(this.awareness, changed));
    for (const p of this.peers) p.sendFrame(frame);
    const tap = this.host.updateLog.tap?.carriesPresence() ? this.host.updateLog.tap : undefined;
    if (origin !== REMOTE && (this.host.fanout || tap)) {
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.host.fanout?.publishAwareness(this.id, update);
      tap?.awareness(this.id, update);
    }
  }

  /** Changes from another node (already stored there). */
  applyRemote(kind: 'update' | 'awareness', data: Uint8Array): void {
    if (kind === 'update') return Y.applyUpdate(this.doc, data, REMOTE);
    // Never over a client id one of this node's connections holds for another account (presence.ts).
    const kept = vetRemoteAwareness(this, data);
    if (kept) awarenessProtocol.applyAwarenessUpdate(this.awareness, kept, REMOTE);
  }

  /**
   * Resolves when every update applied so far is committed, and no large update is half applied
   * (`integrateSliced`); state then equals storage.
   */
  async whenPersisted(): Promise<void> {
    while ((this.unpersisted > 0 || this.slicingCount > 0) && !this.failed) await (this.slicingCount > 0 ? this.slicing : this.tail);
  }

  /**
   * Applies a large update that passed its trial, as `slices` (slices.ts), a few milliseconds per turn
   * of the event loop, after the large updates already in progress. What Yjs integrated is stored and
   * then relayed at the end, as one update would be (in one transaction, in order); until then sync
   * answers wait, so no client is ever sent the half-applied state. Updates of other clients that
   * arrive meanwhile are applied, stored and relayed as usual. Resolves with the outcome and the
   * main-thread milliseconds it took (the sender's CPU budget).
   */
  integrateSliced(slices: readonly Uint8Array[], peer: DocPeer, maxPendingBytes: number): Promise<{ result: UntrustedResult; ms: number }> {
    this.slicingCount++;
    const run = this.slicing.then(async () => {
      const origin = new Sliced();
      let result: UntrustedResult = 'applied';
      let ms = 0;
      try {
        ms = await applySlices(this.doc, slices, origin, undefined, () => this.failed || this.destroyed);
      } catch {
        // As with an update applied whole: what Yjs integrated before it threw is kept (below).
        result = 'failed';
      }
      const store = this.doc.store;
      const pending = (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
      if (result === 'applied' && pending > maxPendingBytes) {
        store.pendingStructs = null;
        store.pendingDs = null;
        result = 'pending-overflow';
      }
      // Stored, then relayed: appended in this one turn, so committed in one transaction, in order.
      if (!this.failed) for (const part of origin.parts) this.persist(part, peer);
      return { result, ms };
    });
    this.slicing = run.then(
      () => undefined,
      () => undefined,
    );
    void this.slicing.then(() => this.slicingCount--);
    return run;
  }

  /**
   * The document as updates whose union is its state, for a trial's copy (trial.ts), and the place to
   * give `rebaseState`. Encodes the document here only when no parts are kept (a small document, or
   * the parts were dropped); a large one keeps the result.
   */
  stateParts(): { parts: Uint8Array[]; mark: PartsMark } {
    if (!this.parts) {
      const state = Y.encodeStateAsUpdate(this.doc);
      if (state.byteLength <= this.host.options.offThreadAboveBytes) return { parts: [state], mark: { epoch: -1, count: 0, version: this.version } };
      this.setParts(state);
    }
    return { parts: [...this.parts!], mark: { epoch: this.partsEpoch, count: this.parts!.length, version: this.version } };
  }

  /** A trial's copy with its update (`state`) replaces the parts it was built from (`mark`). */
  rebaseState(state: Uint8Array, mark: PartsMark): void {
    if (!this.parts) {
      // A small document that this update made large: `state` is all of it if nothing else changed.
      if (mark.epoch === -1 && mark.version === this.version && state.byteLength > this.host.options.offThreadAboveBytes) this.setParts(state);
      return;
    }
    if (mark.epoch !== this.partsEpoch) return;
    const since = this.parts.slice(mark.count);
    this.setParts(state);
    for (const p of since) this.addPart(p);
  }

  private setParts(base: Uint8Array): void {
    this.parts = [base];
    this.partsBytes = 0;
    this.partsBaseBytes = base.byteLength;
    this.partsEpoch++;
  }

  private addPart(update: Uint8Array): void {
    if (!this.parts) return;
    this.parts.push(update);
    this.partsBytes += update.byteLength;
    // Past this, the next trial encodes the document once more and starts from that.
    if (this.parts.length > 4_096 || this.partsBytes > this.partsBaseBytes + 4 * 1024 * 1024) this.parts = undefined;
  }

  /**
   * Sync step 2 for a client with an empty state vector (a new tab, or every client of a reconnect
   * storm), as one frame: encoded once per version of the document and reused until the next change.
   * Call only after `whenPersisted()`, like any sync answer.
   */
  fullSyncFrame(): Buffer {
    if (!this.fullSync) {
      this.fullSync = keptFrame(binaryFrame(syncStep2Message(this.doc, EMPTY_STATE_VECTOR)));
    }
    return this.fullSync;
  }

  /**
   * `fullSyncFrame` without encoding a large document on the main thread: when its state is kept in
   * parts, they are merged in the worker pool (a client reconnecting with nothing during an upload
   * would otherwise stop the node for the encode: 0.4 s of CPU for the realistic note). The frame is
   * kept if nothing changed meanwhile. Call only after `whenPersisted()`, like any sync answer; the
   * peer receives every later change as an update, so an answer from this moment is complete.
   */
  async fullSyncFrameOffThread(): Promise<Buffer> {
    const off = offThread(this.host);
    if (this.fullSync || !this.parts || !off) return this.fullSyncFrame();
    const changes = this.changes;
    const state = await inWorker<Uint8Array>(off, 'mergeTask', [...this.parts]);
    if (!state) return this.fullSyncFrame();
    const frame = keptFrame(binaryFrame(syncStep2FromUpdate(state)));
    if (changes === this.changes && !this.destroyed) this.fullSync = frame;
    return frame;
  }

  /** Every update applied so far is committed, now (a sync answer built at this moment is safe). */
  get isPersisted(): boolean {
    return this.unpersisted === 0 && this.slicingCount === 0;
  }

  get isFailed(): boolean {
    return this.failed;
  }

  addPeer(peer: DocPeer): void {
    this.peers.add(peer);
  }

  removePeer(peer: DocPeer): void {
    if (!this.peers.delete(peer)) return;
    if (peer.awarenessIds.size) awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  closeAll(code: number, reason: string): void {
    for (const p of [...this.peers]) p.close(code, reason);
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.host.log.error({ err, docId: this.id }, 'could not persist a document update; dropping the document from memory');
    this.closeAll(CLOSE_CODES.internalError, 'could not save; reconnecting');
    this.host.evict(this);
  }

  private maybeCompact(): void {
    if (this.compacting || this.rowsSinceCompact < this.host.options.compactAfterUpdates) return;
    this.compacting = true;
    setImmediate(() => void this.compact().finally(() => (this.compacting = false)));
  }

  /** Folds the stored log into a snapshot (from storage, not from memory; see persistence.ts). */
  async compact(): Promise<void> {
    const before = this.storedBytes;
    const rows = this.rowsSinceCompact;
    try {
      const size = await compactDoc(this.host.db, this.id, offThread(this.host));
      if (size === undefined) return;
      // Updates appended while folding are still in the log, and in storedBytes' growth since.
      this.storedBytes = size + (this.storedBytes - before);
      this.rowsSinceCompact -= rows;
    } catch (err) {
      this.host.log.warn({ err, docId: this.id }, 'compaction failed; the log stays as it is');
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.fullSync = undefined;
    this.parts = undefined;
    this.guard?.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/**
 * A frame kept while the document is open: in memory of its own, not a slice of Node's shared 8 KB
 * Buffer pool, which one small kept frame per document would hold whole (thousands of them).
 */
function keptFrame(frame: Buffer): Buffer {
  const kept = Buffer.allocUnsafeSlow(frame.byteLength);
  frame.copy(kept);
  return kept;
}
