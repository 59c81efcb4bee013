/**
 * The audit trail of security events and changes: who, which team, when, what. Written inside the
 * same transaction as the change it records, so the trail and the data cannot disagree.
 *
 * A row may name marked items (`about`, stored with their marking at the time); reading the trail of a
 * workspace leaves out the rows about items the viewer's team may not see (subjects.ts says how).
 */
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';
import { currentItems, inferSubjects, SubjectFilter, type AuditSubject, type SubjectRef } from './subjects.js';
import { labelSubjects, type SubjectLabel } from './labels.js';

export type { AuditSubject } from './subjects.js';

export interface AuditEntry {
  workspaceId?: string | null;
  actorId?: string | null;
  teamId?: string | null;
  action: string;
  detail?: Record<string, unknown>;
  /** The marked items the row is about, as they are at the time of the change. */
  about?: AuditSubject[];
}

export interface AuditRecord {
  id: number;
  at: string;
  workspaceId: string | null;
  actorId: string | null;
  actorUsername: string | null;
  actorDisplayName: string | null;
  teamCode: string | null;
  action: string;
  detail: Record<string, unknown>;
  /** The items the row is about, named when the viewer's team may see them now (labels.ts). */
  subjects: SubjectLabel[];
}

interface Row {
  id: number;
  at: string;
  workspace_id: string | null;
  actor_id: string | null;
  username: string | null;
  display_name: string | null;
  code: string | null;
  action: string;
  detail: string;
  about: string | null;
}

/** The viewer of a trail: its team decides which rows it may read. */
export interface AuditViewer {
  teamId: string;
  teamCode: string;
}

const PAGE = 500;
/** Rows read at most per request, visible or not: a trail full of hidden rows cannot cost unbounded work. */
const MAX_SCANNED = 20_000;

const present = (r: Row, detail: Record<string, unknown>, subjects: SubjectRef[]): AuditRecord => ({
  id: Number(r.id),
  at: r.at,
  workspaceId: r.workspace_id,
  actorId: r.actor_id,
  actorUsername: r.username,
  actorDisplayName: r.display_name,
  teamCode: r.code,
  action: r.action,
  detail,
  subjects: subjects.map((x) => ({ kind: x.kind, id: x.id })),
});

/**
 * An export's counts say how many items both the exporting team and the recipient may see: shown to
 * those two teams only (each may see all of them); the others read that an export happened, not its size.
 */
function redact(r: Row, detail: Record<string, unknown>, viewer: AuditViewer): Record<string, unknown> {
  if (r.action !== 'export.created' || r.code === viewer.teamCode || detail.recipient === viewer.teamCode) return detail;
  const { indicators: _i, notes: _n, marks: _m, ...rest } = detail;
  return rest;
}

export const auditStore = {
  async write(db: Db, e: AuditEntry): Promise<void> {
    await db.run('INSERT INTO audit_log (at, workspace_id, actor_id, team_id, action, detail, about) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      nowIso(),
      e.workspaceId ?? null,
      e.actorId ?? null,
      e.teamId ?? null,
      e.action,
      JSON.stringify(e.detail ?? {}),
      e.about?.length ? JSON.stringify(e.about.map(({ kind, id, marking, ownerTeamId }) => ({ kind, id, marking, ownerTeamId }))) : null,
    ]);
  },

  /** The newest `limit` rows of a workspace's trail that `viewer`'s team may see, newest first. */
  async forWorkspace(db: Db, workspaceId: string, viewer: AuditViewer, limit = 200): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const filter = new SubjectFilter(viewer.teamId);
    for (let before = Number.MAX_SAFE_INTEGER, scanned = 0; out.length < limit && scanned < MAX_SCANNED;) {
      const rows = await db.all<Row>(
        `SELECT l.id, l.at, l.workspace_id, l.actor_id, a.username, a.display_name, t.code, l.action, l.detail, l.about
         FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id LEFT JOIN teams t ON t.id = l.team_id
         WHERE l.workspace_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?`,
        [workspaceId, before, PAGE],
      );
      const parsed = rows.map((r) => {
        const detail = JSON.parse(r.detail) as Record<string, unknown>;
        const subjects: SubjectRef[] = r.about ? (JSON.parse(r.about) as AuditSubject[]) : inferSubjects(r.workspace_id, r.action, detail);
        return { r, detail, subjects };
      });
      // The items' current markings, looked up once per page.
      filter.learn(
        await currentItems(
          db,
          workspaceId,
          parsed.flatMap((p) => p.subjects),
        ),
      );
      for (const p of parsed) {
        if (out.length < limit && filter.visible(p.subjects)) out.push(present(p.r, redact(p.r, p.detail, viewer), p.subjects));
      }
      scanned += rows.length;
      if (rows.length < PAGE) break;
      before = Number(rows.at(-1)!.id);
    }
    const labels = await labelSubjects(
      db,
      workspaceId,
      viewer.teamId,
      out.flatMap((r) => r.subjects),
    );
    for (const r of out) for (const s of r.subjects) s.label = labels.get(`${s.kind}:${s.id}`);
    return out;
  },
};
