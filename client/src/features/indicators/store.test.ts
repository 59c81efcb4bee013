import { describe, expect, it } from 'vitest';
import type { IndicatorView, RecordEvent } from '@huntroom/shared';
import { IndicatorStore } from './store.js';

const view = (id: string, seq: number): IndicatorView => ({
  id,
  workspaceId: 'w',
  type: 'domain',
  value: `${id}.example`,
  originalValue: `${id}.example`,
  status: 'new',
  confidence: 50,
  tlp: 'AMBER',
  releasableTo: [],
  ownerTeam: { id: 'ca', code: 'CA' },
  tags: [],
  techniques: [],
  source: '',
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:00:00.000Z',
  sightingCount: 1,
  createdBy: 'ben',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedSeq: seq,
});
const created = (id: string, seq: number, teamId: string): RecordEvent => ({
  workspaceId: 'w',
  seq,
  type: 'indicator:created',
  recordId: id,
  payload: { indicator: view(id, seq) },
  actor: { id: 'a', username: 'ben', displayName: 'Ben', team: { id: teamId, code: 'CA', color: '#e5484d' } },
  at: '2026-01-01T00:00:00.000Z',
});

describe('indicator store highlights', () => {
  it('flashes nothing that the first sync brings (the page load), only later changes by another team', () => {
    const store = new IndicatorStore('us', () => 1_000);
    store.apply(created('a', 1, 'ca'));
    store.apply(created('b', 2, 'ca'));
    store.synced();
    expect(store.highlightOf('a')).toBeUndefined();
    expect(store.highlightOf('b')).toBeUndefined();
    store.apply(created('c', 3, 'ca'));
    expect(store.highlightOf('c')?.by).toBe('Ben (CA)');
    // The own team's changes never flash.
    store.apply(created('d', 4, 'us'));
    expect(store.highlightOf('d')).toBeUndefined();
  });
});
