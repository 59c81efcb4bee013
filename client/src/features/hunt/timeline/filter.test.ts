import { describe, expect, it } from 'vitest';
import type { TimelineEventView } from '@huntroom/shared';
import { filterTimeline, NO_TIMELINE_FILTERS } from './filter.js';

const ev = (id: string, at: string, o: Partial<TimelineEventView> = {}): TimelineEventView =>
  ({ id, at, description: `event ${id}`, source: 'edr', hostId: null, networkId: null, team: { id: 't1', code: 'CA' }, techniques: [], ...o }) as TimelineEventView;

describe('filterTimeline', () => {
  const events = [
    ev('c', '2026-03-01T10:00:02Z', { hostId: 'h1', networkId: 'n1', techniques: ['T1053.005'] }),
    ev('a', '2026-03-01T10:00:00Z', { hostId: 'h2', networkId: 'n1', team: { id: 't2', code: 'LV' } }),
    ev('b', '2026-03-02T08:00:00Z', { networkId: 'n2', description: 'Scheduled task created by svc_backup' }),
  ];
  const names = new Map([
    ['h1', 'dc01'],
    ['h2', 'ws07'],
  ]);
  const ids = (f: Partial<typeof NO_TIMELINE_FILTERS>) => filterTimeline(events, { ...NO_TIMELINE_FILTERS, ...f }, names).map((e) => e.id);

  it('keeps everything oldest first without filters', () => expect(ids({})).toEqual(['a', 'c', 'b']));
  it('filters by network, host and team', () => {
    expect(ids({ network: 'n1' })).toEqual(['a', 'c']);
    expect(ids({ host: 'h1' })).toEqual(['c']);
    expect(ids({ team: 'LV' })).toEqual(['a']);
  });
  it('matches a technique and its sub-techniques', () => {
    expect(ids({ technique: 't1053' })).toEqual(['c']);
    expect(ids({ technique: 'T1053.005' })).toEqual(['c']);
    expect(ids({ technique: 'T1053.00' })).toEqual([]);
  });
  it('keeps a time range, both ends included', () => expect(ids({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T10:00:02Z' })).toEqual(['a', 'c']));
  it('finds text in description, source and host name', () => {
    expect(ids({ q: 'svc_BACKUP' })).toEqual(['b']);
    expect(ids({ q: 'dc01' })).toEqual(['c']);
  });
});
