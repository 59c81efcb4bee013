/**
 * Invites: a secret token with a role, a team, an expiry and a use count. The token is shown once;
 * only its hash is stored. Accepting while logged out creates an account in the invite's team, which
 * only that team's admins (or the operator) may allow: an invite made by anyone else is `pending` until
 * one of them approves it (authority/inviteRequests.ts), and meanwhile admits only existing accounts
 * of the team, which an owner could add by name anyway.
 */
import type { Account, AcceptInviteInput, CreateInviteInput, InviteApproval, InviteCreated, InviteInfo, Member, Role, Team } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { AppError, conflict, notFound } from '../http/errors.js';
import { UniqueViolation } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { teamStore } from '../teams/store.js';
import { accountStore, publicAccount } from '../auth/store.js';
import { hashPassword } from '../auth/passwords.js';
import { addHours, newId, newSecret, nowIso, sha256 } from '../util.js';
import { loadWorkspace } from './service.js';
import { workspaceStore } from './store.js';
import { mayDo } from '../authority/policy.js';

interface InviteRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  role: Role;
  team_id: string;
  expires_at: string;
  max_uses: number;
  uses: number;
  revoked_at: string | null;
  approval: InviteApproval;
  handoff_id: string | null;
}

/** What createInvite takes: the REST input, or a guest link made by a handoff (`role: 'guest'`). */
export type InviteSpec = Omit<CreateInviteInput, 'role'> & ({ role: CreateInviteInput['role']; handoffId?: undefined } | { role: 'guest'; handoffId: string });

/** The new invite's link; `id` lets a caller that made it for a purpose (a handoff) revoke it later. */
export async function createInvite(ctx: AppContext, actor: Account, workspaceId: string, input: InviteSpec, origin: string): Promise<InviteCreated & { id: string }> {
  await loadWorkspace(ctx.db, workspaceId, actor, 'manage');
  const team = await teamStore.byCode(ctx.db, input.team);
  if (!team) throw new AppError('validation_failed', `no team with code ${input.team}`, { team: 'unknown team code' });
  // A team of another instance: its users never get an account here; they join through the share.
  if (team.instance)
    throw new AppError('validation_failed', `${team.code} is a team of ${team.instance}: its users join this workspace through a share with ${team.instance}, not by an invite`, {
      team: 'a team of another instance',
    });
  // Minting an identity in a team is the most powerful act there is: only its admins decide it.
  const approval: InviteApproval = (await mayDo(ctx.db, actor, 'account.create', team.id)) ? 'approved' : 'pending';
  const token = newSecret('hri_');
  const id = newId();
  const expiresAt = addHours(input.expiresInHours);
  await ctx.db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO invites (id, token_hash, workspace_id, role, team_id, expires_at, max_uses, uses, created_by, created_at, approval, handoff_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
      [id, sha256(token), workspaceId, input.role, team.id, expiresAt, input.maxUses ?? 1, actor.id, nowIso(), approval, input.handoffId ?? null],
    );
    await auditStore.write(tx, {
      workspaceId,
      actorId: actor.id,
      teamId: actor.team.id,
      action: 'invite.created',
      detail: { inviteId: id, role: input.role, team: team.code, expiresAt, maxUses: input.maxUses ?? 1, approval },
    });
  });
  const base = ctx.config.publicUrl ?? origin;
  return { id, token, url: `${base}/invite/${token}`, expiresAt, approval };
}

/** The live invite for a token, or a clear error saying why it cannot be used. */
async function liveInvite(db: Db, token: string): Promise<InviteRow & { team: Team }> {
  const row = await db.get<InviteRow>(
    `SELECT i.id, i.workspace_id, w.name AS workspace_name, i.role, i.team_id, i.expires_at, i.max_uses, i.uses, i.revoked_at, i.approval, i.handoff_id
     FROM invites i JOIN workspaces w ON w.id = i.workspace_id WHERE i.token_hash = ?`,
    [sha256(token)],
  );
  if (!row) throw notFound('invite');
  if (row.revoked_at) throw new AppError('gone', 'this invite was revoked');
  if (row.approval === 'refused') throw new AppError('gone', "this invite was refused by the team's admins");
  if (row.expires_at < nowIso()) throw new AppError('gone', 'this invite has expired; ask the workspace owner for a new one');
  if (Number(row.uses) >= Number(row.max_uses)) throw new AppError('gone', 'this invite has been used up');
  const team = (await teamStore.byId(db, row.team_id))!;
  return { ...row, team };
}

