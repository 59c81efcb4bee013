/**
 * Audit actions in words people read at a glance at 3 a.m. The raw action stays visible beside it
 * (for grep and for reports); an action not listed here is shown as it is, never hidden.
 */
const ACTIONS: Record<string, string> = {
  'workspace.created': 'started the workspace',
  'workspace.updated': 'changed the workspace',
  'workspace.deleted': 'deleted the workspace',
  'member.added': 'added a member',
  'member.role_changed': 'changed a role',
  'member.removed': 'removed a member',
  'invite.created': 'created an invite',
  'invite.accepted': 'joined by invite',
  'indicator.created': 'added an indicator',
  'indicator.sighted': 'recorded a sighting',
  'indicator.imported': 'imported indicators',
  'indicator.updated': 'edited an indicator',
  'indicator.bulk_updated': 'edited indicators in bulk',
  'indicator.commented': 'commented on an indicator',
  'indicator.marking_changed': 'changed an indicator marking',
  'indicator.comment_marking_changed': 'changed a comment marking',
  'indicator.deleted': 'deleted an indicator',
  'note.created': 'created a note',
  'note.version_saved': 'saved a note version',
  'note.renamed': 'renamed a note',
  'note.marking_changed': 'changed a note marking',
  'note.deleted': 'deleted a note',
  'whiteboard.created': 'created a whiteboard',
  'whiteboard.renamed': 'renamed a whiteboard',
  'whiteboard.marking_changed': 'changed a whiteboard marking',
  'whiteboard.deleted': 'deleted a whiteboard',
  'attack.imported': 'imported ATT&CK data',
  'attack.layer_imported': 'imported a Navigator layer',
  'attack.layer_exported': 'exported a Navigator layer',
  'attack.marking_changed': 'changed the ATT&CK board marking',
  'export.created': 'exported for a team',
  'handoff.started': 'started a live handoff',
  'handoff.ended': 'ended a live handoff',
};

export const describeAction = (action: string): string => ACTIONS[action] ?? action.replace(/[._]/g, ' ');

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A marking as people say it: its TLP label, and how many teams it names (they are ids here, not codes). */
function showMarking(m: { tlp: string; releasableTo?: unknown }): string {
  const n = Array.isArray(m.releasableTo) ? m.releasableTo.length : 0;
  return `TLP:${m.tlp}${n ? `, releasable to ${n} team${n === 1 ? '' : 's'}` : ''}`;
}

const isMarking = (v: unknown): v is { tlp: string; releasableTo?: unknown } => typeof v === 'object' && v !== null && typeof (v as { tlp?: unknown }).tlp === 'string';

const show = (v: unknown): string => {
  if (Array.isArray(v)) return v.map(show).join(', ') || '—';
  if (isMarking(v)) return showMarking(v);
  if (typeof v === 'string' && ISO_TIME.test(v)) return new Date(v).toLocaleString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '—';
};

/**
 * One line of detail, without quotes and braces; times in local time; ids last, since people read names
 * first. `named`: ids the row already shows by name (its subjects), left out here.
 */
export function summarizeDetail(detail: Record<string, unknown>, named: ReadonlySet<string> = new Set()): string {
  const entries = Object.entries(detail).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(typeof v === 'string' && named.has(v)));
  entries.sort(([a], [b]) => Number(/id$/i.test(a)) - Number(/id$/i.test(b)));
  return entries.map(([k, v]) => `${k}: ${show(v)}`).join(' · ');
}

export interface AuditSubjectView {
  kind: string;
  id: string;
  label?: string;
}

const KIND_WORDS: Record<string, string> = {
  document: 'document',
  indicator: 'indicator',
  comment: 'comment',
  network: 'network',
  host: 'host',
  finding: 'finding',
  timeline: 'timeline event',
};

/** The items a row is about, by name when the viewer may see them; a comment is named through its indicator. */
export function namedSubjects(subjects: readonly AuditSubjectView[]): { kind: string; label: string }[] {
  return subjects.flatMap((s) => (s.label ? [{ kind: KIND_WORDS[s.kind] ?? s.kind, label: s.label }] : []));
}
