/**
 * The authority model, decided here and nowhere else (docs/security.md, "Who may do what").
 *
 * Inside a workspace, roles decide (workspaces/policy.ts `can`) and markings decide what is seen
 * (shared `canSee`). Beyond one workspace, these acts are reserved, because each one reaches every
 * workspace of the server or decides who belongs to a nation's team, which is what visibility rests on:
 *
 * | act                                   | who                                                  |
 * |---------------------------------------|------------------------------------------------------|
 * | create a team, name its admins        | the operator: the CLI, or a site-admin account       |
 * | import an ATT&CK catalog              | the operator                                         |
 * | change site settings                  | the operator                                         |
 * | create a workspace                    | as the operator's setting says (default: team admins)|
 * | create an account in team T           | T's admins and the operator                          |
 * | approve or refuse an invite into T    | T's admins and the operator                          |
 *
 * An invite made by anyone else that would create an account in T waits for T's admins.
 */
import type { Account, Authority, SiteSettings } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { forbidden } from '../http/errors.js';
import { authorityStore } from './store.js';

export type SiteAction = 'team.create' | 'team.admins' | 'attack.import' | 'settings.update' | 'workspace.create' | 'account.create' | 'invite.decide';

/** Acts on one team need its id; site-wide acts do not. */
type TeamAction = Extract<SiteAction, 'account.create' | 'invite.decide'>;

const OPERATOR_ONLY: ReadonlySet<SiteAction> = new Set(['team.create', 'team.admins', 'attack.import', 'settings.update']);

const REFUSALS: Record<SiteAction, string> = {
  'team.create': 'only the operator (a site admin) may create teams',
  'team.admins': 'only the operator (a site admin) may name team admins',
  'attack.import': 'only the operator (a site admin) may import an ATT&CK catalog: it changes every workspace',
  'settings.update': 'only the operator (a site admin) may change site settings',
  'workspace.create': 'the operator has not allowed your account to create workspaces; ask your team admin',
  'account.create': "only that team's admins (or the operator) may create accounts in it",
  'invite.decide': "only that team's admins (or the operator) may approve or refuse an invite into it",
};

/** What `account` may do beyond workspaces, read fresh from the database (no cached grant outlives a change). */
export async function authorityOf(db: Db, account: Account): Promise<Authority & { adminTeamIds: string[] }> {
  const [siteAdmin, teams, settings] = await Promise.all([authorityStore.isSiteAdmin(db, account.id), authorityStore.adminTeams(db, account.id), authorityStore.settings(db)]);
  return {
    siteAdmin,
    adminOf: teams.map((t) => t.code),
    adminTeamIds: teams.map((t) => t.id),
    mayCreateWorkspaces: mayCreate(settings, siteAdmin, teams.length > 0),
  };
}

const mayCreate = (s: SiteSettings, siteAdmin: boolean, teamAdmin: boolean): boolean =>
  siteAdmin || s.workspaceCreators === 'anyone' || (s.workspaceCreators === 'team-admins' && teamAdmin);

/** True when `account` may do `action` (on team `teamId` for the per-team acts). */
export async function mayDo(db: Db, account: Account, action: SiteAction, teamId?: string): Promise<boolean> {
  const a = await authorityOf(db, account);
  if (a.siteAdmin) return true;
  if (OPERATOR_ONLY.has(action)) return false;
  if (action === 'workspace.create') return a.mayCreateWorkspaces;
  return teamId !== undefined && a.adminTeamIds.includes(teamId);
}

/** Throws 403 with a sentence saying who may, unless `account` may do `action`. */
export async function requireAuthority(db: Db, account: Account, action: Exclude<SiteAction, TeamAction>): Promise<void>;
export async function requireAuthority(db: Db, account: Account, action: TeamAction, teamId: string): Promise<void>;
export async function requireAuthority(db: Db, account: Account, action: SiteAction, teamId?: string): Promise<void> {
  if (!(await mayDo(db, account, action, teamId))) throw forbidden(REFUSALS[action]);
}

/** The caller's authority as the API shows it (team codes, no internal ids). */
export async function publicAuthority(db: Db, account: Account): Promise<Authority> {
  const { adminTeamIds: _ids, ...authority } = await authorityOf(db, account);
  return authority;
}
