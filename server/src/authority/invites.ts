/**
 * Invites as people manage them: a workspace's owners list theirs (pending ones included, so they see
 * what waits for the other team), and a team's admins list and decide the invites that would create
 * accounts in their team. Both sides see the same pending request.
 */
import type { Account, InviteApproval, InviteSummary, Role } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { AppError, notFound } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { loadWorkspace } from '../workspaces/service.js';
import { nowIso } from '../util.js';
import { authorityOf, requireAuthority } from './policy.js';

interface Row {
  id: string;
  workspace_id: string;
  workspace_name: string;
  role: Role;
  team_id: string;
  team_code: string;
  team_name: string;
  team_color: string;
  creator_username: string;
  creator_name: string;
  creator_team_id: string;
  creator_team_code: string;
  creator_team_name: string;
  creator_team_color: string;
  created_at: string;
  expires_at: string;
  max_uses: number;
  uses: number;
  approval: InviteApproval;
  decided_by: string | null;
  decided_at: string | null;
  revoked_at: string | null;
  handoff_id: string | null;
}

const SELECT = `SELECT i.id, i.workspace_id, w.name AS workspace_name, i.role, i.team_id, t.code AS team_code, t.name AS team_name,
  t.color AS team_color, a.username AS creator_username, a.display_name AS creator_name, ct.id AS creator_team_id,
  ct.code AS creator_team_code, ct.name AS creator_team_name, ct.color AS creator_team_color, i.created_at, i.expires_at,
  i.max_uses, i.uses, i.approval, d.username AS decided_by, i.decided_at, i.revoked_at, i.handoff_id
  FROM invites i JOIN workspaces w ON w.id = i.workspace_id JOIN teams t ON t.id = i.team_id
  JOIN accounts a ON a.id = i.created_by JOIN teams ct ON ct.id = a.team_id LEFT JOIN accounts d ON d.id = i.decided_by`;

const present = (r: Row): InviteSummary => ({
  id: r.id,
  workspace: { id: r.workspace_id, name: r.workspace_name },
  role: r.role,
  team: { id: r.team_id, code: r.team_code, name: r.team_name, color: r.team_color },
  createdBy: {
    username: r.creator_username,
    displayName: r.creator_name,
    team: { id: r.creator_team_id, code: r.creator_team_code, name: r.creator_team_name, color: r.creator_team_color },
  },
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  maxUses: Number(r.max_uses),
  uses: Number(r.uses),
  approval: r.approval,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  revoked: r.revoked_at !== null,
  handoffId: r.handoff_id,
});

/** The workspace's invites that can still matter (not revoked, not expired), newest first: owners only. */
export async function workspaceInvites(ctx: AppContext, account: Account, workspaceId: string): Promise<InviteSummary[]> {
  await loadWorkspace(ctx.db, workspaceId, account, 'manage');
  const rows = await ctx.db.all<Row>(`${SELECT} WHERE i.workspace_id = ? AND i.revoked_at IS NULL AND i.expires_at > ? ORDER BY i.created_at DESC`, [workspaceId, nowIso()]);
  return rows.map(present);
}

/** Pending invites into the teams the caller administers (every team for a site admin). */
export async function pendingRequests(ctx: AppContext, account: Account): Promise<InviteSummary[]> {
  const a = await authorityOf(ctx.db, account);
  if (!a.siteAdmin && a.adminTeamIds.length === 0) return [];
  const live = `i.approval = 'pending' AND i.revoked_at IS NULL AND i.expires_at > ?`;
  const rows = a.siteAdmin
    ? await ctx.db.all<Row>(`${SELECT} WHERE ${live} ORDER BY i.created_at`, [nowIso()])
    : await ctx.db.all<Row>(`${SELECT} WHERE ${live} AND i.team_id IN (${a.adminTeamIds.map(() => '?').join(', ')}) ORDER BY i.created_at`, [nowIso(), ...a.adminTeamIds]);
  return rows.map(present);
}

async function inviteRow(db: Db, id: string): Promise<Row | undefined> {
  return db.get<Row>(`${SELECT} WHERE i.id = ?`, [id]);
}

/**
 * A team admin approves or refuses a pending invite into their team. Anyone else gets 404 for an
 * invite outside their teams (no hint which invites exist) and 403 is never needed.
 */
export async function decideInvite(ctx: AppContext, account: Account, inviteId: string, decision: 'approve' | 'refuse'): Promise<InviteSummary> {
  const row = await inviteRow(ctx.db, inviteId);
  const a = await authorityOf(ctx.db, account);
  if (!row || !(a.siteAdmin || a.adminTeamIds.includes(row.team_id))) throw notFound('invite request');
  await requireAuthority(ctx.db, account, 'invite.decide', row.team_id);
  if (row.revoked_at || row.expires_at <= nowIso()) throw new AppError('gone', 'this invite was revoked or has expired');
  const approval: InviteApproval = decision === 'approve' ? 'approved' : 'refused';
  await ctx.db.transaction(async (tx) => {
    // Conditional: two admins deciding at once, the second is told it was already decided.
    const done = await tx.run("UPDATE invites SET approval = ?, decided_by = ?, decided_at = ? WHERE id = ? AND approval = 'pending'", [approval, account.id, nowIso(), inviteId]);
    if (done.changes !== 1) throw new AppError('conflict', `this invite was already ${row.approval}`);
    await auditStore.write(tx, {
      workspaceId: row.workspace_id,
      actorId: account.id,
      teamId: account.team.id,
      action: decision === 'approve' ? 'invite.approved' : 'invite.refused',
      detail: { inviteId, team: row.team_code, role: row.role },
    });
  });
  return present((await inviteRow(ctx.db, inviteId))!);
}
