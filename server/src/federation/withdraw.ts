/**
 * Withdrawing a shared workspace (docs/federation.md section 9): either side ends a share (the home's
 * operator or the workspace's owners; the peer's operator or the admins of the teams it is shared
 * with). The other side hears it through the outbox (`share.withdrawn`).
 *
 * - The side holding the **replica** drops it at once: the replica workspace with its records and
 *   documents (the workspace's rows cascade), and its users' sockets of that workspace are revoked and
 *   their editors closed. The operator's CLI has no sockets: it marks the share withdrawn and the
 *   running server drops the replica within a second (the sweeper below).
 * - The **home** removes the peer's members (remote accounts) from the workspace and the replica rows
 *   of items the peer's users made in it (with `<kind>:deleted` events for its own sockets); the
 *   workspace stays, homed here.
 *
 * Both sides audit it (`federation.withdrawn`). A withdrawn share may be offered again (shares.ts).
 */
import * as z from 'zod';
import { CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { documentStore } from '../documents/store.js';
import { deliver } from '../records/deliver.js';
import { recordStore } from '../records/store.js';
import { FederationError } from './links.js';
import { FederationRefusal, writeToOutbox, type FederationBus } from './channel.js';
import { federationStore, type Link } from './store.js';
import { shareStore, type Share } from './shares.js';
import { sweepHomedAt } from './records/baseline.js';
import { lockLink } from './linkLock.js';
import { forgetBaselineComments } from './records/baselineComments.js';

export const WITHDRAWN_MESSAGE = 'share.withdrawn';
const withdrawnMessage = z.object({ offerId: z.string().min(8).max(64) });

/** How often the running server drops replicas whose share the CLI withdrew. */
const SWEEP_MS = 1_000;

type AfterCommit = () => void;
type Sockets = Pick<AppContext, 'realtime' | 'collab'>;

/** Closes the editors of documents just deleted and forgets them in memory (as a revoke does). */
function closeDocuments(ctx: Sockets, docIds: readonly string[], reason: string): void {
  for (const id of docIds) {
    ctx.collab.closeDocument(id, CLOSE_CODES.documentGone, reason);
    const live = ctx.collab.documents.get(id);
    if (live) ctx.collab.documents.evict(live);
  }
}

/** Drops the replica workspace here (the peer is its home), in `tx`; returns what to do after the commit. */
async function dropReplica(ctx: Sockets | undefined, tx: Db, share: Share): Promise<AfterCommit> {
  const members = await workspaceStore.members(tx, share.workspaceId);
  const docs = (await tx.all<{ id: string }>('SELECT id FROM documents WHERE workspace_id = ?', [share.workspaceId])).map((d) => d.id);
  await workspaceStore.delete(tx, share.workspaceId);
  // Workspace rows, then the link row, then the progress row (linkLock.ts, "Lock order").
  await lockLink(tx, share.link);
  await tx.run('DELETE FROM federation_baselines WHERE link = ? AND workspace_id = ?', [share.link, share.workspaceId]);
  await tx.run('DELETE FROM federation_baseline_marks WHERE link = ? AND workspace_id = ?', [share.link, share.workspaceId]);
  await forgetBaselineComments(tx, share.link, share.workspaceId);
  const reason = `the workspace is no longer shared with this instance by ${share.link}`;
  return () => {
    if (!ctx) return;
    closeDocuments(ctx, docs, reason);
    for (const m of members) ctx.realtime.revokeAccount(share.workspaceId, m.accountId, m.team.id);
    ctx.realtime.closeAccessEverywhere({
      workspaceId: share.workspaceId,
      accountIds: members.map((m) => m.accountId),
      code: CLOSE_CODES.documentGone,
      reason,
    });
  };
}

/**
 * At the home: the peer's members leave the workspace, and the replicas of what its users made go
 * (records, with `<kind>:deleted` events; documents, their editors here closed).
 */
async function dropPeerSide(ctx: Sockets | undefined, tx: Db, share: Share, link: Link): Promise<AfterCommit> {
  await tx.run('DELETE FROM members WHERE workspace_id = ? AND account_id IN (SELECT id FROM accounts WHERE home_link = ?)', [share.workspaceId, share.link]);
  const docs = (
    await tx.all<{ id: string }>('SELECT d.id FROM documents d JOIN teams t ON t.id = d.owner_team_id WHERE d.workspace_id = ? AND t.home_link = ?', [
      share.workspaceId,
      share.link,
    ])
  ).map((d) => d.id);
  // The metadata, the update log, snapshots and versions (ON DELETE CASCADE).
  for (const id of docs) await documentStore.delete(tx, id);
  const removed = await sweepHomedAt(tx, link, share.workspaceId, Number.MAX_SAFE_INTEGER);
  // After the workspace's seq (sweepHomedAt), the link row, then the progress row: a live writer's order
  // (linkLock.ts, "Lock order").
  await lockLink(tx, share.link);
  await tx.run('DELETE FROM federation_baselines WHERE link = ? AND workspace_id = ?', [share.link, share.workspaceId]);
  if (!ctx) return () => undefined;
  const teams = removed.length ? await recordStore.memberTeams(tx, share.workspaceId) : [];
  const loaded = removed.length ? await recordStore.since(tx, share.workspaceId, removed[0]!.seq - 1, removed[removed.length - 1]!.seq, removed.length) : [];
  return () => {
    closeDocuments(ctx, docs, `this document was made on ${share.link}, which no longer shares this workspace`);
    if (loaded.length) deliver(ctx, share.workspaceId, teams, loaded);
  };
}

/** Ends this side's part of a share in `tx` (state, the drop, the audit); `now`: drop a replica at once. */
async function endShare(ctx: Sockets | undefined, tx: Db, share: Share, link: Link, audit: { actorId: string | null; by: string; now: boolean }): Promise<AfterCommit> {
  await tx.run("UPDATE federation_shares SET state = 'withdrawn' WHERE offer_id = ?", [share.offerId]);
  await auditStore.write(tx, {
    workspaceId: share.home === 'here' ? share.workspaceId : null,
    actorId: audit.actorId,
    action: 'federation.withdrawn',
    detail: { link: share.link, offerId: share.offerId, workspace: share.workspaceName, workspaceId: share.workspaceId, by: audit.by, was: share.state },
  });
  if (share.home === 'here') return dropPeerSide(ctx, tx, share, link);
  // An offer never accepted has no replica workspace here.
  if (share.state === 'active' && audit.now) return dropReplica(ctx, tx, share);
  return () => undefined;
}

/**
 * Withdraws the share of `workspaceId` over `link` (the CLI, or the REST route with `ctx`): tells the
 * peer and ends this side's part. Refusals are FederationErrors with the operator's sentence.
 */
export async function withdrawShare(
  ctx: Pick<AppContext, 'realtime' | 'collab' | 'federation'> | undefined,
  db: Db,
  input: { workspaceId?: string | undefined; link?: string | undefined; actorId?: string | null },
): Promise<Share> {
  if (!input.workspaceId) throw new FederationError('--workspace is required');
  if (!input.link) throw new FederationError('--link is required');
  const { workspaceId, link: linkName } = input;
  const link = await federationStore.link(db, linkName);
  if (!link) throw new FederationError(`--link: no link named ${linkName} (see: federation link list)`);
  const { share, after } = await db.transaction(async (tx) => {
    const share = (await shareStore.byWorkspace(tx, workspaceId)).find((s) => s.link === link.name);
    if (!share) throw new FederationError(`--workspace: no workspace ${workspaceId} shared with ${link.name} (see: federation shares)`);
    if (share.state === 'withdrawn') throw new FederationError(`workspace ${workspaceId} is already withdrawn from ${link.name}`);
    const after = await endShare(ctx, tx, share, link, { actorId: input.actorId ?? null, by: input.actorId ? 'admin screen' : 'operator', now: ctx !== undefined });
    // After endShare, which takes workspace rows before the link row (linkLock.ts, "Lock order").
    await writeToOutbox(tx, link.name, WITHDRAWN_MESSAGE, { offerId: share.offerId });
    return { share: { ...share, state: 'withdrawn' as const }, after };
  });
  after();
  ctx?.federation?.flush(link.name);
  return share;
}

/** The peer's side of a withdrawal, the sweeper of replicas the CLI withdrew; registered in features.ts. */
export function registerWithdraw(ctx: Pick<AppContext, 'db' | 'log' | 'realtime' | 'collab'>, bus: FederationBus): void {
  bus.onMessage(WITHDRAWN_MESSAGE, async (tx, link, raw) => {
    const m = withdrawnMessage.safeParse(raw);
    if (!m.success) throw new FederationRefusal(`${WITHDRAWN_MESSAGE}: ${m.error.issues[0]?.message ?? 'invalid'}`);
    const share = await shareStore.byOffer(tx, m.data.offerId);
    if (!share || share.link !== link.name) throw new FederationRefusal(`${link.name} withdrew offer ${m.data.offerId}, which is not shared with it`);
    // Both sides withdrew at once: this side already did its part.
    if (share.state === 'withdrawn') return;
    return endShare(ctx, tx, share, link, { actorId: null, by: link.name, now: true });
  });

  const timer = setInterval(() => {
    void (async () => {
      const due = await ctx.db.all<{ offer_id: string }>(
        "SELECT s.offer_id FROM federation_shares s JOIN workspaces w ON w.id = s.workspace_id WHERE s.state = 'withdrawn' AND s.home = 'peer'",
      );
      for (const { offer_id } of due) {
        const after = await ctx.db.transaction(async (tx): Promise<AfterCommit> => {
          const share = await shareStore.byOffer(tx, offer_id);
          return share && share.state === 'withdrawn' ? dropReplica(ctx, tx, share) : () => undefined;
        });
        after();
      }
    })().catch((err: unknown) => ctx.log.error({ err }, 'federation: cannot drop a withdrawn replica'));
  }, SWEEP_MS);
  timer.unref();
  bus.onClose(() => clearInterval(timer));
}
