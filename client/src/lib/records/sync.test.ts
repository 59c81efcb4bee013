/** Seq tracking without a socket: catch-up, held live events, snapshots, no double application. */
import { describe, expect, it } from 'vitest';
import type { RecordEvent } from '@huntroom/shared';
import { SeqTracker, type Projection } from './sync.js';

const ev = (seq: number): RecordEvent => ({
  workspaceId: 'w',
  seq,
  type: 'indicator:created',
  recordId: `r${seq}`,
  at: '2025-01-01T00:00:00.000Z',
  actor: { id: 'a', username: 'alice', displayName: 'Alice', team: { id: 't', code: 'US', color: '#000000' } },
  payload: {},
});

function projection() {
  const applied: number[] = [];
  const resets: unknown[] = [];
  const p: Projection = { apply: (e) => void applied.push(e.seq), reset: (r) => void resets.push(r) };
  return { p, applied, resets };
}

describe('SeqTracker', () => {
  it('applies the missed events, then live ones held during the sync, each once and in order', () => {
    const { p, applied } = projection();
    const t = new SeqTracker(p, 3);
    expect(t.beginSync()).toEqual({ sinceSeq: 3 });
    t.onLive(ev(9));
    t.onLive(ev(7)); // also in the sync answer
    t.completeSync({ snapshot: false, seq: 7, events: [ev(4), ev(7)] });
    expect(applied).toEqual([4, 7, 9]);
    expect(t.lastSeq).toBe(9);
    t.onLive(ev(9));
    t.onLive(ev(12));
    expect(applied).toEqual([4, 7, 9, 12]);
  });

  it('advances to the head even when every missed event was hidden from the team', () => {
    const { p, applied } = projection();
    const t = new SeqTracker(p, 10);
    t.beginSync();
    t.completeSync({ snapshot: false, seq: 50, events: [] });
    expect([applied, t.lastSeq]).toEqual([[], 50]);
  });

  it('replaces local state with a snapshot when too far behind', () => {
    const { p, applied, resets } = projection();
    const t = new SeqTracker(p, 0);
    t.beginSync();
    t.onLive(ev(6001));
    t.completeSync({ snapshot: true, seq: 6000, records: { indicators: [{ id: 'x' }] } });
    expect(resets).toEqual([{ indicators: [{ id: 'x' }] }]);
    expect(applied).toEqual([6001]);
  });

  it('drops held events when the sync fails, so the next sync brings them in order', () => {
    const { p, applied } = projection();
    const t = new SeqTracker(p, 5);
    t.beginSync();
    t.onLive(ev(8));
    t.abortSync();
    expect(t.beginSync()).toEqual({ sinceSeq: 5 });
    t.completeSync({ snapshot: false, seq: 8, events: [ev(6), ev(8)] });
    expect(applied).toEqual([6, 8]);
  });

  it('applies an event that arrives after a higher one (two nodes), once, and a sync re-asks the recent window', () => {
    const { p, applied } = projection();
    const t = new SeqTracker(p, 10);
    t.onLive(ev(12));
    t.onLive(ev(11));
    t.onLive(ev(12));
    expect(applied).toEqual([12, 11]);
    expect(t.lastSeq).toBe(12);
    // Reconnect: the sync starts below the head, so a seq that never arrived live (13 missing here
    // would be fetched); repeats are not applied twice.
    expect(t.beginSync()).toEqual({ sinceSeq: 10 });
    t.completeSync({ snapshot: false, seq: 14, events: [ev(11), ev(12), ev(13), ev(14)] });
    expect(applied).toEqual([12, 11, 13, 14]);
  });

  it('never re-applies what a snapshot already contains', () => {
    const { p, applied } = projection();
    const t = new SeqTracker(p, 0);
    t.beginSync();
    t.completeSync({ snapshot: true, seq: 9000, records: {} });
    expect(t.beginSync()).toEqual({ sinceSeq: 9000 });
    t.completeSync({ snapshot: false, seq: 9001, events: [ev(8999), ev(9001)] });
    expect(applied).toEqual([9001]);
  });
});
