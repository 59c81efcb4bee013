/** Cutting a large Yjs update into slices that, applied in order, give the same document (slices.ts). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sliceUpdate } from './slices.js';
import { applySlices } from './persistence.js';

/** `clients` clients editing concurrently (text with deletions, a map, a nested array), synced now and then. */
function busyDocument(clients = 3): Y.Doc {
  const docs = [1, 2, 3].slice(0, clients).map((id) => {
    const d = new Y.Doc();
    d.clientID = id;
    return d;
  });
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let round = 0; round < 40; round++) {
    for (const d of docs) {
      const t = d.getText('note');
      for (let i = 0; i < 25; i++) {
        if (t.length > 10 && rand() < 0.3) t.delete(Math.floor(rand() * (t.length - 3)), 2);
        else t.insert(Math.floor(rand() * (t.length + 1)), rand() < 0.5 ? 'x' : 'word ');
      }
      d.getMap('meta').set(`k${Math.floor(rand() * 5)}`, round);
      const list = d.getMap('meta').get('list') as Y.Array<string> | undefined;
      if (list) list.push([`${d.clientID}:${round}`]);
      else if (d.clientID === 1) d.getMap('meta').set('list', new Y.Array<string>());
    }
    // Sync in a ring every few rounds, so later edits depend on other clients' items.
    if (round % 3 === 2) for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  }
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  return docs[0]!;
}

describe('sliceUpdate', () => {
  it('keeps an update of several clients whole (Yjs integrates those in an order of its own)', () => {
    const state = Y.encodeStateAsUpdate(busyDocument());
    expect(sliceUpdate(state, { structs: 7, bytes: 64, deleteRanges: 5 })).toEqual([state]);
  });

  it('gives the same document, slice by slice, with nothing left pending, with deletions and nested types', () => {
    const source = busyDocument(1);
    const state = Y.encodeStateAsUpdate(source);
    const slices = sliceUpdate(state, { structs: 7, bytes: 64, deleteRanges: 5 });
    expect(slices.length).toBeGreaterThan(20);
    const doc = new Y.Doc();
    for (const s of slices) {
      Y.applyUpdate(doc, s);
      // Each slice is complete in itself: Yjs never had to put anything aside.
      expect(doc.store.pendingStructs).toBeNull();
    }
    expect(doc.store.pendingDs).toBeNull();
    expect(doc.getText('note').toString()).toBe(source.getText('note').toString());
    expect(doc.getMap('meta').toJSON()).toEqual(source.getMap('meta').toJSON());
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(source));
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
  });

  it('slices an update on top of the state it was made for (an upload into a room with content)', async () => {
    const base = new Y.Doc();
    base.getText('t').insert(0, 'base text here');
    const writer = new Y.Doc();
    writer.clientID = 77;
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(base));
    const before = Y.encodeStateVector(writer);
    for (let i = 0; i < 500; i++) writer.getText('t').insert((i * 7) % (writer.getText('t').length + 1), `${i % 10}`);
    const update = Y.encodeStateAsUpdate(writer, before);
    const live = new Y.Doc();
    Y.applyUpdate(live, Y.encodeStateAsUpdate(base));
    const events: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => events.push(u));
    const slices = sliceUpdate(update, { structs: 10, bytes: 1024, deleteRanges: 10 });
    expect(slices.length).toBeGreaterThan(3);
    await applySlices(live, slices, 'me', 0);
    expect(live.getText('t').toString()).toBe(writer.getText('t').toString());
    expect(live.store.pendingStructs).toBeNull();
    // turnMs 0: one slice per turn, so one transaction (one update event) per slice.
    expect(events).toHaveLength(slices.length);
  });

  it('throws on bytes that are not a Yjs update', () => {
    expect(() => sliceUpdate(new Uint8Array([1, 2, 3, 250, 250]))).toThrow();
  });
});