export async function describeInvite(ctx: AppContext, token: string): Promise<InviteInfo> {
  const inv = await liveInvite(ctx.db, token);
  return {
    workspace: { id: inv.workspace_id, name: inv.workspace_name },
    role: inv.role,
    team: inv.team,
    expiresAt: inv.expires_at,
    usesLeft: Number(inv.max_uses) - Number(inv.uses),
    approval: inv.approval,
  };
}

export interface AcceptResult {
  workspaceId: string;
  member: Member;
  /** Set when the invite created the account: the caller should be logged in as it. */
  createdAccount?: Account;
}

export async function acceptInvite(ctx: AppContext, token: string, caller: Account | undefined, input: AcceptInviteInput): Promise<AcceptResult> {
  if (!caller && (!input.username || !input.password)) {
    throw new AppError('validation_failed', 'choose a username and a password to create your account', {
      ...(input.username ? {} : { username: 'required' }),
      ...(input.password ? {} : { password: 'required' }),
    });
  }
  // Hashing takes tens of milliseconds: do it before the transaction, not while holding it, and only
  // for a live invite that may create an account, so requests with made-up tokens cannot make an
  // anonymous caller's CPU ours.
  const passwordHash = caller ? undefined : (requireMayCreate(await liveInvite(ctx.db, token)), await ctx.resources.hashes.run(() => hashPassword(input.password!)));
  const result = await ctx.db.transaction(async (tx) => {
    const inv = await liveInvite(tx, token);
    await workspaceStore.lock(tx, inv.workspace_id);
    let accountId = caller?.id;
    if (caller && caller.team.id !== inv.team.id) {
      throw conflict(`this invite is for team ${inv.team.code}; you are in team ${caller.team.code}`);
    }
    if (!accountId) {
      requireMayCreate(inv);
      try {
        accountId = await accountStore.create(tx, {
          username: input.username!,
          displayName: input.displayName ?? input.username!,
          passwordHash: passwordHash!,
          teamId: inv.team.id,
        });
      } catch (err) {
        if (err instanceof UniqueViolation) throw new AppError('conflict', `the username ${input.username} is taken`, { username: 'taken' });
        throw err;
      }
    }
    if (await workspaceStore.roleOf(tx, inv.workspace_id, accountId)) throw conflict('you are already a member of this workspace');
    if (inv.role === 'guest' && !(await liveHandoff(tx, inv.handoff_id))) throw new AppError('gone', 'this handoff session has ended');
    // Conditional, so two accepts of the last use cannot both pass (PostgreSQL re-checks the
    // condition on the row it waited for); the loser is told the invite is used up.
    const spent = await tx.run('UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses', [inv.id]);
    if (spent.changes !== 1) throw new AppError('gone', 'this invite has been used up');
    await workspaceStore.addMember(tx, inv.workspace_id, accountId, inv.role, inv.role === 'guest' ? inv.handoff_id : null);
    await auditStore.write(tx, {
      workspaceId: inv.workspace_id,
      actorId: accountId,
      teamId: inv.team.id,
      action: 'invite.accepted',
      detail: { inviteId: inv.id, role: inv.role, newAccount: !caller },
    });
    const member = (await workspaceStore.member(tx, inv.workspace_id, accountId))!;
    const created = caller ? undefined : publicAccount((await accountStore.byId(tx, accountId))!);
    return { workspaceId: inv.workspace_id, member, ...(created ? { createdAccount: created } : {}) };
  });
  ctx.realtime.toWorkspace(result.workspaceId, 'member:added', { workspaceId: result.workspaceId, member: result.member });
  return result;
}

/** An account may be created only through an invite its team's admins made or approved. */
function requireMayCreate(inv: InviteRow & { team: Team }): void {
  if (inv.approval !== 'approved') {
    throw new AppError('forbidden', `this invite waits for approval by the admins of team ${inv.team.code}; an existing account of that team can still use it`);
  }
}

async function liveHandoff(db: Db, handoffId: string | null): Promise<boolean> {
  if (!handoffId) return false;
  return !!(await db.get('SELECT 1 AS x FROM handoff_sessions WHERE id = ? AND ended_at IS NULL AND expires_at > ?', [handoffId, nowIso()]));
}
