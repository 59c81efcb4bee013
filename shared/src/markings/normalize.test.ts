/**
 * The marking normalization may keep or narrow, never widen: over every input (any level, any list
 * of ids, codes in any case, duplicates, the owner's own team, unknown names) and every viewer team,
 * whoever may see the normalized marking is someone the author asked to see it. "Asked" is read from
 * DESIGN.md section 4 directly, not through `canSee`, so a fault shared by both would still show.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMarking, type KnownTeam } from './normalize.js';
import { canSee, TLP_LEVELS, type TlpLevel } from './tlp.js';

const TEAMS: KnownTeam[] = [
  { id: 'id-us', code: 'US' },
  { id: 'id-ca', code: 'CA' },
  { id: 'id-lv', code: 'LV' },
  { id: 'id-cert', code: 'CERT-LV' },
];
/** A team of the node that is not a team of anything listed: it must never gain sight either. */
const VIEWERS = [...TEAMS.map((t) => t.id), 'id-outsider'];

/** Whether `entry` names `team` (by id, or by code in any case with spaces around). */
const names = (entry: string, team: KnownTeam) => entry === team.id || entry.trim().toUpperCase() === team.code;

/** The teams the author asked for, from the table of DESIGN.md section 4. */
function asked(tlp: TlpLevel, list: readonly string[], owner: string, viewer: string): boolean {
  if (viewer === owner) return true;
  const listed = list.some((e) => TEAMS.some((t) => t.id === viewer && names(e, t)));
  if (tlp === 'AMBER+STRICT') return false;
  if (tlp === 'RED') return listed;
  return list.length === 0 || listed;
}

const entry = fc.oneof(
  fc.constantFrom(...TEAMS.map((t) => t.id)),
  fc.constantFrom(...TEAMS.map((t) => t.code)).chain((code) => fc.constantFrom(code, code.toLowerCase(), ` ${code} `, code[0] + code.slice(1).toLowerCase())),
  fc.string({ maxLength: 8 }),
);
const input = fc.record({ tlp: fc.constantFrom(...TLP_LEVELS), releasableTo: fc.array(entry, { maxLength: 6 }), owner: fc.constantFrom(...TEAMS.map((t) => t.id)) });

describe('normalizeMarking', () => {
  it('never widens: every team that may see the result was asked for, for every input and viewer', () => {
    fc.assert(
      fc.property(input, ({ tlp, releasableTo, owner }) => {
        const r = normalizeMarking({ tlp, releasableTo }, TEAMS);
        if (!r.ok) return;
        for (const viewer of VIEWERS) {
          if (canSee(viewer, { marking: r.marking, ownerTeamId: owner })) expect({ viewer, asked: asked(tlp, releasableTo, owner, viewer) }).toEqual({ viewer, asked: true });
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps exactly what was asked when every name is known (it narrows nothing by accident either)', () => {
    fc.assert(
      fc.property(input, ({ tlp, releasableTo, owner }) => {
        const r = normalizeMarking({ tlp, releasableTo }, TEAMS);
        if (!r.ok) return;
        for (const viewer of VIEWERS) expect(canSee(viewer, { marking: r.marking, ownerTeamId: owner })).toBe(asked(tlp, releasableTo, owner, viewer));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses any unknown name instead of dropping it, and is idempotent on its output', () => {
    fc.assert(
      fc.property(input, ({ tlp, releasableTo }) => {
        const known = releasableTo.every((e) => TEAMS.some((t) => names(e, t)));
        const r = normalizeMarking({ tlp, releasableTo }, TEAMS);
        expect(r.ok).toBe(known);
        if (!r.ok) {
          expect(r.unknown.length).toBeGreaterThan(0);
          return;
        }
        // A non-empty list never becomes the empty list that means "every team".
        expect(r.marking.releasableTo.length === 0).toBe(releasableTo.length === 0);
        expect(normalizeMarking(r.marking, TEAMS)).toEqual(r);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the case of issue 15: AMBER releasable to the author’s own team stays with that team', () => {
    const r = normalizeMarking({ tlp: 'AMBER', releasableTo: ['US'] }, TEAMS);
    expect(r).toEqual({ ok: true, marking: { tlp: 'AMBER', releasableTo: ['id-us'] } });
    if (r.ok) {
      expect(canSee('id-ca', { marking: r.marking, ownerTeamId: 'id-us' })).toBe(false);
      expect(canSee('id-us', { marking: r.marking, ownerTeamId: 'id-us' })).toBe(true);
    }
    expect(normalizeMarking({ tlp: 'AMBER', releasableTo: ['XX'] }, TEAMS)).toMatchObject({ ok: false, unknown: ['XX'], message: 'unknown team: XX' });
  });
});
