import { describe, expect, it } from 'vitest';
import { narrowWithin } from './narrowWithin.js';
import { canSee, TLP_LEVELS, type MarkedItem, type TlpLevel } from './tlp.js';

const teams = ['us', 'ca', 'lv'];
const item = (tlp: TlpLevel, releasableTo: string[] = [], ownerTeamId = 'us'): MarkedItem => ({ marking: { tlp, releasableTo }, ownerTeamId });
const seenBy = (i: MarkedItem) => teams.filter((t) => canSee(t, i));

describe('narrowWithin', () => {
  it('keeps the teams that saw the item and see the parent, at the stricter level', () => {
    expect(narrowWithin(item('GREEN'), item('AMBER', ['ca']), teams)).toEqual({ tlp: 'AMBER', releasableTo: ['us', 'ca'] });
    expect(narrowWithin(item('CLEAR', [], 'ca'), item('RED', ['ca']), teams)).toEqual({ tlp: 'RED', releasableTo: ['ca', 'us'] });
    expect(narrowWithin(item('RED', ['lv']), item('AMBER', ['ca']), teams)).toEqual({ tlp: 'RED', releasableTo: ['us'] });
    expect(narrowWithin(item('GREEN'), item('AMBER'), teams)).toEqual({ tlp: 'AMBER', releasableTo: [] });
  });

  it("refuses when the item's owner team would not see the parent", () => {
    expect(narrowWithin(item('GREEN', [], 'ca'), item('AMBER', ['lv']), teams)).toBeNull();
    expect(narrowWithin(item('GREEN', [], 'ca'), item('AMBER+STRICT'), teams)).toBeNull();
  });

  it('over every pair of markings: never wider than either, and no team lost that saw both', () => {
    const sets = [[], ['us'], ['ca'], ['lv'], ['ca', 'lv']];
    for (const owner of teams)
      for (const pOwner of teams)
        for (const ct of TLP_LEVELS)
          for (const pt of TLP_LEVELS)
            for (const cr of sets)
              for (const pr of sets) {
                const child = item(ct, cr, owner);
                const parent = item(pt, pr, pOwner);
                const got = narrowWithin(child, parent, teams);
                if (!canSee(owner, parent)) {
                  expect(got).toBeNull();
                  continue;
                }
                const now = seenBy({ marking: got!, ownerTeamId: owner });
                const both = teams.filter((t) => canSee(t, child) && canSee(t, parent));
                const strict = ct === 'AMBER+STRICT' || pt === 'AMBER+STRICT';
                // Exactly both, except that AMBER+STRICT keeps only the owner.
                expect({ child, parent, now }).toEqual({ child, parent, now: strict ? [owner] : both });
                expect(TLP_LEVELS.indexOf(got!.tlp)).toBe(Math.max(TLP_LEVELS.indexOf(ct), TLP_LEVELS.indexOf(pt)));
              }
  });
});
