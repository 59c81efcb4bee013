/**
 * Use cases of live handoff sessions. Starting one is an owner's act: it makes a guest invite for the
 * recipient team (the link the partner officials open; it expires with the session) and tells the
 * workspace. The guests' memberships are bound to the session: ending it (or its expiry, handoff/guests.ts)
 * removes them and closes their sockets. Owners and members of the recipient team may attend; the presenter alone sets the view.
 * Ending one revokes the link and sends everyone out of the session room on every node.
 */
import type { Account, HandoffSession, HandoffStarted, Role, StartHandoffInput } from '@huntroom/shared';
import { startHandoffSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { auditStore } from '../audit/store.js';
import { AppError, notFound } from '../http/errors.js';
import { loadWorkspace } from '../workspaces/service.js';
import { teamStore } from '../teams/store.js';
import { createInvite } from '../workspaces/invites.js';
import { newId } from '../util.js';
import { handoffStore, publicSession, type StoredSession } from './store.js';
import { endGuests } from './guests.js';

export const handoffRoom = (sessionId: string) => `handoff:${sessionId}`;

export const mayAttend = (s: StoredSession, account: Account, role: Role | undefined): boolean =>
  role !== undefined && (role === 'owner' || account.team.id === s.recipientTeamId || account.id === s.presenter.accountId);

export const isLive = (s: StoredSession): boolean => s.endedAt === null && s.expiresAt > new Date().toISOString();

export async function startHandoff(ctx: AppContext, account: Account, workspaceId: string, raw: StartHandoffInput, origin: string): Promise<HandoffStarted> {
  const input = startHandoffSchema.parse(raw);
  await loadWorkspace(ctx.db, workspaceId, account, 'manage');
  const team = await teamStore.byCode(ctx.db, input.recipient);
  if (!team) throw new AppError('validation_failed', `no team ${input.recipient}`, { recipient: 'unknown team code' });
  const id = newId();
  const invite = await createInvite(
    ctx,
    account,
    workspaceId,
    { role: 'guest', handoffId: id, team: team.code, expiresInHours: input.expiresInHours, maxUses: input.maxAttendees },
    origin,
  );
  await ctx.db.transaction(async (tx) => {
    await handoffStore.insert(tx, { id, workspaceId, recipientTeamId: team.id, presenterId: account.id, inviteId: invite.id, expiresAt: invite.expiresAt });
    await auditStore.write(tx, {
      workspaceId,
      actorId: account.id,
      teamId: account.team.id,
      action: 'handoff.started',
      detail: { sessionId: id, recipient: team.code, expiresAt: invite.expiresAt },
    });
  });
  const session = publicSession((await handoffStore.get(ctx.db, id))!);
  ctx.realtime.toWorkspace(workspaceId, 'handoff:started', { session });
  return { session, inviteUrl: invite.url, approval: invite.approval === 'approved' ? 'approved' : 'pending' };
}

export async function listHandoffs(ctx: AppContext, account: Account, workspaceId: string): Promise<HandoffSession[]> {
  const ws = await loadWorkspace(ctx.db, workspaceId, account, 'read');
  return (await handoffStore.active(ctx.db, workspaceId)).filter((s) => mayAttend(s, account, ws.role)).map(publicSession);
}

export async function endHandoff(ctx: AppContext, account: Account, workspaceId: string, sessionId: string): Promise<void> {
  await loadWorkspace(ctx.db, workspaceId, account, 'manage');
  const s = await handoffStore.get(ctx.db, sessionId);
  if (!s || s.workspaceId !== workspaceId) throw notFound('handoff session');
  if (s.endedAt) throw new AppError('conflict', 'this handoff has already ended');
  await ctx.db.transaction(async (tx) => {
    // Another owner, or the expiry sweep, may have ended it since the check above: one end only.
    if (!(await handoffStore.end(tx, sessionId, s.inviteId))) throw new AppError('conflict', 'this handoff has already ended');
    await auditStore.write(tx, { workspaceId, actorId: account.id, teamId: account.team.id, action: 'handoff.ended', detail: { sessionId, recipient: s.recipient.code } });
  });
  ctx.realtime.toWorkspace(workspaceId, 'handoff:ended', { sessionId });
  ctx.realtime.emptyRoom(handoffRoom(sessionId));
  await endGuests(ctx, workspaceId, sessionId);
}
