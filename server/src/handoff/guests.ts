/**
 * Guest memberships end with their handoff session (docs/security.md). Ending a session, or its expiry,
 * deletes the guests' memberships, takes their record sockets out of the workspace and closes their
 * document sockets on every node. Until that has run, the membership already counts for nothing:
 * every role lookup requires a guest's session to be live (workspaces/store.ts).
 */
import { CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { auditStore } from '../audit/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { handoffStore } from './store.js';
import { nowIso } from '../util.js';

export async function endGuests(ctx: AppContext, workspaceId: string, sessionId: string): Promise<void> {
  const guests = await ctx.db.transaction(async (tx) => {
    const removed = await workspaceStore.removeGuests(tx, sessionId);
    if (removed.length > 0) {
      await auditStore.write(tx, { workspaceId, action: 'handoff.guests_removed', detail: { sessionId, count: removed.length } });
    }
    return removed;
  });
  if (guests.length === 0) return;
  for (const g of guests) {
    ctx.realtime.toWorkspace(workspaceId, 'member:removed', { workspaceId, accountId: g.accountId });
    ctx.realtime.revokeAccount(workspaceId, g.accountId, g.teamId);
  }
  ctx.realtime.closeAccessEverywhere({
    workspaceId,
    accountIds: guests.map((g) => g.accountId),
    code: CLOSE_CODES.forbidden,
    reason: 'the handoff session ended',
  });
}

/**
 * Ends the sessions whose time is up. Every node runs it; the conditional update lets exactly one of
 * them end each session, and that one removes the guests (on every node, through the adapter).
 */
export async function sweepExpiredHandoffs(ctx: AppContext): Promise<number> {
  const now = nowIso();
  const due = await ctx.db.all<{ id: string; workspace_id: string; invite_id: string }>(
    'SELECT id, workspace_id, invite_id FROM handoff_sessions WHERE ended_at IS NULL AND expires_at <= ?',
    [now],
  );
  let ended = 0;
  for (const s of due) {
    const won = await ctx.db.transaction(async (tx) => {
      if (!(await handoffStore.end(tx, s.id, s.invite_id))) return false;
      await auditStore.write(tx, { workspaceId: s.workspace_id, action: 'handoff.expired', detail: { sessionId: s.id } });
      return true;
    });
    if (!won) continue;
    ended++;
    ctx.realtime.toWorkspace(s.workspace_id, 'handoff:ended', { sessionId: s.id });
    await endGuests(ctx, s.workspace_id, s.id);
  }
  return ended;
}

/** Runs the sweep every `everyMs` until the returned stop function is called. */
export function startHandoffSweeper(ctx: AppContext, everyMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredHandoffs(ctx)
      .catch((err: unknown) => ctx.log.error({ err }, 'handoff expiry sweep failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
