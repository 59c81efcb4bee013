/**
 * Team administration: the operator names a team's admins; a team's admins (and the operator) create
 * accounts in it. An admin of a team must belong to it: an admin from another nation would be exactly
 * the crossing this model exists to stop.
 */
import type { Account, CreateTeamAccountInput, SiteSettings, Team } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { AppError, conflict, notFound } from '../http/errors.js';
import { UniqueViolation } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { teamStore } from '../teams/store.js';
import { accountStore, publicAccount } from '../auth/store.js';
import { hashPassword } from '../auth/passwords.js';
import { requireAuthority } from './policy.js';
import { authorityStore } from './store.js';

export async function teamByCode(db: Db, code: string): Promise<Team> {
  const team = await teamStore.byCode(db, code);
  if (!team) throw notFound(`team ${code}`);
  return team;
}

/** Names `username` an admin of `team`; the account must be in that team. Returns false if it already was. */
export async function addTeamAdmin(db: Db, team: Team, username: string, actor: { id: string | null; teamId: string | null }): Promise<boolean> {
  const account = await accountStore.byUsername(db, username);
  if (!account) throw new AppError('not_found', `no account named ${username}`, { username: 'no such account' });
  if (account.team.id !== team.id) throw conflict(`${username} is in team ${account.team.code}; a team's admins must belong to it`);
  return db.transaction(async (tx) => {
    const added = await authorityStore.addTeamAdmin(tx, team.id, account.id);
    if (added) await auditStore.write(tx, { actorId: actor.id, teamId: actor.teamId, action: 'team.admin_added', detail: { team: team.code, username } });
    return added;
  });
}

export async function removeTeamAdmin(db: Db, team: Team, username: string, actor: { id: string | null; teamId: string | null }): Promise<void> {
  const account = await accountStore.byUsername(db, username);
  await db.transaction(async (tx) => {
    if (!account || !(await authorityStore.removeTeamAdmin(tx, team.id, account.id))) throw notFound(`admin ${username} of team ${team.code}`);
    await auditStore.write(tx, { actorId: actor.id, teamId: actor.teamId, action: 'team.admin_removed', detail: { team: team.code, username } });
  });
}

/** A team admin (or the operator) creates an account in the team directly. */
export async function createTeamAccount(ctx: AppContext, actor: Account, teamCode: string, input: CreateTeamAccountInput): Promise<Account> {
  const team = await teamByCode(ctx.db, teamCode);
  await requireAuthority(ctx.db, actor, 'account.create', team.id);
  // Through the node's cap on argon2 hashes at once, like logins and invite acceptance.
  const passwordHash = await ctx.resources.hashes.run(() => hashPassword(input.password));
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const created = await accountStore.create(tx, { username: input.username, displayName: input.displayName ?? input.username, passwordHash, teamId: team.id });
      await auditStore.write(tx, { actorId: actor.id, teamId: actor.team.id, action: 'account.created', detail: { team: team.code, username: input.username } });
      return created;
    });
    return publicAccount((await accountStore.byId(ctx.db, id))!);
  } catch (err) {
    if (err instanceof UniqueViolation) throw new AppError('conflict', `the username ${input.username} is taken`, { username: 'taken' });
    throw err;
  }
}

export async function updateSettings(ctx: AppContext, actor: Account, settings: SiteSettings): Promise<SiteSettings> {
  await requireAuthority(ctx.db, actor, 'settings.update');
  await ctx.db.transaction(async (tx) => {
    await authorityStore.setSettings(tx, settings);
    await auditStore.write(tx, { actorId: actor.id, teamId: actor.team.id, action: 'settings.updated', detail: { ...settings } });
  });
  return authorityStore.settings(ctx.db);
}
