import { describe, expect, it } from 'vitest';
import { initialDocStatus, reduceDocStatus, type DocEvent } from './docStatus.js';

const run = (events: DocEvent[]) => events.reduce(reduceDocStatus, initialDocStatus);

describe('document status', () => {
  it('counts changes made while offline and clears them once synced again', () => {
    const offline = run([{ type: 'status', connected: true }, { type: 'synced' }, { type: 'status', connected: false }, { type: 'localChange' }, { type: 'localChange' }]);
    expect(offline).toEqual({ link: 'offline', waiting: 2, loaded: true });
    const back = reduceDocStatus(reduceDocStatus(offline, { type: 'status', connected: true }), { type: 'synced' });
    expect(back).toEqual({ link: 'synced', waiting: 0, loaded: true });
  });

  it('does not count changes made while live, and ignores a stale synced event while offline', () => {
    expect(run([{ type: 'synced' }, { type: 'localChange' }])).toEqual({ link: 'synced', waiting: 0, loaded: true });
    expect(run([{ type: 'status', connected: false }, { type: 'localChange' }, { type: 'synced' }])).toEqual({ link: 'offline', waiting: 1, loaded: true });
  });

  it('keeps why the server closed the document until it is connected again', () => {
    const closed = run([{ type: 'synced' }, { type: 'closed', reason: "only team US or a workspace owner may change team US's marks" }, { type: 'status', connected: false }]);
    expect(closed).toEqual({ link: 'offline', waiting: 0, loaded: true, closed: "only team US or a workspace owner may change team US's marks" });
    expect(reduceDocStatus(closed, { type: 'status', connected: true })).toEqual({ link: 'syncing', waiting: 0, loaded: true });
  });

  it('holds the document as not loaded until the server synced it or this device had a copy of it', () => {
    expect(initialDocStatus.loaded).toBe(false);
    // Offline, and this device never had the note: it stays not loaded, whatever is typed meanwhile.
    expect(
      run([
        { type: 'status', connected: false },
        { type: 'localCopy', content: false },
      ]).loaded,
    ).toBe(false);
    // This device's copy held some of it: loaded before any connection.
    expect(
      run([
        { type: 'status', connected: false },
        { type: 'localCopy', content: true },
      ]).loaded,
    ).toBe(true);
    // An empty copy, then the server's first sync.
    expect(
      run([
        { type: 'localCopy', content: false },
        { type: 'status', connected: true },
      ]).loaded,
    ).toBe(false);
    expect(run([{ type: 'localCopy', content: false }, { type: 'status', connected: true }, { type: 'synced' }]).loaded).toBe(true);
    // Once loaded it stays so through disconnections.
    expect(run([{ type: 'synced' }, { type: 'status', connected: false }, { type: 'status', connected: true }]).loaded).toBe(true);
    // Another note opened in its place starts again.
    expect(run([{ type: 'synced' }, { type: 'localChange' }, { type: 'opened' }])).toEqual(initialDocStatus);
  });
});
