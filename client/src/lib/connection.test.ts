import { describe, expect, it } from 'vitest';
import { ConnectionStore, describeConnection } from './connection.js';

describe('connection store', () => {
  it('counts record changes one by one and documents once each, whatever their keystrokes', () => {
    const store = new ConnectionStore();
    store.setLink('offline');
    store.setPending('outbox', 2);
    // 46 keystrokes in one note are one document with unsynced edits, not 46 changes.
    store.setPending('doc:a', 46);
    expect(store.getSnapshot()).toMatchObject({ pending: 3, pendingRecords: 2, pendingDocuments: 1 });
    expect(describeConnection(store.getSnapshot())).toEqual({ tone: 'bad', label: 'Offline · 2 changes waiting · unsynced edits in 1 document' });
    store.setLink('online');
    expect(describeConnection(store.getSnapshot())).toEqual({ tone: 'busy', label: 'Syncing · 2 changes waiting · unsynced edits in 1 document' });
    store.setPending('outbox', 0);
    store.setPending('doc:b', 3);
    expect(describeConnection(store.getSnapshot()).label).toBe('Syncing · unsynced edits in 2 documents');
    store.setPending('doc:a', 0);
    store.setPending('doc:b', 0);
    expect(describeConnection(store.getSnapshot())).toEqual({ tone: 'ok', label: 'Online' });
  });

  it('says "Waiting" while record changes are held for another instance, and why', () => {
    const store = new ConnectionStore();
    store.setLink('online');
    store.setPending('records', 1);
    store.setHeld('records', 'the home of this item, lv-cert, is not reachable');
    expect(store.getSnapshot().held).toBe('the home of this item, lv-cert, is not reachable');
    expect(describeConnection(store.getSnapshot())).toEqual({ tone: 'busy', label: 'Waiting · 1 change waiting' });
    store.setHeld('records', undefined);
    store.setPending('records', 0);
    expect(describeConnection(store.getSnapshot())).toEqual({ tone: 'ok', label: 'Online' });
  });

  it('notifies subscribers with a new snapshot object on each change', () => {
    const store = new ConnectionStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    const before = store.getSnapshot();
    store.setSyncing('records', true);
    expect(calls).toBe(1);
    expect(store.getSnapshot()).not.toBe(before);
    expect(describeConnection(store.getSnapshot()).label).toBe('Connecting…');
    off();
    store.setLink('online');
    expect(calls).toBe(1);
  });

  it('counts increments and decrements per source and never below zero', () => {
    const store = new ConnectionStore();
    store.addPending('outbox', 1);
    store.addPending('outbox', 1);
    store.addPending('outbox', -1);
    expect(store.getSnapshot().pending).toBe(1);
    store.addPending('outbox', -5);
    expect(store.getSnapshot().pending).toBe(0);
  });

  it('keeps a notice until the link is back online', () => {
    const store = new ConnectionStore();
    store.setLink('online');
    store.setNotice('The server is restarting.');
    store.setLink('connecting');
    expect(store.getSnapshot().notice).toBe('The server is restarting.');
    store.setLink('online');
    expect(store.getSnapshot().notice).toBeUndefined();
  });
});
