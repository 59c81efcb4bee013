/**
 * Use cases for workspaces and members. Each mutation writes its audit row in the same transaction
 * and emits its realtime event only after the commit (STYLE.md, "events after commit").
 */
import type { Account, CreateWorkspaceInput, Member, Role, Workspace } from '@huntroom/shared';
import { CLOSE_CODES } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { AppError, conflict, forbidden, notFound } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { accountStore } from '../auth/store.js';
import { can, type WorkspaceAction } from './policy.js';
import { requireAuthority } from '../authority/policy.js';
import { workspaceStore } from './store.js';
import { checkRemoteMember, instanceOf, unknownRemote } from '../federation/members.js';
import { tellMemberChange } from '../federation/memberChanges.js';

/**
 * The caller's workspace if they may do `action` in it. A non-member gets 404, never a hint that the
 * workspace exists; a member without the right gets 403.
 */
export async function loadWorkspace(db: Db, workspaceId: string, account: Account, action: WorkspaceAction): Promise<Workspace> {
  const ws = await workspaceStore.getFor(db, workspaceId, account.id);
  if (!ws) throw notFound('workspace');
  if (!can(ws.role, action)) throw forbidden(action === 'manage' ? 'only owners may manage this workspace' : 'your role may not do that here');
  return ws;
}

const audit = (db: Db, account: Account, workspaceId: string, action: string, detail: Record<string, unknown> = {}) =>
  auditStore.write(db, { workspaceId, actorId: account.id, teamId: account.team.id, action, detail });

export async function createWorkspace(ctx: AppContext, account: Account, input: CreateWorkspaceInput): Promise<Workspace> {
  await requireAuthority(ctx.db, account, 'workspace.create');
  const id = await ctx.db.transaction(async (tx) => {
    const wsId = await workspaceStore.create(tx, {
      name: input.name,
      description: input.description ?? '',
      defaultTlp: input.defaultTlp ?? 'AMBER',
      createdBy: account.id,
    });
    await audit(tx, account, wsId, 'workspace.created', { name: input.name });
    return wsId;
  });
  return (await workspaceStore.getFor(ctx.db, id, account.id))!;
}

export async function addMember(ctx: AppContext, actor: Account, workspaceId: string, username: string, role: Role): Promise<Member> {
  const member = await ctx.db.transaction(async (tx) => {
    await lockForManage(tx, workspaceId, actor);
    const target = await accountStore.byUsername(tx, username);
    if (!target && instanceOf(username)) throw unknownRemote(username);
    if (!target) throw new AppError('not_found', `no account named ${username}`, { username: 'no such account' });
    if (await workspaceStore.roleOf(tx, workspaceId, target.id)) throw conflict(`${username} is already a member`);
    // A user of another instance: only within what the share with that instance allows.
    await checkRemoteMember(tx, workspaceId, target.id, username, role);
    await workspaceStore.addMember(tx, workspaceId, target.id, role);
    await audit(tx, actor, workspaceId, 'member.added', { username, role });
    return (await workspaceStore.member(tx, workspaceId, target.id))!;
  });
  ctx.realtime.toWorkspace(workspaceId, 'member:added', { workspaceId, member });
  return member;
}

export async function changeRole(ctx: AppContext, actor: Account, workspaceId: string, username: string, role: Role): Promise<Member> {
  const member = await ctx.db.transaction(async (tx) => {
    await lockForManage(tx, workspaceId, actor);
    const target = await memberByUsername(tx, workspaceId, username);
    // A guest's membership is its handoff session's; a lasting role is given by adding the account.
    if (target.role === 'guest') throw conflict(`${username} is a guest of a handoff session; their membership ends with it`);
    await checkRemoteMember(tx, workspaceId, target.accountId, username, role);
    if (target.role === 'owner' && role !== 'owner' && (await workspaceStore.ownerCount(tx, workspaceId)) <= 1) {
      throw conflict('a workspace needs at least one owner; make someone else owner first');
    }
    await workspaceStore.setRole(tx, workspaceId, target.accountId, role);
    await audit(tx, actor, workspaceId, 'member.role_changed', { username, from: target.role, to: role });
    // A remote member's instance applies it to its replica (federation/memberChanges.ts).
    await tellMemberChange(tx, workspaceId, target.accountId, role);
    return { ...target, role };
  });
  ctx.realtime.toWorkspace(workspaceId, 'member:updated', { workspaceId, member });
  // Record-plane roles are read per command; an open document socket holds its role, so it reconnects.
  ctx.realtime.closeAccessEverywhere({ workspaceId, accountIds: [member.accountId], code: CLOSE_CODES.accessChanged, reason: 'your role in this workspace changed' });
  return member;
}

export async function removeMember(ctx: AppContext, actor: Account, workspaceId: string, username: string): Promise<void> {
  const removed = await ctx.db.transaction(async (tx) => {
    await lockForManage(tx, workspaceId, actor);
    const target = await memberByUsername(tx, workspaceId, username);
    if (target.role === 'owner' && (await workspaceStore.ownerCount(tx, workspaceId)) <= 1) {
      throw conflict('a workspace needs at least one owner; make someone else owner first');
    }
    await workspaceStore.removeMember(tx, workspaceId, target.accountId);
    await audit(tx, actor, workspaceId, 'member.removed', { username });
    await tellMemberChange(tx, workspaceId, target.accountId, null);
    return target;
  });
  ctx.realtime.toWorkspace(workspaceId, 'member:removed', { workspaceId, accountId: removed.accountId });
  ctx.realtime.revokeAccount(workspaceId, removed.accountId, removed.team.id);
  ctx.realtime.closeAccessEverywhere({ workspaceId, accountIds: [removed.accountId], code: CLOSE_CODES.forbidden, reason: 'you were removed from this workspace' });
}

/**
 * Takes the workspace's membership lock, then checks the actor may manage it: authorization and the
 * last-owner rule are decided on the state no concurrent change can alter before this commits (an
 * owner demoted a moment ago cannot still act on the strength of an earlier check).
 */
async function lockForManage(tx: Db, workspaceId: string, actor: Account): Promise<void> {
  await workspaceStore.lock(tx, workspaceId);
  await loadWorkspace(tx, workspaceId, actor, 'manage');
}

async function memberByUsername(db: Db, workspaceId: string, username: string): Promise<Member> {
  const account = await accountStore.byUsername(db, username);
  const member = account && (await workspaceStore.member(db, workspaceId, account.id));
  if (!member) throw new AppError('not_found', `${username} is not a member`, { username: 'not a member of this workspace' });
  return member;
}

export async function deleteWorkspace(ctx: AppContext, actor: Account, workspaceId: string): Promise<void> {
  await loadWorkspace(ctx.db, workspaceId, actor, 'delete');
  const members = await workspaceStore.members(ctx.db, workspaceId);
  await ctx.db.transaction(async (tx) => {
    await workspaceStore.delete(tx, workspaceId);
    await audit(tx, actor, workspaceId, 'workspace.deleted');
  });
  for (const m of members) ctx.realtime.revokeAccount(workspaceId, m.accountId, m.team.id);
  ctx.realtime.closeAccessEverywhere({ workspaceId, accountIds: members.map((m) => m.accountId), code: CLOSE_CODES.documentGone, reason: 'the workspace was deleted' });
}
