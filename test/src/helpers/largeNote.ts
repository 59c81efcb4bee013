/**
 * A large note's Yjs state for the federation tests of large documents: long pastes and single-character
 * edits at scattered places, and some deletions, by one client (`1000 + seed`), in the text 't'.
 */
import * as Y from 'yjs';

export function largeNoteState(bytes: number, seed = 7, base?: Uint8Array): Uint8Array {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const doc = new Y.Doc();
  doc.clientID = 1000 + seed;
  if (base) Y.applyUpdate(doc, base);
  const text = doc.getText('t');
  const letters = 'abcdefghijklmnopqrstuvwxyz ';
  const at = () => Math.floor(rand() * (text.length + 1));
  const target = text.length + bytes;
  while (text.length < target) {
    const n = 400 + Math.floor(rand() * 400);
    let chunk = '';
    for (let i = 0; i < n; i++) chunk += letters[Math.floor(rand() * letters.length)];
    text.insert(at(), chunk);
  }
  for (let i = 0; i < 3_000; i++) text.insert(at(), letters[i % 26]!);
  for (let i = 0; i < 300; i++) text.delete(Math.min(at(), text.length - 5), 5);
  // Only what this client added to `base`: the stored row a later growth leaves.
  const state = Y.encodeStateAsUpdate(doc, base ? Y.encodeStateVectorFromUpdate(base) : undefined);
  doc.destroy();
  return state;
}
