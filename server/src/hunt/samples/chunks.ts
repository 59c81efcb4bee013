/**
 * Moving a ZIP between a temporary file and the database, one chunk at a time (store.ts CHUNK_BYTES):
 * storing reads the file piece by piece, and serving writes each piece to the response and waits for
 * it to drain before reading the next, so a 64 MB sample costs a megabyte of memory either way.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Response } from 'express';
import type { Db } from '../../storage/db.js';
import { CHUNK_BYTES, sampleStore, type SampleRow } from './store.js';

/** Stores the file at `path` as the chunks of `sampleId`; returns how many and the total size. */
export async function storeChunks(db: Db, sampleId: string, path: string): Promise<{ chunkCount: number; zipSize: number }> {
  const file = await open(path, 'r');
  try {
    let n = 0;
    let size = 0;
    for (;;) {
      const buf = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      await sampleStore.putChunk(db, sampleId, n++, buf.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { chunkCount: n, zipSize: size };
  } finally {
    await file.close();
  }
}

/** Writes a sample's ZIP to the response, chunk by chunk; a missing chunk cuts the response (never a short file that looks whole). */
export async function sendChunks(db: Db, row: SampleRow, res: Response): Promise<void> {
  for (let n = 0; n < Number(row.chunk_count); n++) {
    if (res.destroyed) return;
    const data = await sampleStore.chunk(db, row.id, n);
    if (!data) {
      res.destroy(new Error(`sample ${row.id}: chunk ${n} missing`));
      return;
    }
    if (!res.write(data)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}
