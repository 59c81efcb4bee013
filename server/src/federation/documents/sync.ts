/**
 * Catch-up of document content when a link comes up (docs/federation.md section 5): each replica asks
 * the document's home for what its state vector lacks (`doc.sync {docId, stateVector}`), as a
 * y-websocket client does on connect, and stores the answer as the home's own change. The outbox already
 * replays every update written while the link was down; this repairs what it could not carry (an update
 * over the link's frame limit, an outbox past its retention). Only the home's state flows this way: a
 * replica's edits reach the home as authored doc.update messages, which the home authorizes one by one.
 *
 * **A large answer in pieces.** An answer that fits a link frame is the request's reply, as before. A
 * larger one (a 1.5 MB note a replica lost, or holds none of after a repair) cannot be one frame: the
 * home cuts it into pieces of at most `trialAboveBytes` (pieces.ts) and writes them to the link's
 * outbox as doc.updates without an author, in a transaction that checks again that the document is
 * still visible to the link; the reply says how many (`{update: null, pieces: n}`). The replica applies
 * them as ordinary updates of the home, in order with the rest of the channel. So that a hostile peer
 * cannot fill the home's outbox by asking again and again, a large answer is refused while the link's
 * outbox holds more than `MAX_OUTBOX_FOR_PIECES` messages the peer has not acknowledged.
 */
import * as Y from 'yjs';
import * as z from 'zod';
import type { AppContext } from '../../context.js';
import type { Logger } from '../../log.js';
import { docStore } from '../../collab/store.js';
import { storedState } from '../../collab/persistence.js';
import { FederationRefusal, LinkDown, type FederationBus } from '../channel.js';
import type { Link } from '../store.js';
import type { Db } from '../../storage/db.js';
import type { DocMeta } from '../../collab/store.js';
import { MAX_FRAME_BYTES } from '../protocol.js';
import { teamHome } from '../teams.js';
import { CROSSING_KINDS, crossesTo, sharedLinks } from './border.js';
import { cutState } from './pieces.js';
import { fromBase64, toBase64 } from './wire.js';

const syncParams = z.object({ docId: z.string().min(8).max(64), stateVector: z.string().max(100_000) });
const syncAnswer = z.object({ update: z.string().nullable() });

/**
 * A large answer's pieces on the link's outbox: at most this many unacknowledged messages may be there
 * already (a 1.5 MB note is about 50 pieces; a link-up catch-up asks for its documents one by one).
 */
const MAX_OUTBOX_FOR_PIECES = 4_000;

/** Whether `meta` is still a document of this home that `link` may see (read in `tx`). */
async function stillVisible(tx: Db, link: string, meta: DocMeta): Promise<boolean> {
  const now = await docStore.meta(tx, meta.id);
  if (!now || !CROSSING_KINDS.includes(now.kind) || (await teamHome(tx, now.ownerTeamId))) return false;
  return (await sharedLinks(tx, now.workspaceId)).includes(link) && (await crossesTo(tx, link, now));
}

