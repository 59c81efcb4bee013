/**
 * Loading a document from storage and folding its update log into a snapshot. The fold is computed
 * from the stored rows alone (never from the live Y.Doc, which may hold updates not yet committed or,
 * in cluster mode, another node's updates), so a snapshot never claims more than the log held.
 *
 * Large documents (over `OFF_THREAD_ABOVE_BYTES` stored) are decoded off the main thread
 * (loadWorker.ts): a 3 MB note of scattered edits takes seconds to integrate, and one synchronous Yjs
 * call that long stops every room of the node. The worker merges the stored rows and cuts the state
 * into causally ordered slices (slices.ts); the main thread builds the Y.Doc from them a few
 * milliseconds at a time, yielding to the event loop in between, and keeps the merged bytes as the
 * answer for clients that have nothing. Compaction of a large document runs in the worker as a whole.
 */
import * as Y from 'yjs';
import type { Db } from '../storage/db.js';
import { PoolBusyError, type WorkerPool } from '../workers/pool.js';
import type { Logger } from '../log.js';
import { docStore } from './store.js';
import { catchUpTask, foldParts, unpackSlices, type CatchUpOutput, type LoadOutput } from './loadWorker.js';
import { scavengeYoungGeneration } from './youngGc.js';
import { yieldToLoop } from '../util.js';

export interface LoadedDoc {
  doc: Y.Doc;
  /** Bytes stored for it (snapshot + log): the base of the document-size limit. */
  storedBytes: number;
  /** Rows in the update log after the snapshot: when this passes the threshold, compact. */
  logRows: number;
  /** When loaded off the main thread: the whole stored state as one update (equal to the doc's). */
  state?: Uint8Array | undefined;
}

/** Where large documents are decoded: the node's worker pool. */
export interface OffThread {
  workers: WorkerPool;
  /** Told when the worker could not do it, so a fall back to the main thread is seen. */
  log?: Logger | undefined;
}

/**
 * Stored size above which a document is loaded and folded in the worker pool. Below it the main
 * thread's one call is short (a 64 KiB note of scattered edits integrates in about 20 ms on a quiet
 * machine) and cheaper than a round trip through the pool.
 */
export const OFF_THREAD_ABOVE_BYTES = 64 * 1024;

/** Main-thread time per turn of the event loop while a large document is built from its slices. */
export const SLICE_TURN_MS = 8;

export async function loadDoc(db: Db, docId: string, off?: OffThread): Promise<LoadedDoc> {
  const { snapshot, updates } = await docStore.content(db, docId);
  const parts = snapshot ? [snapshot, ...updates.map((u) => u.data)] : updates.map((u) => u.data);
  const storedBytes = parts.reduce((n, p) => n + p.byteLength, 0);
  if (off && storedBytes > OFF_THREAD_ABOVE_BYTES) {
    const out = await inWorker<LoadOutput>(off, 'loadTask', parts);
    if (out) {
      const doc = new Y.Doc({ gc: true });
      await applySlices(doc, unpackSlices(out));
      return { doc, storedBytes, logRows: updates.length, state: out.state };
    }
    // The pool is full (or the worker could not read the rows): the main thread's way, as before,
    // which also reports bytes that cannot be read.
  }
  const doc = new Y.Doc({ gc: true });
  // One transaction for all of it: observers and the GC run once, not once per stored update.
  doc.transact(() => {
    for (const p of parts) Y.applyUpdate(doc, p);
  });
  return { doc, storedBytes, logRows: updates.length };
}

/**
 * Applies `slices` in order, a transaction per turn of the event loop of at most about `turnMs`
 * (one slice at least), yielding in between so other rooms' messages are handled. After each turn,
 * in a turn of its own, the young generation is scavenged (youngGc.ts): the items just built all
 * survive, and left to V8 they are copied in a few pauses of megabytes each, the longest stalls of
 * the build. Resolves with the milliseconds spent in the build turns.
 */
export async function applySlices(doc: Y.Doc, slices: readonly Uint8Array[], origin: unknown = null, turnMs = SLICE_TURN_MS): Promise<number> {
  let i = 0;
  let spent = 0;
  while (i < slices.length) {
    const started = performance.now();
    try {
      doc.transact(() => {
        do Y.applyUpdate(doc, slices[i++]!);
        while (i < slices.length && performance.now() - started < turnMs);
      }, origin);
    } finally {
      spent += performance.now() - started;
    }
    await yieldToLoop();
    scavengeYoungGeneration();
    if (i < slices.length) await yieldToLoop();
  }
  return spent;
}

