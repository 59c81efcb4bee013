/**
 * The documents' part of a baseline (docs/federation.md section 5): when a share becomes active at the
 * home (and again after the link's outbox was dropped), every note and whiteboard of the workspace homed
 * here that the link's teams may see is sent to the peer as its metadata and its whole stored state.
 *
 * **After the activation, one document at a time.** The share's activation only records that the
 * documents are due (`federation_doc_baselines`, migration 020). The node holding the link then takes
 * the documents in (created_at, id) order, each in three steps:
 *
 * 1. a transaction writes `doc.meta` and moves the cursor to the document, marking it `pending`;
 * 2. outside any transaction, its stored rows are folded into one state and cut into pieces of at most
 *    `trialAboveBytes` in the worker pool (pieces.ts): a 3 MB note takes seconds to fold and does not
 *    fit one link frame;
 * 3. a transaction writes the pieces as `doc.update`s without an author (the home's own change) and
 *    clears `pending`, if the document is still visible to the link then.
 *
 * The pump yields to the event loop between documents, waits while more than 8 messages are
 * unacknowledged and stops while the link is down. A restart resumes with the pending document's state
 * (its metadata was committed) or after the last document; no document is skipped, and only the
 * pending one's state can be sent twice (harmless: Yjs updates are idempotent).
 *
 * **Against live traffic.** Until the cursor reaches a document nothing is sent live for it over that
 * link (border.ts `docLinks`): its metadata and state are read when the baseline gets there. From step
 * 1 on, its live updates go out after its metadata; the state read in step 2 holds every update
 * committed before step 1, and every one still being stored then (`waitForWriters`), so nothing falls
 * between. A state that arrives after newer live updates is harmless (Yjs updates commute). A
 * document that narrows out of the link's sight between steps 1 and 3 gets its `doc.revoke` from the
 * narrowing itself (outgoing.ts), and step 3 then writes nothing: a late baseline copy never undoes a
 * narrowing.
 */
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { docStore } from '../../collab/store.js';
import { foldParts, unpackSlices } from '../../collab/loadWorker.js';
import { OFF_THREAD_ABOVE_BYTES } from '../../collab/persistence.js';
import { PoolBusyError, type WorkerPool } from '../../workers/pool.js';
import { auditStore } from '../../audit/store.js';
import { writeToOutbox, type FederationBus } from '../channel.js';
import { BaselineLoop } from '../pump.js';
import { teamHome } from '../teams.js';
import { sharedLinks, visibleLinks } from './border.js';
import { enqueueUpdate, metaMessage } from './outgoing.js';
import { cutState, type PiecesInput, type PiecesOutput } from './pieces.js';
import { lockedDocProgress } from './progress.js';
import { toBase64 } from './wire.js';

interface Reached {
  more: boolean;
  /** The document whose state is to be sent next, and the baseline it belongs to. */
  pending?: { docId: string; startedAt: string };
}

/** Step 1: the next document's metadata, and the cursor moved to it (or the baseline finished). */
async function reachNext(tx: Db, link: string, workspaceId: string): Promise<Reached> {
  const p = await lockedDocProgress(tx, link, workspaceId);
  if (!p) return { more: false };
  const forget = () => tx.run('DELETE FROM federation_doc_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  if (!(await sharedLinks(tx, workspaceId)).includes(link)) {
    await forget();
    return { more: false };
  }
  // Resumed after a restart between steps 1 and 3: the metadata is out, the state is not.
  if (p.pending) return { more: true, pending: { docId: p.pending, startedAt: p.started_at } };
  const next = await tx.get<{ id: string; created_at: string }>(
    `SELECT id, created_at FROM documents WHERE workspace_id = ? AND kind IN ('note', 'whiteboard') AND (created_at > ? OR (created_at = ? AND id > ?))
      ORDER BY created_at, id LIMIT 1`,
    [workspaceId, p.after_created, p.after_created, p.after_id],
  );
  if (!next) {
    await forget();
    await auditStore.write(tx, { workspaceId, actorId: null, action: 'federation.baseline.documents.sent', detail: { link } });
    return { more: false };
  }
  const meta = (await docStore.meta(tx, next.id))!;
  const sends = !(await teamHome(tx, meta.ownerTeamId)) && (await visibleLinks(tx, meta)).includes(link);
  if (sends) await writeToOutbox(tx, link, 'doc.meta', metaMessage(meta));
  await tx.run('UPDATE federation_doc_baselines SET after_created = ?, after_id = ?, pending = ? WHERE link = ? AND workspace_id = ?', [
    next.created_at,
    next.id,
    sends ? next.id : null,
    link,
    workspaceId,
  ]);
  return { more: true, ...(sends ? { pending: { docId: next.id, startedAt: p.started_at } } : {}) };
}

