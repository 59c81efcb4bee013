/**
 * The open documents of this node (Hocuspocus.ts's document map): loads each once however many
 * sockets ask at the same time, unloads it `unloadDelayMs` after its last peer left (flushing and
 * compacting first, so memory returns to baseline), and closes them all on shutdown.
 */
import * as Y from 'yjs';
import type { DocMeta } from './store.js';
import { OFF_THREAD_ABOVE_BYTES, loadDoc, missingPart, storedCatchUp } from './persistence.js';
import { LiveDocument, offThread, type DocHost } from './LiveDocument.js';

export class Documents {
  private readonly open = new Map<string, LiveDocument>();
  private readonly loading = new Map<string, Promise<LiveDocument>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly host: Omit<DocHost, 'evict'>) {}

  get size(): number {
    return this.open.size;
  }

  get(docId: string): LiveDocument | undefined {
    return this.open.get(docId);
  }

  /**
   * The document whose load is in progress, once loaded; undefined when none is. Something stored for
   * it just now (an update from a peer instance) may have been read too late by that load: apply it
   * to what this resolves to.
   */
  loadingNow(docId: string): Promise<LiveDocument> | undefined {
    return this.loading.get(docId);
  }

  /** The live document, loading it if needed. The caller must add a peer or call `release`. */
  async acquire(meta: DocMeta): Promise<LiveDocument> {
    this.cancelUnload(meta.id);
    await this.unloading.get(meta.id);
    const live = this.open.get(meta.id);
    if (live) return live;
    let loading = this.loading.get(meta.id);
    if (!loading) {
      loading = this.load(meta).finally(() => this.loading.delete(meta.id));
      this.loading.set(meta.id, loading);
    }
    const doc = await loading;
    this.cancelUnload(meta.id);
    return doc;
  }

  /**
   * Subscribes to other nodes' changes first, then loads from the database, then applies what arrived
   * meanwhile: an update stored by another node between the two cannot be missed.
   */
  private async load(meta: DocMeta): Promise<LiveDocument> {
    const early: ['update' | 'awareness', Uint8Array][] = [];
    let live: LiveDocument | undefined;
    await this.host.fanout?.subscribe(meta.id, {
      update: (u) => (live ? this.applyFromPeer(live, u) : early.push(['update', u])),
      awareness: (u) => live?.applyRemote('awareness', u),
    });
    try {
      const loaded = await loadDoc(this.host.db, meta.id, offThread(this.host));
      live = new LiveDocument(meta, loaded, { ...this.host, evict: (d) => this.evict(d) });
    } catch (err) {
      this.host.fanout?.unsubscribe(meta.id);
      throw err;
    }
    for (const [kind, data] of early) live.applyRemote(kind, data);
    this.open.set(meta.id, live);
    return live;
  }

  /**
   * Another node's update. A large one (after that node's Redis outage: the whole stored state of the
   * document) is first cut down in the worker pool to what this document lacks (persistence.ts,
   * missingPart), so the main thread does not spend seconds skipping what it holds; it is applied a
   * little after updates that arrive meanwhile, which Yjs keeps pending until what they build on is there.
   */
  private applyFromPeer(live: LiveDocument, update: Uint8Array): void {
    if (update.byteLength <= OFF_THREAD_ABOVE_BYTES) return live.applyRemote('update', update);
    missingPart(update, Y.encodeStateVector(live.doc), offThread(this.host)).then(
      // Unloaded meanwhile: nothing to do, the other node stored it before publishing it.
      (missing) => this.open.get(live.id) === live && live.applyRemote('update', missing),
      (err: unknown) => this.host.log.warn({ err, docId: live.id }, 'update from another node not applied'),
    );
  }

  /**
   * After a Redis outage: merge what other nodes stored meanwhile into every open document, and send
   * the stored state out, so nodes that never lost Redis get what this one stored while cut off.
   */
  async catchUpAll(): Promise<void> {
    for (const doc of [...this.open.values()]) {
      try {
        // Only what this node lacks is applied: the whole stored state of a large note, applied to a
        // document that holds it, would take seconds of main-thread CPU (persistence.ts, storedCatchUp).
        const { state, missing } = await storedCatchUp(this.host.db, doc.id, Y.encodeStateVector(doc.doc), offThread(this.host));
        doc.applyRemote('update', missing);
        this.host.fanout?.publishUpdate(doc.id, state);
      } catch (err) {
        this.host.log.warn({ err, docId: doc.id }, 'catch-up after redis outage failed');
      }
    }
  }

  /** A peer left (or an acquire ended without one): schedule the unload when nobody is left. */
  release(doc: LiveDocument): void {
    if (doc.peers.size > 0 || this.open.get(doc.id) !== doc || this.timers.has(doc.id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(doc.id);
      if (doc.peers.size === 0) void this.unload(doc);
    }, this.host.options.unloadDelayMs);
    timer.unref();
    this.timers.set(doc.id, timer);
  }

  private cancelUnload(docId: string): void {
    const t = this.timers.get(docId);
    if (t) clearTimeout(t);
    this.timers.delete(docId);
  }

  /** Flush, fold the log, free the memory. A new acquire waits for this and loads afresh. */
  unload(doc: LiveDocument): Promise<void> {
    if (this.open.get(doc.id) !== doc) return this.unloading.get(doc.id) ?? Promise.resolve();
    this.cancelUnload(doc.id);
    this.open.delete(doc.id);
    this.host.fanout?.unsubscribe(doc.id);
    const done = (async () => {
      try {
        await doc.whenPersisted();
        if (!doc.isFailed) await doc.compact();
      } finally {
        doc.destroy();
        this.unloading.delete(doc.id);
      }
    })();
    this.unloading.set(doc.id, done);
    return done;
  }

  /** Drops a document whose in-memory state can no longer be trusted, without storing anything. */
  evict(doc: LiveDocument): void {
    if (this.open.get(doc.id) === doc) this.open.delete(doc.id);
    this.host.fanout?.unsubscribe(doc.id);
    this.cancelUnload(doc.id);
    doc.destroy();
  }

  /** Closes every peer with `code` and unloads every document (shutdown). */
  async closeAll(code: number, reason: string): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    const docs = [...this.open.values()];
    for (const d of docs) d.closeAll(code, reason);
    await Promise.all(docs.map((d) => this.unload(d)));
    await Promise.all([...this.unloading.values()]);
  }
}
