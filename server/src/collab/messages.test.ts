import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_SYNC, syncStep1Message } from './messages.js';

const fresh = (doc: Y.Doc): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
};

describe('syncStep1Message', () => {
  it('encodes a document once until it changes, then its new state vector', () => {
    const doc = new Y.Doc();
    const first = syncStep1Message(doc);
    expect(syncStep1Message(doc)).toBe(first);
    expect(first).toEqual(fresh(doc));
    doc.getText('t').insert(0, 'a');
    const second = syncStep1Message(doc);
    expect(second).not.toEqual(first);
    expect(second).toEqual(fresh(doc));
    // A change by another client, applied as an update, moves the state vector too.
    const other = new Y.Doc();
    other.getText('t').insert(0, 'b');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(syncStep1Message(doc)).toEqual(fresh(doc));
  });
});