/** At the home: what the replica's state vector lacks, or null when it lacks nothing or may not have it. */
async function answerSync(ctx: AppContext, bus: FederationBus, link: Link, params: unknown): Promise<{ update: string | null; pieces?: number }> {
  const p = syncParams.safeParse(params);
  if (!p.success) throw new FederationRefusal('doc.sync needs {docId, stateVector}');
  const meta = await docStore.meta(ctx.db, p.data.docId);
  const hidden = `no document ${p.data.docId} shared with ${link.name}`;
  if (!meta || !(await stillVisible(ctx.db, link.name, meta))) throw new FederationRefusal(hidden);
  let sv: Uint8Array;
  try {
    sv = fromBase64(p.data.stateVector);
    Y.decodeStateVector(sv);
  } catch {
    throw new FederationRefusal('doc.sync: not a state vector');
  }
  const diff = Y.diffUpdate(await storedState(ctx.db, meta.id), sv);
  // Two bytes: an update with no structs and no deletions, nothing missing.
  if (diff.byteLength <= 2) return { update: null };
  const text = toBase64(diff);
  if (text.length + 2048 <= MAX_FRAME_BYTES) return { update: text };
  const pieces = cutState(diff, ctx.collab.options.trialAboveBytes, Y.decodeStateVector(sv));
  // Something Yjs would put aside (slices.ts) leaves the answer whole: still over a frame.
  if (pieces.some((piece) => piece.byteLength * 1.34 + 2048 > MAX_FRAME_BYTES)) {
    throw new FederationRefusal(`doc.sync: document ${meta.id} differs by more than a link frame and cannot be cut into pieces`);
  }
  const written = await ctx.db.transaction(async (tx) => {
    const queued = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM federation_outbox WHERE link = ?', [link.name]);
    if (Number(queued?.n ?? 0) > MAX_OUTBOX_FOR_PIECES) {
      throw new FederationRefusal(`doc.sync: ${link.name} has not acknowledged ${queued!.n} messages; ask for document ${meta.id} again later`);
    }
    // Narrowed, unshared or deleted while the answer was cut: nothing goes (its revoke went with that change).
    if (!(await stillVisible(tx, link.name, meta))) return false;
    for (const piece of pieces) await bus.enqueue(tx, link.name, 'doc.update', { docId: meta.id, update: toBase64(piece), author: null });
    return true;
  });
  if (!written) throw new FederationRefusal(hidden);
  bus.flush(link.name);
  return { update: null, pieces: pieces.length };
}

/** At a replica: asks the home for every replica of `link`'s documents, one at a time. */
async function catchUp(ctx: AppContext, bus: FederationBus, log: Logger, link: Link): Promise<void> {
  const docs = await ctx.db.all<{ id: string }>(
    `SELECT d.id FROM documents d JOIN teams t ON t.id = d.owner_team_id JOIN federation_shares s ON s.workspace_id = d.workspace_id AND s.link = t.home_link
      WHERE t.home_link = ? AND s.state = 'active' AND d.kind IN ('note', 'whiteboard') ORDER BY d.id`,
    [link.name],
  );
  for (const { id } of docs) {
    const state = await storedState(ctx.db, id);
    const raw = await bus.request(link.name, 'doc.sync', { docId: id, stateVector: toBase64(Y.encodeStateVectorFromUpdate(state)) });
    const answer = syncAnswer.safeParse(raw);
    if (!answer.success || !answer.data.update) continue;
    const update = fromBase64(answer.data.update);
    try {
      Y.decodeUpdate(update);
    } catch {
      log.warn({ link: link.name, docId: id }, 'federation: doc.sync answer is not a Yjs update; ignored');
      continue;
    }
    const stored = await ctx.db.transaction(async (tx) => {
      // Still a replica of that home (not revoked meanwhile): then stored before anyone sees it.
      const meta = await docStore.meta(tx, id);
      if (!meta || (await teamHome(tx, meta.ownerTeamId)) !== link.name) return false;
      await docStore.appendUpdates(tx, id, [update]);
      return true;
    });
    if (!stored) continue;
    const live = ctx.collab.documents.get(id);
    if (live) live.applyRemote('update', update);
    else
      void ctx.collab.documents.loadingNow(id)?.then(
        (loaded) => loaded.applyRemote('update', update),
        () => undefined,
      );
    ctx.collab.fanout?.publishUpdate(id, update);
  }
}

export function syncDocuments(ctx: AppContext, bus: FederationBus, log: Logger): void {
  bus.onRequest('doc.sync', (link, params) => answerSync(ctx, bus, link, params));
  bus.onLinkUp((link) => {
    void catchUp(ctx, bus, log, link).catch((err: unknown) => {
      if (err instanceof LinkDown) return;
      log.warn({ link: link.name, err: (err as Error).message }, 'federation: document catch-up failed');
    });
  });
}
