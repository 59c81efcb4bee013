import { describe, expect, it } from 'vitest';
import type { Mark } from '@huntroom/shared';
import { depthOf, inkOn, mix, shadeOf, shownMarks, UNSCORED_PERCENT } from './heat.js';

const mark = (team: string, status: Mark['status'], score?: number): Mark => ({ techniqueId: 'T1059', team, status, ...(score !== undefined ? { score } : {}) });

describe('heat map', () => {
  it('shades combined by the strongest status, with the score of that status', () => {
    const shade = shadeOf([mark('US', 'suspected', 100), mark('CA', 'observed', 10), mark('LV', 'not-found', 90)], { kind: 'combined' });
    expect(shade?.status).toBe('observed');
    expect(shade?.score).toBe(10);
    expect(shade?.percent).toBe(depthOf(10));
  });

  it('shades per team from that team only, and not at all when it has no mark', () => {
    const marks = [mark('US', 'suspected', 40), mark('CA', 'observed')];
    expect(shadeOf(marks, { kind: 'team', team: 'US' })?.status).toBe('suspected');
    expect(shadeOf(marks, { kind: 'team', team: 'CA' })?.percent).toBe(UNSCORED_PERCENT);
    expect(shadeOf(marks, { kind: 'team', team: 'LV' })).toBeUndefined();
    expect(shadeOf(undefined, { kind: 'combined' })).toBeUndefined();
  });

  it('deepens with the score, within bounds', () => {
    expect(depthOf(0)).toBeLessThan(depthOf(50));
    expect(depthOf(50)).toBeLessThan(depthOf(100));
    expect(depthOf(250)).toBe(depthOf(100));
  });

  it('mixes the status colour into the panel, with a text colour that reads on it', () => {
    expect(mix('observed', 100)).toBe('rgb(229, 72, 77)');
    expect(mix('observed', 0)).toBe('rgb(22, 27, 34)');
    expect(inkOn(mix('observed', 88))).toBe('#ffffff');
    expect(inkOn(mix('suspected', 88))).toBe('#000000');
    expect(inkOn(mix('not-found', 22))).toBe('#ffffff');
  });

  it('filters marks by team and by status', () => {
    const marks = [mark('US', 'observed'), mark('CA', 'observed'), mark('US', 'not-found')];
    expect(shownMarks(marks, { hiddenTeams: new Set(['CA']), hiddenStatuses: new Set(['not-found']) })).toEqual([mark('US', 'observed')]);
  });
});
