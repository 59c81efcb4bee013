import { describe, expect, it } from 'vitest';
import { PLACED_INDICATOR_TEXT, placedIndicators, referenceOnly, scrubPlacements, type BoardElement } from './placements.js';

const legacyShape: BoardElement = {
  id: 's1',
  type: 'rectangle',
  version: 3,
  versionNonce: 1,
  customData: { huntroom: { kind: 'indicator', id: 'ind-1', type: 'domain', value: 'secret.example.org' } },
};
const legacyLabel: BoardElement = {
  id: 't1',
  type: 'text',
  version: 2,
  versionNonce: 1,
  containerId: 's1',
  text: 'domain\nsecret[.]example[.]org',
  originalText: 'domain\nsecret[.]example[.]org',
};
const technique: BoardElement = { id: 's2', type: 'rectangle', version: 1, customData: { huntroom: { kind: 'technique', id: 'T1059', name: 'Command' } } };
const techniqueLabel: BoardElement = { id: 't2', type: 'text', version: 1, containerId: 's2', text: 'T1059\nCommand' };
const drawing: BoardElement = { id: 'x', type: 'text', version: 1, text: 'secret.example.org typed by hand' };

describe('placements', () => {
  it('rewrites a placement that carries the value as a reference, with a newer version', () => {
    const out = new Map(scrubPlacements(Object.entries({ s1: legacyShape, t1: legacyLabel, s2: technique, t2: techniqueLabel, x: drawing })));
    expect([...out.keys()].sort()).toEqual(['s1', 't1']);
    expect(JSON.stringify([...out.values()])).not.toContain('secret');
    expect(out.get('s1')).toMatchObject({ customData: { huntroom: { kind: 'indicator', id: 'ind-1' } }, version: 4 });
    expect(out.get('t1')).toMatchObject({
      text: PLACED_INDICATOR_TEXT,
      originalText: PLACED_INDICATOR_TEXT,
      containerId: 's1',
      customData: { huntroom: { kind: 'indicator', id: 'ind-1' } },
      version: 3,
    });
  });

  it('leaves references alone, and limits itself to one indicator when asked', () => {
    const ref = referenceOnly(legacyShape, 'ind-1');
    const label = referenceOnly(legacyLabel, 'ind-1');
    expect(scrubPlacements(Object.entries({ s1: ref, t1: label }))).toEqual([]);
    expect(scrubPlacements(Object.entries({ s1: legacyShape, t1: legacyLabel }), 'ind-2')).toEqual([]);
    expect(placedIndicators([ref, label, technique, { ...legacyShape, id: 's3', isDeleted: true, customData: { huntroom: { kind: 'indicator', id: 'gone' } } }])).toEqual(
      new Set(['ind-1']),
    );
  });
});
