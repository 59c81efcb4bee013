/**
 * Documents (notes, whiteboards) across instances (docs/federation.md section 5, issue 20 item 5):
 * wires the crossing of every accepted update (the UpdateLog's tap), the baseline when a workspace's
 * share becomes active (baseline.ts, one document at a time after the activation), the handlers for
 * what the peer sends (incoming.ts, updates.ts with the limits of limits.ts), the repair of a replica after its home refused an update (refused.ts) and, in cluster
 * mode, the relay of presence to the node holding the link (presenceRelay.ts).
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
import { receiveUpdates } from './updates.js';
import { ReplicaRepair, receiveRefusals } from './refused.js';
import { PresenceRelay } from './presenceRelay.js';
import { DocBaselinePump } from './baseline.js';
import { startDocBaseline } from './progress.js';

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
  // Cluster mode: presence of clients on nodes that do not hold the link, and repairs of replicas
  // (their editors on every node are closed) (presenceRelay.ts).
  const { redisUrl, redisPrefix } = ctx.config;
  const relay = redisUrl ? new PresenceRelay(redisUrl, redisPrefix, { db: ctx.db, bus, log }) : undefined;
  const repair = new ReplicaRepair(ctx, bus, log, relay);
  // Its Redis connections end with the node (the bus closes when the node's links do).
  if (relay) bus.onClose(() => relay.close());
  const crossing = new DocumentCrossing({
    db: ctx.db,
    bus,
    log,
    relay,
    pieceBytes: ctx.collab.options.trialAboveBytes,
    refusedHere: (home, docId, reason) => repair.schedule(home, docId, reason),
  });
  ctx.collab.updateLog.tap = crossing;
  crossings.set(ctx.collab, crossing);
  // The documents' part of a baseline: recorded in the activation's transaction, sent after it (baseline.ts).
  onShareActive((tx, share) => startDocBaseline(tx, share.link, share.workspaceId));
  const pump = new DocBaselinePump({ db: ctx.db, bus, log, workers: ctx.resources.workers, pieceBytes: ctx.collab.options.trialAboveBytes });
  bus.onClose(() => pump.stop());
  bus.onLinkUp(() => void pump.run());
  receiveDocuments(ctx, bus, crossing);
  receiveUpdates(ctx, bus, crossing, log);
  receiveRefusals(bus, repair);
  syncDocuments(ctx, bus, log);
  return crossing;
}
