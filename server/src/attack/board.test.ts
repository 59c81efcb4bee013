import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MARKS_MAP } from '@huntroom/shared';
import { readMarks } from './board.js';

describe('readMarks', () => {
  it('keeps a mark only under its own key (stored forgeries from before the server checked are skipped)', () => {
    const doc = new Y.Doc();
    const map = doc.getMap(MARKS_MAP);
    map.set('T1059.001|US', { techniqueId: 'T1059.001', team: 'US', status: 'observed' });
    map.set('T1003|CA', { techniqueId: 'T1003', team: 'US', status: 'not-found', comment: 'forged as US' });
    map.set('T1110|CA', { techniqueId: 'T1071', team: 'CA', status: 'observed' });
    map.set('T1071|LV', { techniqueId: 'T1071', team: 'LV', status: 'bogus' });
    expect(readMarks(doc)).toEqual([{ techniqueId: 'T1059.001', team: 'US', status: 'observed' }]);
  });
});
