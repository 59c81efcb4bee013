/**
 * Receiving an uploaded sample: the multipart body (field `file`) is streamed by busboy into a temporary
 * file (mode 0600) while MD5, SHA-1 and SHA-256 are computed over the same bytes, so the sample is
 * never held whole in memory. Past the limit the upload stops at once, the partial file is deleted and
 * the caller gets 413. Anything but exactly one `file` part is refused with a clear error.
 */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Request } from 'express';
import { SAMPLE_LIMITS, type SampleHashes } from '@huntroom/shared';
import { AppError } from '../../http/errors.js';

export interface ReceivedSample extends SampleHashes {
  /** The name the uploader gave, reduced to a safe base name. */
  filename: string;
}

/**
 * The name stored inside the ZIP: the uploader's base name without control characters or path parts,
 * or `sample.bin`. Kept short: it is shown in lists and written into every download.
 */
export function safeFilename(raw: string | undefined): string {
  const base = basename((raw ?? '').replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_')
    .trim();
  const name = base === '.' || base === '..' ? '' : base;
  return (name || 'sample.bin').slice(0, SAMPLE_LIMITS.filenameMax);
}

const tooLarge = () => new AppError('payload_too_large', `the sample is larger than ${SAMPLE_LIMITS.maxBytes} bytes (64 MB); nothing was kept`);

/** Streams the request's `file` part to `path`; resolves with its hashes, or rejects (the file removed). */
export async function receiveSample(req: Request, path: string): Promise<ReceivedSample> {
  let bb: busboy.Busboy;
  try {
    // One byte past the limit: busboy signals `limit` when a file reaches its limit, and exactly 64 MB is allowed.
    bb = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: SAMPLE_LIMITS.maxBytes + 1, fields: 8, fieldSize: 1024, parts: 10 },
    });
  } catch {
    throw new AppError('bad_request', 'send the sample as multipart/form-data with the file in the field `file`');
  }
  // The temporary file's stream, closed before the file is removed on any failure (no descriptor left open).
  let out: WriteStream | undefined;
  try {
    return await new Promise<ReceivedSample>((resolve, reject) => {
      let got: Promise<ReceivedSample> | undefined;
      let failed = false;
      const fail = (err: AppError) => {
        if (failed) return;
        failed = true;
        req.unpipe(bb);
        reject(err);
      };
      bb.on('file', (field, stream, info) => {
        if (field !== 'file' || got) {
          stream.resume();
          return fail(new AppError('bad_request', got ? 'send one file per upload' : `the file must be in the field \`file\` (got \`${field.slice(0, 40)}\`)`));
        }
        const hashes = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
        let size = 0;
        const file = createWriteStream(path, { mode: 0o600 });
        out = file;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          hashes.md5.update(chunk);
          hashes.sha1.update(chunk);
          hashes.sha256.update(chunk);
        });
        stream.on('limit', () => fail(tooLarge()));
        got = new Promise<ReceivedSample>((done, broke) => {
          file.on('error', () => broke(new AppError('internal', 'the sample could not be written to temporary storage')));
          file.on('finish', () =>
            done({ filename: safeFilename(info.filename), size, md5: hashes.md5.digest('hex'), sha1: hashes.sha1.digest('hex'), sha256: hashes.sha256.digest('hex') }),
          );
        });
        // Once the upload has failed (over the limit, cut off) nobody waits for `got` any more, yet the
        // file can still report an error as it is torn down: without a handler that rejection would be
        // unhandled, which ends a Node process. The failure was already answered through `fail`.
        got.catch(() => undefined);
        stream.pipe(file);
      });
      bb.on('filesLimit', () => fail(new AppError('bad_request', 'send one file per upload')));
      bb.on('partsLimit', () => fail(new AppError('bad_request', 'too many parts in the form')));
      bb.on('error', () => fail(new AppError('bad_request', 'the multipart body could not be read')));
      bb.on('close', () => {
        if (failed) return;
        if (!got) return fail(new AppError('validation_failed', 'no file: send the sample in the multipart field `file`', { file: 'required' }));
        got.then((r) => (r.size === 0 ? fail(new AppError('validation_failed', 'the file is empty', { file: 'empty' })) : resolve(r)), fail);
      });
      req.on('aborted', () => fail(new AppError('bad_request', 'the upload was cut off')));
      req.pipe(bb);
    });
  } catch (err) {
    const file = out;
    if (file && !file.closed) await new Promise<void>((closed) => file.destroy().once('close', () => closed()));
    await rm(path, { force: true });
    throw err;
  }
}
