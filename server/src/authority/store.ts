/** SQL for the authority model: site admins, team admins and the operator's site settings. */
import { workspaceCreatorsSchema, type SiteSettings, type Team } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';

/** A fresh server lets team admins (and site admins) create workspaces; the operator may widen or narrow it. */
export const DEFAULT_SETTINGS: SiteSettings = { workspaceCreators: 'team-admins' };
const WORKSPACE_CREATORS_KEY = 'workspace_creators';

export const authorityStore = {
  async isSiteAdmin(db: Db, accountId: string): Promise<boolean> {
    const r = await db.get<{ site_admin: number }>('SELECT site_admin FROM accounts WHERE id = ?', [accountId]);
    return Number(r?.site_admin ?? 0) === 1;
  },
  async setSiteAdmin(db: Db, accountId: string, on: boolean): Promise<void> {
    await db.run('UPDATE accounts SET site_admin = ? WHERE id = ?', [on ? 1 : 0, accountId]);
  },
  async adminTeams(db: Db, accountId: string): Promise<Team[]> {
    return db.all<Team>('SELECT t.id, t.code, t.name, t.color FROM team_admins ta JOIN teams t ON t.id = ta.team_id WHERE ta.account_id = ? ORDER BY t.code', [accountId]);
  },
  async isTeamAdmin(db: Db, accountId: string, teamId: string): Promise<boolean> {
    return !!(await db.get('SELECT 1 AS x FROM team_admins WHERE account_id = ? AND team_id = ?', [accountId, teamId]));
  },
  async teamAdmins(db: Db, teamId: string): Promise<{ accountId: string; username: string; displayName: string }[]> {
    return db.all(
      `SELECT a.id AS "accountId", a.username, a.display_name AS "displayName"
       FROM team_admins ta JOIN accounts a ON a.id = ta.account_id WHERE ta.team_id = ? ORDER BY a.username`,
      [teamId],
    );
  },
  /** Returns false when the account already was an admin of the team. */
  async addTeamAdmin(db: Db, teamId: string, accountId: string): Promise<boolean> {
    if (await authorityStore.isTeamAdmin(db, accountId, teamId)) return false;
    await db.run('INSERT INTO team_admins (team_id, account_id, created_at) VALUES (?, ?, ?)', [teamId, accountId, nowIso()]);
    return true;
  },
  async removeTeamAdmin(db: Db, teamId: string, accountId: string): Promise<boolean> {
    return (await db.run('DELETE FROM team_admins WHERE team_id = ? AND account_id = ?', [teamId, accountId])).changes > 0;
  },
  async settings(db: Db): Promise<SiteSettings> {
    const r = await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [WORKSPACE_CREATORS_KEY]);
    const parsed = workspaceCreatorsSchema.safeParse(r?.value);
    return { workspaceCreators: parsed.success ? parsed.data : DEFAULT_SETTINGS.workspaceCreators };
  },
  async setSettings(db: Db, s: SiteSettings): Promise<void> {
    const updated = await db.run('UPDATE settings SET value = ? WHERE key = ?', [s.workspaceCreators, WORKSPACE_CREATORS_KEY]);
    if (updated.changes === 0) await db.run('INSERT INTO settings (key, value) VALUES (?, ?)', [WORKSPACE_CREATORS_KEY, s.workspaceCreators]);
  },
};
