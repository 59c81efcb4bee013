import { describe, expect, it } from 'vitest';
import { rankGroups } from './overlap.js';

const g = (id: string, techniques: string[]) => ({ id, name: id, aliases: [], techniques });

describe('group overlap', () => {
  it('ranks by shared techniques, then by coverage of the group', () => {
    const groups = [g('G1', ['T1', 'T2', 'T3', 'T4']), g('G2', ['T1', 'T2']), g('G3', ['T9']), g('G4', ['T1', 'T2', 'T3'])];
    const r = rankGroups(groups, ['T1', 'T2', 'T3']);
    expect(r.map((o) => [o.group.id, o.shared.length, o.coverage])).toEqual([
      ['G4', 3, 1],
      ['G1', 3, 0.75],
      ['G2', 2, 1],
    ]);
  });

  it('is empty when nothing was observed', () => {
    expect(rankGroups([g('G1', ['T1'])], [])).toEqual([]);
  });
});
