/**
 * Which indicators hold the STIX objects a request names by id (`/objects/:id/`, `match[id]`), so the
 * page reads and builds only those instead of walking the collection. Huntroom's STIX ids are
 * name-based hashes (exports/formats/ids.ts) and cannot be read backwards: the id columns the
 * requested types need are read (never whole rows, never STIX) and hashed, and the matching
 * indicators are then loaded. Visibility is not decided here: the page applies `canSee` to what comes
 * back, exactly as the walk did, so a hidden indicator answers as a missing one.
 */
import type { Db } from '../storage/db.js';
import { stixId } from '../exports/formats/ids.js';

/** The object types an indicator's own objects are built as (exports/formats/stix.ts). */
const OWN_TYPES = new Set(['indicator', 'vulnerability', 'relationship', 'sighting', 'note']);

export async function indicatorsHolding(db: Db, workspaceId: string, ids: ReadonlySet<string>): Promise<Set<string>> {
  const byType = new Map<string, Set<string>>();
  for (const id of ids) {
    const type = id.split('--')[0]!;
    if (OWN_TYPES.has(type)) (byType.get(type) ?? byType.set(type, new Set()).get(type)!).add(id);
  }
  const out = new Set<string>();
  const wanted = (type: string, name: string) => byType.get(type)?.has(stixId(type, name)) === true;
  if (byType.has('indicator') || byType.has('vulnerability') || byType.has('relationship')) {
    const rows = await db.all<{ id: string; techniques: string }>('SELECT id, techniques FROM indicators WHERE workspace_id = ?', [workspaceId]);
    for (const r of rows) {
      if (wanted('indicator', r.id) || wanted('vulnerability', r.id)) out.add(r.id);
      else if (byType.has('relationship') && (JSON.parse(r.techniques) as string[]).some((t) => wanted('relationship', `${r.id}:${t}`))) out.add(r.id);
    }
  }
  for (const [type, table] of [
    ['sighting', 'indicator_sightings'],
    ['note', 'indicator_comments'],
  ] as const) {
    if (!byType.has(type)) continue;
    const rows = await db.all<{ id: string; indicator_id: string }>(
      `SELECT x.id, x.indicator_id FROM ${table} x JOIN indicators i ON i.id = x.indicator_id WHERE i.workspace_id = ?`,
      [workspaceId],
    );
    for (const r of rows) if (wanted(type, r.id)) out.add(r.indicator_id);
  }
  return out;
}

/** Whether a requested id may be one of the closing reference objects (identities, markings, ...). */
export const mayBeReference = (ids: ReadonlySet<string>) => [...ids].some((id) => !OWN_TYPES.has(id.split('--')[0]!));
