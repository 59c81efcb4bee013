/**
 * A sighting's natural key, so recording one is idempotent: a sighting is the same as one the
 * indicator holds when the same team saw it at the same instant with the same context and note (the
 * context says where or by whom: "MISP sighting by CIRCL", "hunt finding ..."). Re-importing a MISP
 * or STIX file therefore records none of its sightings twice, while a new sighting in a later file is
 * recorded; the same holds for `sighting:add` over REST or the socket (a retry with its own command id
 * records nothing).
 *
 * Identical sightings may be several on purpose (a STIX sighting with `count: 3`): keys are counted,
 * so an item is recorded only when this command brings more copies of its key than the indicator
 * already held. Keys are per team: another team's sightings of a hidden indicator decide nothing
 * about what this team's add does (nothing about them can be learnt from the answer).
 *
 * The indicator's creation is one observation of it by its owner team at its first_seen: a merge item
 * that says only that (a re-imported file's row at the time the file gives, no context) repeats it.
 */
import type { Db } from '../storage/db.js';
import type { IndicatorRow, SightingRow } from './store.js';

type Keyed = Pick<SightingRow, 'team_id' | 'seen_at' | 'context' | 'note'>;

/** One instant however it was written ('...Z', '.000Z', '+02:00'); a value that is no time stays as is. */
const instant = (at: string) => {
  const t = Date.parse(at);
  return Number.isFinite(t) ? new Date(t).toISOString() : at;
};

export const sightingKey = (s: Keyed) => [s.team_id, instant(s.seen_at), s.context, s.note].join('\u0000');

/** Counts of the keys held, per indicator. */
export class HeldSightings {
  private readonly held = new Map<string, Map<string, number>>();
  private readonly brought = new Map<string, Map<string, number>>();

  /**
   * The sightings of `rows` by `teamId`, with each row's creation as one held observation by its
   * owner team. Read inside the command's transaction after its seq counter is locked, so that
   * concurrent commands of the workspace judge one after the other.
   */
  static async load(db: Db, rows: readonly IndicatorRow[], teamId: string): Promise<HeldSightings> {
    const out = new HeldSightings();
    const unique = new Map(rows.map((r) => [r.id, r]));
    const ids = [...unique.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const found = await db.all<Keyed & { indicator_id: string }>(
        `SELECT indicator_id, team_id, seen_at, context, note FROM indicator_sightings WHERE team_id = ? AND indicator_id IN (${chunk.map(() => '?').join(', ')})`,
        [teamId, ...chunk],
      );
      for (const s of found) out.add(out.held, s.indicator_id, sightingKey(s));
    }
    for (const r of unique.values()) {
      if (r.owner_team_id === teamId) out.add(out.held, r.id, sightingKey({ team_id: teamId, seen_at: r.first_seen, context: '', note: '' }));
    }
    return out;
  }

  private add(m: Map<string, Map<string, number>>, id: string, key: string): number {
    const keys = m.get(id) ?? m.set(id, new Map()).get(id)!;
    const n = (keys.get(key) ?? 0) + 1;
    keys.set(key, n);
    return n;
  }

  /** Whether one more copy of `s` on indicator `id` is a repeat of what it held (counted as brought either way). */
  repeats(id: string, s: Keyed): boolean {
    const key = sightingKey(s);
    return this.add(this.brought, id, key) <= (this.held.get(id)?.get(key) ?? 0);
  }
}
