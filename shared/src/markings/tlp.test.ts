/**
 * `canSee` against the table of DESIGN.md section 4, exhaustively: every TLP level x the owner team
 * or another team x releasableTo empty, including the viewer, or listing only other teams.
 */
import { describe, expect, it } from 'vitest';
import { canSee, markingSchema, TLP_LEVELS, type TlpLevel } from './tlp.js';

const OWNER = 'team-us';
const VIEWER = 'team-ca';
const THIRD = 'team-lv';

type Releasable = 'empty' | 'including' | 'excluding';
const RELEASABLE: Record<Releasable, string[]> = {
  empty: [],
  including: [THIRD, VIEWER],
  excluding: [THIRD],
};

/** DESIGN.md section 4, "visible to other teams of the workspace". The owner team always sees. */
const OTHER_TEAM_SEES: Record<TlpLevel, Record<Releasable, boolean>> = {
  CLEAR: { empty: true, including: true, excluding: false },
  GREEN: { empty: true, including: true, excluding: false },
  AMBER: { empty: true, including: true, excluding: false },
  'AMBER+STRICT': { empty: false, including: false, excluding: false },
  RED: { empty: false, including: true, excluding: false },
};

const cases = TLP_LEVELS.flatMap((tlp) =>
  (Object.keys(RELEASABLE) as Releasable[]).flatMap((rel) => [
    { tlp, rel, viewer: 'owner team', viewerId: OWNER, expected: true },
    { tlp, rel, viewer: 'other team', viewerId: VIEWER, expected: OTHER_TEAM_SEES[tlp][rel] },
  ]),
);

describe('canSee', () => {
  it('the table covers every TLP level', () => {
    expect(Object.keys(OTHER_TEAM_SEES).sort()).toEqual([...TLP_LEVELS].sort());
    expect(cases).toHaveLength(TLP_LEVELS.length * 3 * 2);
  });

  it.each(cases)('$tlp, releasableTo $rel: the $viewer sees it = $expected', ({ tlp, rel, viewerId, expected }) => {
    expect(canSee(viewerId, { ownerTeamId: OWNER, marking: { tlp, releasableTo: RELEASABLE[rel] } })).toBe(expected);
  });

  it('the owner team sees its item even when releasableTo lists only other teams', () => {
    for (const tlp of TLP_LEVELS) {
      expect(canSee(OWNER, { ownerTeamId: OWNER, marking: { tlp, releasableTo: [VIEWER] } })).toBe(true);
    }
  });

  it('a third team listed in releasableTo does not open the item to a team that is not', () => {
    for (const tlp of TLP_LEVELS) {
      const item = { ownerTeamId: OWNER, marking: { tlp, releasableTo: [THIRD] } };
      expect(canSee(VIEWER, item), tlp).toBe(false);
      expect(canSee(THIRD, item), tlp).toBe(tlp !== 'AMBER+STRICT');
    }
  });

  it('matches team ids exactly: no prefix, case or whitespace games', () => {
    const item = { ownerTeamId: OWNER, marking: { tlp: 'RED' as const, releasableTo: [VIEWER] } };
    for (const lookalike of ['team-c', 'TEAM-CA', ` ${VIEWER}`, `${VIEWER} `, '', 'team-ca\u0000']) {
      expect(canSee(lookalike, item), JSON.stringify(lookalike)).toBe(false);
    }
    expect(canSee(VIEWER, item)).toBe(true);
  });

  it('refuses an unknown level instead of showing it (fail closed)', () => {
    const item = { ownerTeamId: OWNER, marking: { tlp: 'WHITE' as TlpLevel, releasableTo: [] } };
    expect(canSee(VIEWER, item)).toBe(false);
    expect(canSee(OWNER, item)).toBe(true);
  });
});

describe('markingSchema', () => {
  it('defaults releasableTo to empty and accepts every TLP 2.0 level', () => {
    for (const tlp of TLP_LEVELS) expect(markingSchema.parse({ tlp })).toEqual({ tlp, releasableTo: [] });
  });

  it('refuses TLP 1.0 WHITE, lower-case levels and malformed team lists', () => {
    for (const bad of [{ tlp: 'WHITE' }, { tlp: 'amber' }, { tlp: 'RED', releasableTo: [''] }, { tlp: 'RED', releasableTo: 'team-ca' }, {}]) {
      expect(markingSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
