/**
 * One open document: the Y.Doc, its awareness, its connections, and the rule that makes it durable:
 * an update is relayed only after the UpdateLog made it durable (committed it, or on SQLite wrote it
 * to the update journal, whose records the database stores before anything reads it). `whenPersisted()`
 * lets a sync answer wait until the in-memory state equals the durable one, so no client ever receives
 * an update a crash could lose. If storage fails, the document is dropped from memory and its clients
 * reconnect and resend (they still hold their edits), rather than be told something was saved that was not.
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
import { compactDoc } from './persistence.js';
import type { WorkerPool } from '../workers/pool.js';
import { awarenessMessage, syncStep2FromUpdate, syncStep2Message, updateMessage } from './messages.js';
import { binaryFrame } from './wsFrame.js';
import { sendToAll, type FrameTarget } from './directWrite.js';
import { REMOTE, type RedisFanout } from './redisFanout.js';
import { writeGuardFor, type WriteGuard } from './writeGuard.js';
import { vetRemoteAwareness } from './presence.js';

/** A state vector naming no client: the client has nothing yet. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** What a document needs from the connection that sends to it. */
export interface DocPeer extends FrameTarget {
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

/** Changes kept after an off-thread load (`LiveDocument.base`) at least, however small the state. */
const MIN_KEPT_CHANGES_BYTES = 1024 * 1024;

/** Where a host's large documents are decoded, if it has a pool. */
export const offThread = (host: Omit<DocHost, 'evict'>): OffThread | undefined => (host.workers ? { workers: host.workers, log: host.log } : undefined);

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
   * Loaded off the main thread: the stored state as a framed sync step 2 and every change applied
   * since, so the answer to a client with nothing is that frame followed by the changes as update
   * messages, not an encode of the whole document on the main thread (over a second for a 3 MB note
   * of scattered edits on a busy machine). Dropped once the changes outgrow the state.
   */
  private base: { frame: Buffer; since: Uint8Array[]; bytes: number } | undefined;
  /**
   * This node's updates in the order applied, each with its frame and the peer it came from, until
   * they are committed and written to the peers (deliver). Updates committed together (one UpdateLog
   * transaction) go to each socket in one write.
   */
  private outbox: { frame: Buffer; origin: unknown; committed: boolean }[] = [];
  private deliveryQueued = false;

  constructor(
    readonly meta: DocMeta,
    loaded: LoadedDoc,
    private readonly host: DocHost,
  ) {
    this.doc = loaded.doc;
    this.storedBytes = loaded.storedBytes;
    this.rowsSinceCompact = loaded.logRows;
    // Loaded off the main thread: the merged stored bytes are the whole state, so the first clients
    // with nothing get them without the main thread encoding the document (a second for a large one).
    if (loaded.state) {
      this.fullSync = keptFrame(binaryFrame(syncStep2FromUpdate(loaded.state)));
      this.base = { frame: this.fullSync, since: [], bytes: 0 };
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
    if (this.base) {
      this.base.since.push(update);
      this.base.bytes += update.byteLength;
      if (this.base.bytes > Math.max(this.base.frame.byteLength, MIN_KEPT_CHANGES_BYTES)) this.base = undefined;
    }
    if (origin === REMOTE) {
      // Another node stored it before publishing it: relay only.
      sendToAll(this.peers, binaryFrame(updateMessage(update)));
      return;
    }
    this.unpersisted++;
    this.storedBytes += update.byteLength;
    this.rowsSinceCompact++;
    // Framed once here; every peer gets the same bytes.
    const entry = { frame: binaryFrame(updateMessage(update)), origin, committed: false };
    this.outbox.push(entry);
    // The author travels with the update to peer instances (federation/documents), who authorize it.
    const author = (origin as { account?: { id?: string } } | null)?.account?.id;
    const written = this.host.updateLog.append(this.id, update, author, () => this.committed(entry));
    this.tail = this.tail
      .then(() => written)
      .then(
        () => {
          this.unpersisted--;
          this.host.fanout?.publishUpdate(this.id, update);
          this.maybeCompact();
        },
        (err: unknown) => this.fail(err),
      );
  }

  /**
   * Called by the UpdateLog right after the commit, for every update of that transaction in a row:
   * the relay waits for the end of that row (a microtask), so the updates of one commit reach each
   * socket in one write rather than one write each. When updates pile up (a busy core, several
   * writers in a room) that is one system call and one wake-up of the reader per socket per commit.
   */
  private committed(entry: { committed: boolean }): void {
    entry.committed = true;
    if (this.deliveryQueued) return;
    this.deliveryQueued = true;
    queueMicrotask(() => this.deliver());
  }

  /** Writes the committed head of the outbox, in order, to every peer but each update's own sender. */
  private deliver(): void {
    this.deliveryQueued = false;
    if (this.failed) return;
    let n = 0;
    while (n < this.outbox.length && this.outbox[n]!.committed) n++;
    if (!n) return;
    const ready = this.outbox.splice(0, n);
    if (n === 1) {
      const { frame, origin } = ready[0]!;
      sendToAll(this.peers, frame, origin as DocPeer | undefined);
      return;
    }
    // A sender does not get its own updates back: it gets the others' frames, in the same order.
    const origins = new Set(ready.map((e) => e.origin));
    const all = Buffer.concat(ready.map((e) => e.frame));
    sendToAll(this.peers, all, origins);
    const without = new Map<unknown, Buffer | undefined>();
    for (const peer of this.peers) {
      if (!origins.has(peer)) continue;
      let frames = without.get(peer);
      if (!without.has(peer)) {
        const others = ready.filter((e) => e.origin !== peer);
        frames = others.length ? Buffer.concat(others.map((e) => e.frame)) : undefined;
        without.set(peer, frames);
      }
      if (frames) peer.sendFrame(frames);
    }
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
    sendToAll(this.peers, binaryFrame(awarenessMessage(this.awareness, changed)));
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

  /** Resolves when every update applied so far is durable (committed, or in the journal); state then equals storage. */
  async whenPersisted(): Promise<void> {
    while (this.unpersisted > 0 && !this.failed) await this.tail;
  }

  /**
   * Sync step 2 for a client with an empty state vector (a new tab, or every client of a reconnect
   * storm), as one write (one frame, or after an off-thread load the stored state's frame and the
   * changes since): built once per version of the document and reused until the next change.
   * Call only after `whenPersisted()`, like any sync answer.
   */
  fullSyncFrame(): Buffer {
    if (!this.fullSync) {
      if (this.base) {
        // The stored state, then each change since in the order applied: what the client holds once
        // it has read them all is the document now. All of it goes out in one write.
        const frames = [this.base.frame, ...this.base.since.map((u) => binaryFrame(updateMessage(u)))];
        this.fullSync = keptFrame(Buffer.concat(frames));
      } else this.fullSync = keptFrame(binaryFrame(syncStep2Message(this.doc, EMPTY_STATE_VECTOR)));
    }
    return this.fullSync;
  }

  /** Every update applied so far is committed, now (a sync answer built at this moment is safe). */
  get isPersisted(): boolean {
    return this.unpersisted === 0;
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
    this.outbox = [];
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
    this.fullSync = undefined;
    this.base = undefined;
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
