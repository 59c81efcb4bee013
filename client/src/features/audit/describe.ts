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
  'indicator.deleted': 'deleted an indicator',
  'note.created': 'created a note',
  'note.version_saved': 'saved a note version',
  'note.renamed': 'renamed a note',
  'note.marking_changed': 'changed a note marking',
  'note.deleted': 'deleted a note',
  'attack.imported': 'imported ATT&CK data',
  'attack.layer_imported': 'imported a Navigator layer',
  'attack.layer_exported': 'exported a Navigator layer',
};

export const describeAction = (action: string): string => ACTIONS[action] ?? action.replace(/[._]/g, ' ');

/** One line of detail, without quotes and braces; ids last, since people read names first. */
export function summarizeDetail(detail: Record<string, unknown>): string {
  const entries = Object.entries(detail).filter(([, v]) => v !== null && v !== undefined && v !== '');
  entries.sort(([a], [b]) => Number(/id$/i.test(a)) - Number(/id$/i.test(b)));
  return entries
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