/** Step 3: the state's pieces, if the document is still the pending one of this baseline and visible. */
async function writeState(
  tx: Db,
  bus: FederationBus,
  log: Logger,
  link: string,
  workspaceId: string,
  pending: NonNullable<Reached['pending']>,
  pieces: readonly Uint8Array[],
): Promise<void> {
  const p = await lockedDocProgress(tx, link, workspaceId);
  // Started again (an outbox drop) or finished meanwhile: that baseline sends it itself.
  if (!p || p.pending !== pending.docId || p.started_at !== pending.startedAt) return;
  const meta = await docStore.meta(tx, pending.docId);
  // Deleted or narrowed out of the link's sight since its metadata went: its revoke went with that change.
  if (meta && (await visibleLinks(tx, meta)).includes(link)) {
    for (const piece of pieces) await enqueueUpdate(bus, log, tx, [link], { docId: meta.id, update: toBase64(piece), author: null });
  }
  await tx.run('UPDATE federation_doc_baselines SET pending = NULL WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
}

/**
 * PostgreSQL: waits until every transaction that stored an update of the document and has not ended
 * yet has ended, so the state read next holds its update. Such a transaction may have looked for the
 * workspace's shares before this baseline's activation committed and found none (outgoing.ts
 * `stored`): the update is then neither sent live nor, were it still uncommitted, in a state read now.
 * Each one holds the document's row in KEY SHARE (doc_updates' foreign key) from its insert to its
 * end, and FOR UPDATE waits for every holder. This transaction takes no other lock before it: it waits
 * in no cycle. SQLite runs one writing transaction at a time: the read sees only committed writers.
 */
async function waitForWriters(db: Db, docId: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.transaction((tx) => tx.get('SELECT id FROM documents WHERE id = ? FOR UPDATE', [docId]));
}

/**
 * Sends the documents' baselines due over the links this node holds, one document a step (pump.ts:
 * while the link is up and the peer keeps up).
 */
export class DocBaselinePump {
  private readonly loop: BaselineLoop;

  constructor(
    private readonly deps: {
      db: Db;
      bus: FederationBus;
      log: Logger;
      workers: WorkerPool;
      /** The largest piece of a state (the receiver's trial threshold, `trialAboveBytes`). */
      pieceBytes: number;
    },
  ) {
    this.loop = new BaselineLoop(deps, 'federation_doc_baselines', (link, workspaceId) => this.step(link, workspaceId));
  }

  stop(): void {
    this.loop.stop();
  }

  run(): Promise<void> {
    return this.loop.run();
  }

  /** One document (steps 1 to 3); whether there is more to send now. */
  private async step(link: string, workspaceId: string): Promise<boolean> {
    const { db, bus, log } = this.deps;
    const reached = await db.transaction((tx) => reachNext(tx, link, workspaceId));
    const { pending } = reached;
    if (!pending) return reached.more;
    // The metadata goes ahead while the state is folded.
    bus.flush(link);
    const pieces = await this.pieces(pending.docId);
    // The pool is full: the next round tries again (the document stays pending).
    if (!pieces) return false;
    await db.transaction((tx) => writeState(tx, bus, log, link, workspaceId, pending, pieces));
    return true;
  }

  /** The document's stored state in pieces (none for an empty one); undefined when the pool is full. */
  private async pieces(docId: string): Promise<Uint8Array[] | undefined> {
    await waitForWriters(this.deps.db, docId);
    const { snapshot, updates } = await docStore.content(this.deps.db, docId);
    const parts = snapshot ? [snapshot, ...updates.map((u) => u.data)] : updates.map((u) => u.data);
    const bytes = parts.reduce((n, part) => n + part.byteLength, 0);
    let out: Uint8Array[];
    try {
      if (bytes <= OFF_THREAD_ABOVE_BYTES) out = cutState(foldParts(parts), this.deps.pieceBytes);
      else {
        // Copies with their own buffers: the rows may be views into memory the database driver shares.
        const copies = parts.map((part) => part.slice());
        const input: PiecesInput = { parts: copies, maxBytes: this.deps.pieceBytes };
        out = unpackSlices(await this.deps.workers.run<PiecesOutput>('statePiecesTask', input, { transferList: copies.map((c) => c.buffer) }));
      }
    } catch (err) {
      if (err instanceof PoolBusyError) return undefined;
      // Rows that cannot be read: the peer gets the metadata only (its doc.sync on link up may repair
      // it), rather than the baseline trying this document forever.
      this.deps.log.warn({ err, docId }, "federation: a document's state could not be folded for a baseline; not sent");
      return [];
    }
    // An empty document's state is two zero bytes: nothing to send.
    return out.length === 1 && out[0]!.byteLength <= 2 ? [] : out;
  }
}
