import { describe, expect, it } from 'vitest';
import { teamsExposedByCopy } from './copyInto.js';

const teams = ['us', 'ca', 'lv'];
const item = (tlp: 'CLEAR' | 'AMBER' | 'AMBER+STRICT' | 'RED', releasableTo: string[] = [], ownerTeamId = 'us') => ({ marking: { tlp, releasableTo }, ownerTeamId });

describe('teamsExposedByCopy', () => {
  it('allows copying into a container no wider than the item', () => {
    expect(teamsExposedByCopy(item('CLEAR'), item('CLEAR'), teams)).toEqual([]);
    expect(teamsExposedByCopy(item('AMBER', ['ca']), item('AMBER', ['ca']), teams)).toEqual([]);
    expect(teamsExposedByCopy(item('AMBER'), item('AMBER+STRICT'), teams)).toEqual([]);
  });
  it('names the teams that would see a narrower item through a wider container', () => {
    expect(teamsExposedByCopy(item('AMBER+STRICT'), item('CLEAR'), teams)).toEqual(['ca', 'lv']);
    expect(teamsExposedByCopy(item('AMBER', ['ca']), item('GREEN' as 'CLEAR'), teams)).toEqual(['lv']);
    expect(teamsExposedByCopy(item('RED', ['ca']), item('AMBER', ['ca', 'lv']), teams)).toEqual(['lv']);
  });
  it('judges by the item owner, not by the container owner', () => {
    // A CA-owned AMBER+STRICT item on a US board visible to all: US and LV would see it.
    expect(teamsExposedByCopy(item('AMBER+STRICT', [], 'ca'), item('CLEAR'), teams)).toEqual(['us', 'lv']);
  });
});
