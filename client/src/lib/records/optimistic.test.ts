import { describe, expect, it } from 'vitest';
import { patchOf, PendingPatches } from './optimistic.js';

interface Row {
  id: string;
  status: string;
  confidence: number;
  updatedSeq: number;
}
const row = (id: string, status: string, updatedSeq: number): Row => ({ id, status, confidence: 50, updatedSeq });

describe('optimistic record changes', () => {
  it('reads field updates, single and bulk, and nothing else', () => {
    expect(patchOf({ type: 'indicator:update', payload: { id: 'a', status: 'confirmed', workspaceId: 'w' } }, 'indicator', ['status'])).toEqual({
      ids: ['a'],
      patch: { status: 'confirmed' },
    });
    expect(patchOf({ type: 'indicator:bulkUpdate', payload: { ids: ['a', 'b'], status: 'benign' } }, 'indicator', ['status'])).toEqual({
      ids: ['a', 'b'],
      patch: { status: 'benign' },
    });
    expect(patchOf({ type: 'indicator:create', payload: { status: 'new' } }, 'indicator', ['status'])).toBeUndefined();
    expect(patchOf({ type: 'indicator:update', payload: { id: 'a', tlp: 'RED' } }, 'indicator', ['status'])).toBeUndefined();
  });

  it('shows a waiting change over the server row, keeps it over live events, and folds it in when accepted', () => {
    const p = new PendingPatches<Row>();
    const server = new Map([['a', row('a', 'new', 1)]]);
    p.add('c1', { ids: ['a'], patch: { status: 'confirmed' } }, (id) => server.get(id));
    expect(p.isWaiting('a')).toBe(true);
    expect(p.show(p.baseOf('a')!).status).toBe('confirmed');
    // Another team raises the confidence meanwhile: their change shows, ours stays on top.
    const live = { ...row('a', 'new', 2), confidence: 90 };
    expect(p.show(live)).toEqual({ ...live, status: 'confirmed' });
    expect(p.baseOf('a')).toEqual(live);
    // Accepted: no longer waiting, and still confirmed until the server's own event comes.
    const [after] = p.settle('c1', true);
    expect(p.isWaiting('a')).toBe(false);
    expect(p.show(after!)).toEqual({ ...live, status: 'confirmed' });
  });

  it('drops a refused change, which shows the server row again', () => {
    const p = new PendingPatches<Row>();
    p.add('c1', { ids: ['a'], patch: { status: 'confirmed' } }, () => row('a', 'new', 1));
    p.add('c2', { ids: ['a'], patch: { status: 'benign' } }, () => undefined);
    expect(p.show(p.baseOf('a')!).status).toBe('benign');
    const [back] = p.settle('c2', false);
    expect(p.show(back!).status).toBe('confirmed');
    const [last] = p.settle('c1', false);
    expect(p.show(last!).status).toBe('new');
    expect(p.isWaiting('a')).toBe(false);
  });
});
