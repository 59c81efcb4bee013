/** A state cut into pieces for a link (pieces.ts): each within the size, together the same document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cutState, pack, statePiecesTask } from './pieces.js';
import { unpackSlices } from '../../collab/loadWorker.js';

/** Two clients' pastes and single characters at scattered places, with deletions, and a map. */
function note(): Uint8Array {
  let s = 3;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const a = new Y.Doc();
  const b = new Y.Doc();
  for (let round = 0; round < 40; round++) {
    for (const doc of [a, b]) {
      const t = doc.getText('t');
      for (let i = 0; i < 20; i++) t.insert(Math.floor(rand() * (t.length + 1)), 'x'.repeat(1 + Math.floor(rand() * 300)));
      if (t.length > 10) t.delete(Math.floor(rand() * (t.length - 10)), 7);
      doc.getMap('m').set(`k${round}`, round);
    }
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  }
  const state = Y.encodeStateAsUpdate(a);
  a.destroy();
  b.destroy();
  return state;
}

describe('a state in pieces', () => {
  const state = note();
  const whole = new Y.Doc();
  Y.applyUpdate(whole, state);

  it('cuts it into pieces of at most the size that, applied in order, give the same document', () => {
    const max = 8 * 1024;
    expect(state.byteLength).toBeGreaterThan(10 * max);
    const pieces = cutState(state, max);
    expect(pieces.length).toBeGreaterThan(10);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(max);
    const rebuilt = new Y.Doc();
    for (const p of pieces) Y.applyUpdate(rebuilt, p);
    // Every piece complete in itself: nothing left waiting for a later one.
    expect(rebuilt.store.pendingStructs).toBeNull();
    expect(rebuilt.getText('t').toString()).toBe(whole.getText('t').toString());
    expect(rebuilt.getMap('m').toJSON()).toEqual(whole.getMap('m').toJSON());
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(whole));
  });

  it('leaves a state within the size whole', () => {
    expect(cutState(state, state.byteLength)).toEqual([state]);
  });

  it('folds stored rows first (the worker task) and packs the pieces into one buffer', () => {
    const half = Y.encodeStateAsUpdate(whole, Y.encodeStateVector(new Y.Doc()));
    const out = statePiecesTask({ parts: [half], maxBytes: 8 * 1024 });
    const pieces = unpackSlices(out);
    expect(pieces.length).toBeGreaterThan(10);
    const rebuilt = new Y.Doc();
    for (const p of pieces) Y.applyUpdate(rebuilt, p);
    expect(rebuilt.getText('t').toString()).toBe(whole.getText('t').toString());
    expect(unpackSlices(pack(pieces)).map((p) => p.byteLength)).toEqual(pieces.map((p) => p.byteLength));
  });

  it('cuts a diff against a state vector the receiver holds into pieces that give it the rest', () => {
    // The receiver holds half the rounds: the diff's items build on items it has and the diff lacks.
    const half = new Y.Doc();
    const pieces0 = cutState(state, 8 * 1024);
    for (const p of pieces0.slice(0, Math.floor(pieces0.length / 2))) Y.applyUpdate(half, p);
    const sv = Y.encodeStateVector(half);
    const diff = Y.diffUpdate(state, sv);
    expect(diff.byteLength).toBeGreaterThan(5 * 8 * 1024);
    const pieces = cutState(diff, 8 * 1024, Y.decodeStateVector(sv));
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(8 * 1024);
    for (const p of pieces) Y.applyUpdate(half, p);
    expect(half.store.pendingStructs).toBeNull();
    expect(half.getText('t').toString()).toBe(whole.getText('t').toString());
  });
});
