/**
 * The one place a sample is packed: a ZIP whose single entry is the sample, encrypted with ZipCrypto
 * and the password `infected`. ZipCrypto is weak as cryptography and that is not its purpose here: it
 * is the format `unzip -P infected`, 7-Zip, Python's zipfile, MISP and MalwareBazaar all open, and it
 * keeps antivirus scanners and mail filters from acting on the bytes at rest and in transit.
 * Written by @zip.js/zip.js from stream to stream, so the sample is never whole in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { SAMPLE_LIMITS } from '@huntroom/shared';

/**
 * zip.js is about 50 modules (some 50 ms of start-up on a quiet machine) and only packing a sample
 * needs it, so it loads on the first sample, once (docs/performance.md, start-up).
 */
let zipLibrary: Promise<typeof import('@zip.js/zip.js')> | undefined;
const loadZipLibrary = () =>
  (zipLibrary ??= import('@zip.js/zip.js').then((lib) => {
    // Node has no Web Workers; compression runs in the caller's thread, streamed.
    lib.configure({ useWebWorkers: false });
    return lib;
  }));

/** Writes `dest`: a ZipCrypto ZIP (password `infected`) holding `src` as `entryName`. */
export async function zipSample(src: string, entryName: string, dest: string, modified: Date): Promise<void> {
  const { ZipWriter } = await loadZipLibrary();
  const writer = new ZipWriter(Writable.toWeb(createWriteStream(dest, { mode: 0o600 })), {
    password: SAMPLE_LIMITS.zipPassword,
    zipCrypto: true,
    level: 6,
  });
  await writer.add(entryName, Readable.toWeb(createReadStream(src)) as ReadableStream<Uint8Array>, { lastModDate: modified });
  await writer.close();
}
