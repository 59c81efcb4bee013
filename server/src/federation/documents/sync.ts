/**
 * Catch-up of document content when a link comes up (docs/federation.md section 5): each replica asks
 * the document's home for what its state vector lacks (`doc.sync {docId, stateVector}`), as a
 * y-websocket client does on connect, and stores the answer as the home's own change. The outbox already
 * replays every update written while the link was down; this repairs what it could not carry (an update
 * over the link's frame limit, an outbox past its retention). Only the home's state flows this way: a
 * replica's edits reach the home as authored doc.update messages, which the home authorizes one by one.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Logger } from '../../log.js';
import { docStore } from '../../collab/store.js';
import { storedState } from '../../collab/persistence.js';
import { FederationRefusal, LinkDown, type FederationBus } from '../channel.js';
import type { Link } from '../store.js';
import { MAX_FRAME_BYTES } from '../protocol.js';
import { teamHome } from '../teams.js';
import { CROSSING_KINDS, crossesTo, sharedLinks } from './border.js';
import { fromBase64, toBase64 } from './wire.js';

const syncParams = z.object({ docId: z.string().min(8).max(64), stateVector: z.string().max(100_000) });
const syncAnswer = z.object({ update: z.string().nullable() });

/** At the home: what the replica's state vector lacks, or null when it lacks nothing or may not have it. */
async function answerSync(ctx: AppContext, link: Link, params: unknown): Promise<{ update: string | null }> {
  const p = syncParams.safeParse(params);
  if (!p.success) throw new FederationRefusal('doc.sync needs {docId, stateVector}');
  const meta = await docStore.meta(ctx.db, p.data.docId);
  const hidden = `no document ${p.data.docId} shared with ${link.name}`;
  if (!meta || !CROSSING_KINDS.includes(meta.kind) || (await teamHome(ctx.db, meta.ownerTeamId))) throw new FederationRefusal(hidden);
  if (!(await sharedLinks(ctx.db, meta.workspaceId)).includes(link.name) || !(await crossesTo(ctx.db, link.name, meta))) throw new FederationRefusal(hidden);
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
  if (text.length + 2048 > MAX_FRAME_BYTES) throw new FederationRefusal(`doc.sync: document ${meta.id} differs by more than a link frame`);
  return { update: text };
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
  bus.onRequest('doc.sync', (link, params) => answerSync(ctx, link, params));
  bus.onLinkUp((link) => {
    void catchUp(ctx, bus, log, link).catch((err: unknown) => {
      if (err instanceof LinkDown) return;
      log.warn({ link: link.name, err: (err as Error).message }, 'federation: document catch-up failed');
    });
  });
}
