/** SQL of handoff sessions. */
import type { HandoffSession } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';

interface Row {
  id: string;
  workspace_id: string;
  recipient_team_id: string;
  recipient_code: string;
  recipient_name: string;
  presenter_id: string;
  presenter_name: string;
  presenter_team: string;
  invite_id: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

const SELECT = `SELECT h.id, h.workspace_id, h.recipient_team_id, t.code AS recipient_code, t.name AS recipient_name, h.presenter_id,
  a.display_name AS presenter_name, pt.code AS presenter_team, h.invite_id, h.created_at, h.expires_at, h.ended_at
  FROM handoff_sessions h JOIN teams t ON t.id = h.recipient_team_id JOIN accounts a ON a.id = h.presenter_id JOIN teams pt ON pt.id = a.team_id`;

export interface StoredSession extends HandoffSession {
  recipientTeamId: string;
  inviteId: string;
}

const present = (r: Row): StoredSession => ({
  id: r.id,
  workspaceId: r.workspace_id,
  recipient: { code: r.recipient_code, name: r.recipient_name },
  recipientTeamId: r.recipient_team_id,
  presenter: { accountId: r.presenter_id, displayName: r.presenter_name, team: r.presenter_team },
  inviteId: r.invite_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
});

/** The wire shape: without the invite and team ids. */
export const publicSession = ({ recipientTeamId: _t, inviteId: _i, ...s }: StoredSession): HandoffSession => s;

export const handoffStore = {
  async insert(db: Db, s: { id: string; workspaceId: string; recipientTeamId: string; presenterId: string; inviteId: string; expiresAt: string }): Promise<void> {
    await db.run('INSERT INTO handoff_sessions (id, workspace_id, recipient_team_id, presenter_id, invite_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      s.id,
      s.workspaceId,
      s.recipientTeamId,
      s.presenterId,
      s.inviteId,
      nowIso(),
      s.expiresAt,
    ]);
  },
  async get(db: Db, id: string): Promise<StoredSession | undefined> {
    const r = await db.get<Row>(`${SELECT} WHERE h.id = ?`, [id]);
    return r && present(r);
  },
  /** Sessions not ended and not expired. */
  async active(db: Db, workspaceId: string): Promise<StoredSession[]> {
    const rows = await db.all<Row>(`${SELECT} WHERE h.workspace_id = ? AND h.ended_at IS NULL AND h.expires_at > ? ORDER BY h.created_at`, [workspaceId, nowIso()]);
    return rows.map(present);
  },
  /**
   * Ends the session and revokes its link. Conditional: false when it had already ended (another owner,
   * or another node's expiry sweep, got there first), and then nothing is written.
   */
  async end(db: Db, id: string, inviteId: string): Promise<boolean> {
    const now = nowIso();
    if ((await db.run('UPDATE handoff_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [now, id])).changes !== 1) return false;
    await db.run('UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, inviteId]);
    return true;
  },
};
