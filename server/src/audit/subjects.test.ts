import { describe, expect, it } from 'vitest';
import type { MarkedItem } from '@huntroom/shared';
import { inferSubjects, SubjectFilter } from './subjects.js';

const US = 'team-us';
const CA = 'team-ca';
const strict: MarkedItem = { marking: { tlp: 'AMBER+STRICT', releasableTo: [] }, ownerTeamId: US };
const clear: MarkedItem = { marking: { tlp: 'CLEAR', releasableTo: [] }, ownerTeamId: US };

describe('audit subjects', () => {
  it('finds the items a row names by its action and detail', () => {
    expect(inferSubjects('w1', 'indicator.commented', { id: 'i1', comment: 'c1', tlp: 'RED' })).toEqual([
      { kind: 'indicator', id: 'i1' },
      { kind: 'comment', id: 'c1' },
    ]);
    expect(inferSubjects('w1', 'note.renamed', { noteId: 'n1' })).toEqual([{ kind: 'document', id: 'n1' }]);
    expect(inferSubjects('w1', 'whiteboard.deleted', { whiteboardId: 'b1' })).toEqual([{ kind: 'document', id: 'b1' }]);
    expect(inferSubjects('w1', 'attack.marking_changed', {})).toEqual([{ kind: 'document', id: 'attack-w1' }]);
    expect(inferSubjects('w1', 'member.added', { username: 'ben' })).toEqual([]);
    expect(inferSubjects('w1', 'indicator.imported', { created: 3 })).toEqual([]);
  });

  it('shows a row only when the viewer sees every item now, as stored, or as last known once gone', () => {
    const ca = new SubjectFilter(CA);
    ca.learn(
      new Map([
        ['indicator:live-clear', [clear]],
        ['indicator:live-strict', [strict]],
      ]),
    );
    expect(ca.visible([])).toBe(true);
    expect(ca.visible([{ kind: 'indicator', id: 'live-clear' }])).toBe(true);
    expect(ca.visible([{ kind: 'indicator', id: 'live-strict' }])).toBe(false);
    // Stored as strict when written, clear now: still hidden (fail closed).
    expect(ca.visible([{ kind: 'indicator', id: 'live-clear', ...strict }])).toBe(false);
    // Gone: the newest stored marking decides, for its own row and every older one.
    expect(ca.visible([{ kind: 'indicator', id: 'gone', ...strict }])).toBe(false);
    expect(ca.visible([{ kind: 'indicator', id: 'gone' }])).toBe(false);
    expect(ca.visible([{ kind: 'indicator', id: 'gone-clear', ...clear }])).toBe(true);
    expect(ca.visible([{ kind: 'indicator', id: 'gone-clear' }])).toBe(true);
    // Gone with nothing stored: hidden.
    expect(ca.visible([{ kind: 'comment', id: 'unknown' }])).toBe(false);
    // The owner team sees its own.
    const us = new SubjectFilter(US);
    us.learn(new Map([['indicator:live-strict', [strict]]]));
    expect(us.visible([{ kind: 'indicator', id: 'live-strict' }])).toBe(true);
  });
});
