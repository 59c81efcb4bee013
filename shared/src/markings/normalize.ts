/**
 * The one normalization of marking input, for every kind of item (indicators, comments, notes,
 * whiteboards, the ATT&CK board). It may keep or narrow what was asked, never widen it:
 *
 * - every entry of `releasableTo` names a known team, by id or by code (any case, padding ignored);
 *   an unknown entry is an error, never dropped, because dropping the only entry would turn "these
 *   teams" into the empty list, which `canSee` reads as "every team" for CLEAR/GREEN/AMBER;
 * - a non-empty list stays non-empty: the owner team is kept when it is listed, so AMBER releasable to
 *   the author's own team means "only my team", not "everyone" (the hole of issue 15, 2.3);
 * - duplicates go, entries become team ids in the order first given.
 *
 * The level is kept as asked. The owner team always sees its item (`canSee`), whatever the list says.
 */
import type { Marking, TlpLevel } from './tlp.js';

export interface KnownTeam {
  id: string;
  code: string;
}

export interface MarkingInput {
  tlp: TlpLevel;
  /** Team ids or codes; absent or empty means every team (except for RED and AMBER+STRICT). */
  releasableTo?: readonly string[] | undefined;
}

export type NormalizedMarking = { ok: true; marking: Marking } | { ok: false; unknown: string[]; message: string };

/** The team an entry names: an exact id, else a code compared without case or surrounding spaces. */
function resolve(entry: string, teams: readonly KnownTeam[]): KnownTeam | undefined {
  const byId = teams.find((t) => t.id === entry);
  if (byId) return byId;
  const code = entry.trim().toUpperCase();
  return code ? teams.find((t) => t.code.toUpperCase() === code) : undefined;
}

export function normalizeMarking(input: MarkingInput, teams: readonly KnownTeam[]): NormalizedMarking {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const entry of input.releasableTo ?? []) {
    const team = resolve(entry, teams);
    if (!team) unknown.push(entry);
    else if (!ids.includes(team.id)) ids.push(team.id);
  }
  if (unknown.length) return { ok: false, unknown, message: `unknown team${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` };
  return { ok: true, marking: { tlp: input.tlp, releasableTo: ids } };
}
