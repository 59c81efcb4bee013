import { describe, expect, it } from 'vitest';
import { initialDocStatus, reduceDocStatus, type DocEvent } from './docStatus.js';

const run = (events: DocEvent[]) => events.reduce(reduceDocStatus, initialDocStatus);

describe('document status', () => {
  it('counts changes made while offline and clears them once synced again', () => {
    const offline = run([{ type: 'status', connected: true }, { type: 'synced' }, { type: 'status', connected: false }, { type: 'localChange' }, { type: 'localChange' }]);
    expect(offline).toEqual({ link: 'offline', waiting: 2 });
    const back = reduceDocStatus(reduceDocStatus(offline, { type: 'status', connected: true }), { type: 'synced' });
    expect(back).toEqual({ link: 'synced', waiting: 0 });
  });

  it('does not count changes made while live, and ignores a stale synced event while offline', () => {
    expect(run([{ type: 'synced' }, { type: 'localChange' }])).toEqual({ link: 'synced', waiting: 0 });
    expect(run([{ type: 'status', connected: false }, { type: 'localChange' }, { type: 'synced' }])).toEqual({ link: 'offline', waiting: 1 });
  });

  it('keeps why the server closed the document until it is connected again', () => {
    const closed = run([{ type: 'synced' }, { type: 'closed', reason: "only team US or a workspace owner may change team US's marks" }, { type: 'status', connected: false }]);
    expect(closed).toEqual({ link: 'offline', waiting: 0, closed: "only team US or a workspace owner may change team US's marks" });
    expect(reduceDocStatus(closed, { type: 'status', connected: true })).toEqual({ link: 'syncing', waiting: 0 });
  });
});