/** Runs a document task on copies of the parts (and `extra` input); undefined when the pool cannot or the task failed. */
export async function inWorker<T>(
  { workers, log }: OffThread,
  task: 'loadTask' | 'compactTask' | 'catchUpTask' | 'missingTask',
  parts: Uint8Array[],
  extra: Record<string, unknown> = {},
): Promise<T | undefined> {
  // Copies with their own buffers: the rows may be views into memory the database driver shares.
  const copies = parts.map((p) => p.slice());
  try {
    return await workers.run<T>(task, { ...extra, parts: copies }, { transferList: copies.map((c) => c.buffer) });
  } catch (err) {
    // A full pool, or rows the worker could not read: the caller decides.
    if (err instanceof PoolBusyError) log?.info({ task }, 'worker pool full: document task done on the main thread or later');
    else log?.warn({ err, task }, 'document task failed in the worker pool');
    return undefined;
  }
}

/**
 * Folds the log into the snapshot; returns the new stored size, or undefined if nothing was done. A
 * large document is folded in the worker only: if the pool cannot take it now, the log simply stays
 * (it is folded next time) rather than the main thread stopping for seconds.
 */
export async function compactDoc(db: Db, docId: string, off?: OffThread): Promise<number | undefined> {
  const { snapshot, snapshotUpto, updates } = await docStore.content(db, docId);
  const last = updates.at(-1);
  if (!last) return undefined;
  const parts = snapshot ? [snapshot, ...updates.map((u) => u.data)] : updates.map((u) => u.data);
  const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
  const data = off && bytes > OFF_THREAD_ABOVE_BYTES ? await inWorker<Uint8Array>(off, 'compactTask', parts) : foldParts(parts);
  if (!data) return undefined;
  return (await docStore.replaceSnapshot(db, docId, snapshotUpto, last.id, data)) ? data.byteLength : undefined;
}

/** The document's full state as one update, from storage (folded in the worker when large and a pool is given). */
export async function storedState(db: Db, docId: string, off?: OffThread): Promise<Uint8Array> {
  const { snapshot, updates } = await docStore.content(db, docId);
  const parts = snapshot ? [snapshot, ...updates.map((u) => u.data)] : updates.map((u) => u.data);
  const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
  if (off && bytes > OFF_THREAD_ABOVE_BYTES) {
    const data = await inWorker<Uint8Array>(off, 'compactTask', parts);
    if (data) return data;
  }
  return foldParts(parts);
}

/**
 * The whole stored state and what of it an open document (`stateVector`) lacks, for the catch-up
 * after a Redis outage; computed in the worker when large, so the main thread applies only the
 * difference (loadWorker.ts, `catchUpTask`).
 */
export async function storedCatchUp(db: Db, docId: string, stateVector: Uint8Array, off?: OffThread): Promise<CatchUpOutput> {
  const { snapshot, updates } = await docStore.content(db, docId);
  const parts = snapshot ? [snapshot, ...updates.map((u) => u.data)] : updates.map((u) => u.data);
  const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
  if (off && bytes > OFF_THREAD_ABOVE_BYTES) {
    const out = await inWorker<CatchUpOutput>(off, 'catchUpTask', parts, { stateVector: stateVector.slice() });
    if (out) return out;
  }
  return catchUpTask({ parts, stateVector });
}

/**
 * What of `update`, another node's, the open document (`stateVector`) lacks, computed in the worker
 * when the update is large: after a Redis outage that node publishes the whole stored state of each
 * of its open documents, and applying 2.74 MB of it to a document that holds it all takes Yjs 2.1 to
 * 2.5 s of main-thread CPU. The update itself when small, or when the pool cannot take it.
 */
export async function missingPart(update: Uint8Array, stateVector: Uint8Array, off?: OffThread): Promise<Uint8Array> {
  if (!off || update.byteLength <= OFF_THREAD_ABOVE_BYTES) return update;
  return (await inWorker<Uint8Array>(off, 'missingTask', [update], { stateVector: stateVector.slice() })) ?? update;
}
