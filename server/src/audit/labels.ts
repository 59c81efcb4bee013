/**
 * Names for the items audit rows are about, so the trail reads "changed indicator evil.example.com"
 * instead of a UUID (issue 19). A name is content under its item's marking: it is looked up as the
 * item is now and given only when the viewer's team may see it (`canSee`); an item that is gone or
 * hidden keeps its bare id. Rows themselves are filtered before this (subjects.ts).
 */
import { canSee, type TlpLevel } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { markedItem } from '../indicators/store.js';
import type { AuditSubjectKind, SubjectRef } from './subjects.js';

export interface SubjectLabel {
  kind: AuditSubjectKind;
  id: string;
  /** What people call it (a value, a title, a host name), when the viewer may see it. */
  label?: string;
}

type Row = { id: string; label: string; tlp: TlpLevel; releasable_to: string; owner_team_id: string };

/** The column that names each kind of item, and where it lives. */
const NAMES: Partial<Record<AuditSubjectKind, { table: string; label: string }>> = {
  indicator: { table: 'indicators', label: 'value' },
  document: { table: 'documents', label: 'title' },
  network: { table: 'hunt_networks', label: 'name' },
  host: { table: 'hunt_hosts', label: 'hostname' },
  finding: { table: 'hunt_findings', label: 'title' },
  timeline: { table: 'hunt_timeline', label: 'description' },
};

const MAX_LABEL = 120;

export async function labelSubjects(db: Db, workspaceId: string, viewerTeamId: string, refs: SubjectRef[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const [kind, where] of Object.entries(NAMES) as [AuditSubjectKind, { table: string; label: string }][]) {
    const ids = [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
    for (let i = 0; i < ids.length; i += 400) {
      const chunk = ids.slice(i, i + 400);
      const rows = await db.all<Row>(
        `SELECT id, ${where.label} AS label, tlp, releasable_to, owner_team_id FROM ${where.table} WHERE workspace_id = ? AND id IN (${chunk.map(() => '?').join(', ')})`,
        [workspaceId, ...chunk],
      );
      for (const r of rows) if (canSee(viewerTeamId, markedItem(r)) && r.label) labels.set(`${kind}:${r.id}`, r.label.slice(0, MAX_LABEL));
    }
  }
  return labels;
}
