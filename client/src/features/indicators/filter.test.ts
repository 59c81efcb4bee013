import { describe, expect, it } from 'vitest';
import type { IndicatorView, RecordEvent } from '@huntroom/shared';
import { filterAndSort, facets, NO_FILTERS } from './filter.js';
import { IndicatorStore } from './store.js';

const view = (i: number, extra: Partial<IndicatorView> = {}): IndicatorView => ({
  id: `id${String(i).padStart(6, '0')}`,
  workspaceId: 'w',
  type: i % 2 ? 'domain' : 'ip-dst',
  value: i % 2 ? `host${i}.evil.com` : `45.1.${i % 256}.${i % 200}`,
  originalValue: '',
  status: i % 3 ? 'new' : 'confirmed',
  confidence: i % 101,
  tlp: 'AMBER',
  releasableTo: [],
  ownerTeam: { id: i % 4 ? 't-us' : 't-ca', code: i % 4 ? 'US' : 'CA' },
  tags: i % 5 ? [] : ['apt'],
  techniques: [],
  source: '',
  firstSeen: '2026-01-01',
  lastSeen: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
  sightingCount: 1,
  createdBy: 'a',
  createdAt: '2026-01-01',
  updatedAt: '2026-01-01',
  updatedSeq: i,
  ...extra,
});

describe('filter and sort', () => {
  const rows = Array.from({ length: 100_000 }, (_, i) => view(i));

  it('filters by type, status, team, tag and text, all at once, at 100,000 rows', () => {
    const r = filterAndSort(rows, { ...NO_FILTERS, type: 'domain', status: 'confirmed', team: 'US', tag: 'apt', q: 'EVIL' }, { key: 'value', desc: false });
    expect(r.length).toBe(rows.filter((v) => v.type === 'domain' && v.status === 'confirmed' && v.ownerTeam.code === 'US' && v.tags.includes('apt')).length);
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((v) => v.value.includes('evil'))).toBe(true);
  });

  it('sorts by a column, both ways, with a stable tie-break', () => {
    const asc = filterAndSort(rows.slice(0, 50), NO_FILTERS, { key: 'confidence', desc: false });
    const desc = filterAndSort(rows.slice(0, 50), NO_FILTERS, { key: 'confidence', desc: true });
    expect(asc.map((v) => v.confidence)).toEqual([...asc.map((v) => v.confidence)].sort((a, b) => a - b));
    expect(desc[0]!.confidence).toBe(Math.max(...rows.slice(0, 50).map((v) => v.confidence)));
  });

  it('offers the facets present on the board', () => {
    expect(facets(rows.slice(0, 10))).toEqual({ types: ['domain', 'ip-dst'], teams: ['CA', 'US'], tags: ['apt'] });
  });
});

describe('indicator store', () => {
  const actor = (team: string) => ({ id: 'a', username: 'ben', displayName: 'Ben', team: { id: team, code: team.toUpperCase(), color: '#e5484d' } });
  const ev = (seq: number, type: string, payload: unknown, team = 't-ca'): RecordEvent => ({
    workspaceId: 'w',
    seq,
    type,
    recordId: 'id000001',
    at: '',
    actor: actor(team),
    payload,
  });

  it('applies created, updated, sighted and revoked events and highlights other teams only', () => {
    let now = 1_000;
    const s = new IndicatorStore('t-us', () => now);
    s.synced(); // live from here: the page has loaded
    s.apply(ev(1, 'indicator:created', { indicator: view(1) }));
    expect(s.rows.size).toBe(1);
    expect(s.highlightOf('id000001')).toMatchObject({ by: 'Ben (T-CA)', color: '#e5484d' });
    s.apply(ev(2, 'indicator:updated', { indicator: view(1, { status: 'confirmed', updatedSeq: 2 }) }, 't-us'));
    expect(s.rows.get('id000001')!.status).toBe('confirmed');
    s.apply(ev(3, 'indicator:sighted', { indicatorId: 'id000001', sightingCount: 2, lastSeen: '2026-02-01' }));
    expect(s.rows.get('id000001')!.sightingCount).toBe(2);
    now += 10_000;
    expect(s.highlightOf('id000001')).toBeUndefined();
    s.apply(ev(4, 'indicator:revoked', { kind: 'indicator', id: 'id000001' }));
    expect(s.rows.size).toBe(0);
  });

  it('keeps the newer copy when an older one arrives late', () => {
    const s = new IndicatorStore('t-us');
    s.upsert(view(1, { status: 'benign', updatedSeq: 9 }));
    s.upsert(view(1, { status: 'new', updatedSeq: 3 }));
    expect(s.rows.get('id000001')!.status).toBe('benign');
  });

  it('does not let an older event arriving late undo a newer one (two nodes)', () => {
    const s = new IndicatorStore('t-us');
    s.apply(ev(5, 'indicator:created', { indicator: view(1, { updatedSeq: 5 }) }));
    s.apply(ev(7, 'indicator:sighted', { indicatorId: 'id000001', sightingCount: 3, lastSeen: '2026-03-01' }));
    s.apply(ev(6, 'indicator:sighted', { indicatorId: 'id000001', sightingCount: 2, lastSeen: '2026-02-01' }));
    expect(s.rows.get('id000001')!.sightingCount).toBe(3);
    s.apply(ev(9, 'indicator:deleted', { id: 'id000001' }));
    s.apply(ev(8, 'indicator:updated', { indicator: view(1, { status: 'benign', updatedSeq: 8 }) }));
    expect(s.rows.has('id000001')).toBe(false);
  });
});
