/**
 * Loading a document from storage and folding its update log into a snapshot. The fold is computed
 * from the stored rows alone (never from the live Y.Doc, which may hold updates not yet committed or,
 * in cluster mode, another node's updates), so a snapshot never claims more than the log held.
 */
import * as Y from 'yjs';
import type { Db } from '../storage/db.js';
import { docStore } from './store.js';

export interface LoadedDoc {
  doc: Y.Doc;
  /** Bytes stored for it (snapshot + log): the base of the document-size limit. */
  storedBytes: number;
  /** Rows in the update log after the snapshot: when this passes the threshold, compact. */
  logRows: number;
}

export async function loadDoc(db: Db, docId: string): Promise<LoadedDoc> {
  const { snapshot, updates } = await docStore.content(db, docId);
  const doc = new Y.Doc({ gc: true });
  let storedBytes = 0;
  // One transaction for all of it: observers and the GC run once, not once per stored update.
  doc.transact(() => {
    if (snapshot) {
      Y.applyUpdate(doc, snapshot);
      storedBytes += snapshot.byteLength;
    }
    for (const u of updates) {
      Y.applyUpdate(doc, u.data);
      storedBytes += u.data.byteLength;
    }
  });
  return { doc, storedBytes, logRows: updates.length };
}

/** Folds the log into the snapshot; returns the new stored size, or undefined if nothing was done. */
export async function compactDoc(db: Db, docId: string): Promise<number | undefined> {
  const { snapshot, snapshotUpto, updates } = await docStore.content(db, docId);
  const last = updates.at(-1);
  if (!last) return undefined;
  const scratch = new Y.Doc({ gc: true });
  scratch.transact(() => {
    if (snapshot) Y.applyUpdate(scratch, snapshot);
    for (const u of updates) Y.applyUpdate(scratch, u.data);
  });
  const data = Y.encodeStateAsUpdate(scratch);
  scratch.destroy();
  return (await docStore.replaceSnapshot(db, docId, snapshotUpto, last.id, data)) ? data.byteLength : undefined;
}

/** The document's full state as one update, from the live doc if given, else from storage. */
export async function storedState(db: Db, docId: string): Promise<Uint8Array> {
  const { doc } = await loadDoc(db, docId);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
