/**
 * Large documents for the cold-load scenario. `buildEditedDoc` is a note as people make it (issue 21):
 * single-character edits at scattered positions, each its own update, so no two items merge and the
 * document holds one item per character; 260,000 of them encode to about 3.4 MB. `buildBigDoc` is the
 * older one: built once in the load generator before anything is
 * measured: a Y.Text grown by ~100-character inserts at pseudo-random positions (deterministic seed),
 * so it has many items like a long, much-edited note, until its encoded state passes `bytes`. It is
 * returned as chunks of at most `chunkBytes` (merged consecutive updates), because Huntroom refuses
 * frames over 2 MiB and a real client would have sent it as many small edits anyway.
 */
import * as Y from 'yjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const built = new Map();

/**
 * The large document of a run, built once and kept for every point and scenario that asks for the same
 * kind and size (the cold-load and reconnect scenarios share it): `doc: 'edits'` is a note of `edits`
 * single-character edits at scattered positions (minutes of generator CPU for 260,000 on a busy
 * machine), `doc: 'inserts'` `bytes` of ~100-character inserts. With `cacheDir` (`--note-cache=<dir>`)
 * the chunks are also kept in a file there, so the next run skips the build.
 */
export function noteFor({ doc = 'edits', edits, bytes, cacheDir }) {
  const key = doc === 'inserts' ? `inserts-${bytes}` : `edits-${edits}`;
  let note = built.get(key);
  if (note) return note;
  const file = cacheDir && join(cacheDir, `note-${key}.bin`);
  if (file && existsSync(file)) note = readChunks(readFileSync(file));
  else {
    note = doc === 'inserts' ? buildBigDoc(bytes) : buildEditedDoc(edits);
    if (file) {
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(file, writeChunks(note));
    }
  }
  built.set(key, note);
  return note;
}

/** `size` (u32) then each chunk as length (u32) and bytes. */
function writeChunks({ size, chunks }) {
  const out = Buffer.alloc(4 + chunks.reduce((n, c) => n + 4 + c.byteLength, 0));
  let at = out.writeUInt32LE(size, 0);
  for (const c of chunks) {
    at = out.writeUInt32LE(c.byteLength, at);
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function readChunks(buf) {
  const size = buf.readUInt32LE(0);
  const chunks = [];
  for (let at = 4; at < buf.length;) {
    const n = buf.readUInt32LE(at);
    chunks.push(new Uint8Array(buf.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  return { size, chunks };
}

const WORDS = 'hunt beacon lateral movement powershell encoded command parent process registry run key scheduled task dns tunnel exfil staging host analyst note timeline'.split(
  ' ',
);

export function buildBigDoc(bytes, chunkBytes = 512 * 1024) {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const doc = new Y.Doc();
  doc.clientID = 1;
  const text = doc.getText('bench');
  const updates = [];
  doc.on('update', (u) => updates.push(u));
  let size = 0;
  let pending = 0;
  while (size < bytes) {
    // Batches of inserts per transaction keep the build fast; the size is checked every batch.
    doc.transact(() => {
      for (let i = 0; i < 200; i++) {
        let s = '';
        while (s.length < 100) s += WORDS[Math.floor(rand() * WORDS.length)] + ' ';
        text.insert(Math.floor(rand() * (text.length + 1)), s);
      }
    });
    pending += 200;
    if (pending >= 2000) {
      size = Y.encodeStateAsUpdate(doc).byteLength;
      pending = 0;
    }
  }
  size = Y.encodeStateAsUpdate(doc).byteLength;
  doc.destroy();
  return { size, chunks: chunked(updates, chunkBytes) };
}

export function buildEditedDoc(edits, chunkBytes = 512 * 1024) {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const doc = new Y.Doc();
  doc.clientID = 1;
  const text = doc.getText('bench');
  const updates = [];
  doc.on('update', (u) => updates.push(u));
  const letters = 'etaoinshrdlu ';
  for (let i = 0; i < edits; i++) text.insert(Math.floor(rand() * (text.length + 1)), letters[Math.floor(rand() * letters.length)]);
  const size = Y.encodeStateAsUpdate(doc).byteLength;
  doc.destroy();
  return { size, chunks: chunked(updates, chunkBytes) };
}

/** Consecutive updates merged into chunks of at most `chunkBytes` (Huntroom refuses frames over 2 MiB). */
function chunked(updates, chunkBytes) {
  const chunks = [];
  let batch = [];
  let batchBytes = 0;
  for (const u of updates) {
    if (batchBytes + u.byteLength > chunkBytes && batch.length) {
      chunks.push(mergeMany(batch));
      batch = [];
      batchBytes = 0;
    }
    batch.push(u);
    batchBytes += u.byteLength;
  }
  if (batch.length) chunks.push(mergeMany(batch));
  return chunks;
}

/** Y.mergeUpdates of thousands of tiny updates at once is slow; merging in groups of 256 is not. */
function mergeMany(updates) {
  while (updates.length > 1) {
    const next = [];
    for (let i = 0; i < updates.length; i += 256) next.push(Y.mergeUpdates(updates.slice(i, i + 256)));
    updates = next;
  }
  return updates[0];
}
