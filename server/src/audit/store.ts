/**
 * The audit trail of security events and changes: who, which team, when, what. Written inside the
 * same transaction as the change it records, so the trail and the data cannot disagree.
 */
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';

export interface AuditEntry {
  workspaceId?: string | null;
  actorId?: string | null;
  teamId?: string | null;
  action: string;
  detail?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: string;
  workspaceId: string | null;
  actorId: string | null;
  actorUsername: string | null;
  teamCode: string | null;
  action: string;
  detail: Record<string, unknown>;
}

export const auditStore = {
  async write(db: Db, e: AuditEntry): Promise<void> {
    await db.run('INSERT INTO audit_log (at, workspace_id, actor_id, team_id, action, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      nowIso(),
      e.workspaceId ?? null,
      e.actorId ?? null,
      e.teamId ?? null,
      e.action,
      JSON.stringify(e.detail ?? {}),
    ]);
  },
  async forWorkspace(db: Db, workspaceId: string, limit = 200): Promise<AuditRecord[]> {
    const rows = await db.all<{
      id: number;
      at: string;
      workspace_id: string | null;
      actor_id: string | null;
      username: string | null;
      code: string | null;
      action: string;
      detail: string;
    }>(
      `SELECT l.id, l.at, l.workspace_id, l.actor_id, a.username, t.code, l.action, l.detail
       FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id LEFT JOIN teams t ON t.id = l.team_id
       WHERE l.workspace_id = ? ORDER BY l.id DESC LIMIT ?`,
      [workspaceId, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      workspaceId: r.workspace_id,
      actorId: r.actor_id,
      actorUsername: r.username,
      teamCode: r.code,
      action: r.action,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  },
};
