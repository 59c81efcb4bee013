/**
 * Documents (notes, whiteboards) across instances (docs/federation.md section 5, issue 20 item 5):
 * wires the crossing of every accepted update (the UpdateLog's tap), the baseline when a workspace's
 * share becomes active, and the handlers for what the peer sends.
 */
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import type { DocMeta } from '../../collab/store.js';
import type { Logger } from '../../log.js';
import type { FederationBus } from '../channel.js';
import { onShareActive } from '../shares.js';
import { DocumentCrossing } from './outgoing.js';
import { receiveDocuments } from './incoming.js';
import { syncDocuments } from './sync.js';

const crossings = new WeakMap<object, DocumentCrossing>();

/**
 * For documents/service.ts, in the transaction that makes, changes or deletes a document: writes what
 * crosses (metadata, the state on a first crossing, revokes) and returns what to call after the commit.
 * A no-op on an instance without federation.
 */
export async function documentChanged(ctx: Pick<AppContext, 'collab'>, tx: Db, before: DocMeta | undefined, after: DocMeta | undefined): Promise<() => void> {
  const crossing = crossings.get(ctx.collab);
  if (!crossing) return () => undefined;
  const links = await crossing.metaChanged(tx, before, after);
  return () => crossing.flush(links);
}

export function registerDocuments(ctx: AppContext, bus: FederationBus, log: Logger): DocumentCrossing {
  const crossing = new DocumentCrossing({ db: ctx.db, bus, log });
  ctx.collab.updateLog.tap = crossing;
  crossings.set(ctx.collab, crossing);
  onShareActive((tx, share) => crossing.baseline(tx, share.link, share.workspaceId));
  receiveDocuments(ctx, bus, crossing);
  syncDocuments(ctx, bus, log);
  return crossing;
}
