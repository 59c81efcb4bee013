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

/** 40 writers interleaving one-character inserts at the same places, then every other character deleted (collab-abuse-more's crafted update, smaller). */
function concurrentInserts(rounds: number): Uint8Array {
  const docs = Array.from({ length: 40 }, () => new Y.Doc());
  for (let round = 0; round < rounds; round++) {
    for (const d of docs) d.getText('t').insert(round % 3 === 0 ? 0 : d.getText('t').length, String.fromCharCode(97 + (round % 26)));
  }
  const base = new Y.Doc();
  Y.applyUpdate(base, Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d))));
  const t = base.getText('t');
  base.transact(() => {
    for (let i = t.length - 1; i >= 0; i -= 2) t.delete(i, 1);
  });
  return Y.encodeStateAsUpdate(base);
}

/** Applies `slices` to a fresh document, checking that Yjs never had to put anything aside. */
function build(slices: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const s of slices) {
    Y.applyUpdate(doc, s);
    // Each slice is complete in itself.
    expect(doc.store.pendingStructs).toBeNull();
  }
  expect(doc.store.pendingDs).toBeNull();
  return doc;
}

describe('sliceUpdate', () => {
  it('gives the same document, slice by slice, with nothing left pending: one client, deletions and nested types', () => {
    const source = busyDocument(1);
    const state = Y.encodeStateAsUpdate(source);
    const slices = sliceUpdate(state, { structs: 7, bytes: 64, deleteRanges: 5 });
    expect(slices.length).toBeGreaterThan(20);
    const doc = build(slices);
    expect(doc.getText('note').toString()).toBe(source.getText('note').toString());
    expect(doc.getMap('meta').toJSON()).toEqual(source.getMap('meta').toJSON());
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
  });

  it('slices a state of several clients editing concurrently, in the order Yjs integrates them', () => {
    const source = busyDocument(3);
    const state = Y.encodeStateAsUpdate(source);
    const slices = sliceUpdate(state, { structs: 7, bytes: 64, deleteRanges: 5 });
    expect(slices.length).toBeGreaterThan(20);
    const doc = build(slices);
    expect(doc.getText('note').toString()).toBe(source.getText('note').toString());
    expect(doc.getMap('meta').toJSON()).toEqual(source.getMap('meta').toJSON());
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(source));
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
  });

  it('costs about what the whole does for 40 clients inserting at the same places (not many times more)', () => {
    const state = concurrentInserts(300);
    const time = (f: () => void) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    const whole = new Y.Doc();
    // Best of two, each way, on a machine shared with other suites.
    const wholeMs = Math.min(
      time(() => Y.applyUpdate(whole, state)),
      time(() => Y.applyUpdate(new Y.Doc(), state)),
    );
    const slices = sliceUpdate(state);
    expect(slices.length).toBeGreaterThan(10);
    let doc = new Y.Doc();
    const slicedMs = Math.min(
      time(() => (doc = build(slices))),
      time(() => build(slices)),
    );
    expect(doc.getText('t').toString()).toBe(whole.getText('t').toString());
    console.log(`40 clients' concurrent inserts (${state.byteLength} bytes): whole ${wholeMs.toFixed(0)} ms, ${slices.length} slices ${slicedMs.toFixed(0)} ms`);
    // The cut of an earlier version, in another causal order, took some 60 times the whole.
    expect(slicedMs).toBeLessThan(wholeMs * 4 + 100);
  });

  it('leaves whole what Yjs would put aside: an update made on top of content it does not hold', () => {
    const base = new Y.Doc();
    base.getText('t').insert(0, 'base text here');
    const writer = new Y.Doc();
    writer.clientID = 77;
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(base));
    const before = Y.encodeStateVector(writer);
    for (let i = 0; i < 500; i++) writer.getText('t').insert((i * 7) % (writer.getText('t').length + 1), `${i % 10}`);
    const update = Y.encodeStateAsUpdate(writer, before);
    expect(sliceUpdate(update, { structs: 10, bytes: 1024, deleteRanges: 10 })).toEqual([update]);
  });

  it('is applied a turn at a time by applySlices, one transaction per turn', async () => {
    const source = busyDocument(2);
    const slices = sliceUpdate(Y.encodeStateAsUpdate(source), { structs: 10, bytes: 1024, deleteRanges: 10 });
    const live = new Y.Doc();
    const origins: unknown[] = [];
    live.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    await applySlices(live, slices, 'me', 0);
    expect(live.getText('note').toString()).toBe(source.getText('note').toString());
    expect(live.store.pendingStructs).toBeNull();
    // turnMs 0: one slice per turn, so one transaction per slice, with the origin given.
    expect(origins).toHaveLength(slices.length);
    expect(new Set(origins)).toEqual(new Set(['me']));
  });

  it('throws on bytes that are not a Yjs update', () => {
    expect(() => sliceUpdate(new Uint8Array([1, 2, 3, 250, 250]))).toThrow();
  });
});
