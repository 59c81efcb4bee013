/** SQL for workspaces and their members. */
import type { Member, Role, TlpLevel, Workspace } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { newId, nowIso } from '../util.js';

interface WorkspaceRow {
  id: string;
  name: string;
  description: string;
  default_tlp: TlpLevel;
  created_at: string;
  role: Role;
}

const presentWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  name: r.name,
  description: r.description,
  defaultTlp: r.default_tlp,
  createdAt: r.created_at,
  role: r.role,
});

interface MemberRow {
  account_id: string;
  username: string;
  display_name: string;
  role: Role;
  added_at: string;
  team_id: string;
  team_code: string;
  team_name: string;
  team_color: string;
}

const presentMember = (r: MemberRow): Member => ({
  accountId: r.account_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  addedAt: r.added_at,
  team: { id: r.team_id, code: r.team_code, name: r.team_name, color: r.team_color },
});

/**
 * A guest membership counts only while its handoff session is live: every read of a role goes through
 * this condition, so an ended or expired session shuts its guests out even before the sweeper
 * (handoff/guests.ts) deletes their rows and closes their sockets.
 */
const LIVE_MEMBERSHIP = `(m.handoff_id IS NULL OR EXISTS (SELECT 1 FROM handoff_sessions h
  WHERE h.id = m.handoff_id AND h.ended_at IS NULL AND h.expires_at > ?))`;

const MEMBER_SELECT = `SELECT m.account_id, a.username, a.display_name, m.role, m.added_at,
  t.id AS team_id, t.code AS team_code, t.name AS team_name, t.color AS team_color
  FROM members m JOIN accounts a ON a.id = m.account_id JOIN teams t ON t.id = a.team_id`;

export const workspaceStore = {
  async create(db: Db, w: { name: string; description: string; defaultTlp: TlpLevel; createdBy: string }): Promise<string> {
    const id = newId();
    const now = nowIso();
    await db.run('INSERT INTO workspaces (id, name, description, default_tlp, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      w.name,
      w.description,
      w.defaultTlp,
      w.createdBy,
      now,
    ]);
    await db.run('INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, ?, ?)', [id, w.createdBy, 'owner', now]);
    return id;
  },
  async listFor(db: Db, accountId: string): Promise<Workspace[]> {
    const rows = await db.all<WorkspaceRow>(
      `SELECT w.id, w.name, w.description, w.default_tlp, w.created_at, m.role
       FROM workspaces w JOIN members m ON m.workspace_id = w.id WHERE m.account_id = ? AND ${LIVE_MEMBERSHIP} ORDER BY w.created_at DESC`,
      [accountId, nowIso()],
    );
    return rows.map(presentWorkspace);
  },
  async getFor(db: Db, workspaceId: string, accountId: string): Promise<Workspace | undefined> {
    const r = await db.get<WorkspaceRow>(
      `SELECT w.id, w.name, w.description, w.default_tlp, w.created_at, m.role
       FROM workspaces w JOIN members m ON m.workspace_id = w.id WHERE w.id = ? AND m.account_id = ? AND ${LIVE_MEMBERSHIP}`,
      [workspaceId, accountId, nowIso()],
    );
    return r && presentWorkspace(r);
  },
  async update(db: Db, id: string, patch: { name?: string | undefined; description?: string | undefined; defaultTlp?: TlpLevel | undefined }): Promise<void> {
    const sets: string[] = [];
    const params: string[] = [];
    const columns = { name: patch.name, description: patch.description, default_tlp: patch.defaultTlp };
    for (const [column, value] of Object.entries(columns)) {
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(value);
    }
    if (sets.length) await db.run(`UPDATE workspaces SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  },
  /**
   * Serializes membership changes of one workspace until the transaction ends: a no-op write takes
   * the workspace row's lock on PostgreSQL (a second transaction waits here, then reads what the
   * first committed); SQLite transactions are serialized anyway. Without it, two owners demoting
   * each other under READ COMMITTED both see two owners and leave none.
   */
  async lock(db: Db, id: string): Promise<void> {
    await db.run('UPDATE workspaces SET name = name WHERE id = ?', [id]);
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.run('DELETE FROM workspaces WHERE id = ?', [id]);
  },
  async roleOf(db: Db, workspaceId: string, accountId: string): Promise<Role | undefined> {
    const r = await db.get<{ role: Role }>(`SELECT m.role FROM members m WHERE m.workspace_id = ? AND m.account_id = ? AND ${LIVE_MEMBERSHIP}`, [workspaceId, accountId, nowIso()]);
    return r?.role;
  },
  async members(db: Db, workspaceId: string): Promise<Member[]> {
    return (await db.all<MemberRow>(`${MEMBER_SELECT} WHERE m.workspace_id = ? AND ${LIVE_MEMBERSHIP} ORDER BY t.code, a.username`, [workspaceId, nowIso()])).map(presentMember);
  },
  async member(db: Db, workspaceId: string, accountId: string): Promise<Member | undefined> {
    const r = await db.get<MemberRow>(`${MEMBER_SELECT} WHERE m.workspace_id = ? AND m.account_id = ? AND ${LIVE_MEMBERSHIP}`, [workspaceId, accountId, nowIso()]);
    return r && presentMember(r);
  },
  /** `handoffId` binds a guest membership to its handoff session. */
  async addMember(db: Db, workspaceId: string, accountId: string, role: Role, handoffId: string | null = null): Promise<void> {
    // A lapsed guest row (its session over, the sweeper not yet by) must not block a new membership.
    await db.run(
      `DELETE FROM members WHERE workspace_id = ? AND account_id = ? AND handoff_id IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM handoff_sessions h WHERE h.id = members.handoff_id AND h.ended_at IS NULL AND h.expires_at > ?)`,
      [workspaceId, accountId, nowIso()],
    );
    await db.run('INSERT INTO members (workspace_id, account_id, role, added_at, handoff_id) VALUES (?, ?, ?, ?, ?)', [workspaceId, accountId, role, nowIso(), handoffId]);
  },
  /** Deletes the guest memberships of a handoff session; returns who they were. */
  async removeGuests(db: Db, handoffId: string): Promise<{ accountId: string; teamId: string }[]> {
    const guests = await db.all<{ accountId: string; teamId: string }>(
      `SELECT m.account_id AS "accountId", a.team_id AS "teamId" FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.handoff_id = ?`,
      [handoffId],
    );
    await db.run('DELETE FROM members WHERE handoff_id = ?', [handoffId]);
    return guests;
  },
  async setRole(db: Db, workspaceId: string, accountId: string, role: Role): Promise<void> {
    await db.run('UPDATE members SET role = ? WHERE workspace_id = ? AND account_id = ?', [role, workspaceId, accountId]);
  },
  async removeMember(db: Db, workspaceId: string, accountId: string): Promise<void> {
    await db.run('DELETE FROM members WHERE workspace_id = ? AND account_id = ?', [workspaceId, accountId]);
  },
  async ownerCount(db: Db, workspaceId: string): Promise<number> {
    const r = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM members WHERE workspace_id = ? AND role = 'owner'", [workspaceId]);
    return Number(r?.n ?? 0);
  },
};
