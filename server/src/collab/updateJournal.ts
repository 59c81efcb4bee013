/**
 * The update journal: an append-only file beside the SQLite database that an update reaches before
 * anyone else receives it. One `write` of a tick's updates takes a microsecond or two, where the
 * SQLite commit of the same updates takes 50-250 µs (docs/performance.md, "Update journal"), so the
 * relay no longer waits for SQLite: the UpdateLog writes the journal, relays, then commits to SQLite in
 * the same turn of the event loop.
 *
 * Durability is the same as SQLite's in WAL mode with synchronous=NORMAL: a completed `write` is in the
 * kernel's page cache, which a killed process (kill -9) cannot lose; an OS crash can lose the last
 * writes of either. On start, records the database has not yet applied (their sequence number is above
 * the journal's mark in `sqlite_sequence`, which each commit moves in the same transaction: migration
 * 21) are stored before any client connects (UpdateLog.openJournal).
 *
 * A record: u32 length of the body, u32 CRC-32 of the body, then the body: f64 sequence number,
 * u16 length + document id, u16 length + author (0xffff: none), the update's bytes. A torn or corrupt
 * tail (an OS crash mid-write) ends the readable journal; everything before it is whole.
 *
 * Written by hand: the format is these few lines, and no maintained package offers an append-only
 * record file with checksums and truncation for Node.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export interface JournalEntry {
  docId: string;
  data: Uint8Array;
  author: string | undefined;
}

export interface JournalRecord extends JournalEntry {
  seq: number;
}

const HEADER = 8;
const NO_AUTHOR = 0xffff;
/** The file is emptied once every record in it is in the database and it has grown past this. */
const TRUNCATE_ABOVE_BYTES = 4 * 1024 * 1024;

/** All records in one buffer, written in place (this is on every update's path: no per-part buffers). */
function encode(records: readonly JournalRecord[]): Buffer {
  let total = 0;
  for (const r of records) total += HEADER + bodyLength(r);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const r of records) {
    const start = at;
    const length = bodyLength(r);
    at = out.writeUInt32LE(length, at) + 4;
    at = out.writeDoubleLE(r.seq, at);
    at = writeString(out, r.docId, at);
    if (r.author === undefined) at = out.writeUInt16LE(NO_AUTHOR, at);
    else at = writeString(out, r.author, at);
    out.set(r.data, at);
    at += r.data.byteLength;
    out.writeUInt32LE(crc32(out.subarray(start + HEADER, at)), start + 4);
  }
  return out;
}

function bodyLength(r: JournalRecord): number {
  const doc = Buffer.byteLength(r.docId);
  const author = r.author === undefined ? 0 : Buffer.byteLength(r.author);
  // Ids are short (UUIDs); a longer one would not fit its u16 length and must not corrupt the file.
  if (doc >= NO_AUTHOR || author >= NO_AUTHOR) throw new Error('update journal: an id longer than 65,534 bytes');
  return 8 + 2 + doc + 2 + author + r.data.byteLength;
}

/** A u16 byte length and the UTF-8 bytes; returns the offset after them. */
function writeString(out: Buffer, value: string, at: number): number {
  const written = out.write(value, at + 2, 'utf8');
  out.writeUInt16LE(written, at);
  return at + 2 + written;
}

/** The whole records of a journal's bytes, in order; stops at the first torn or corrupt one. */
export function decodeJournal(bytes: Buffer): { records: JournalRecord[]; validBytes: number } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + HEADER <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const end = at + HEADER + length;
    if (length < 12 || end > bytes.length) break;
    const body = bytes.subarray(at + HEADER, end);
    if (crc32(body) !== bytes.readUInt32LE(at + 4)) break;
    let p = 0;
    const seq = body.readDoubleLE(p);
    p += 8;
    const docLength = body.readUInt16LE(p);
    p += 2;
    const docId = body.toString('utf8', p, p + docLength);
    p += docLength;
    const authorLength = body.readUInt16LE(p);
    p += 2;
    let author: string | undefined;
    if (authorLength !== NO_AUTHOR) {
      author = body.toString('utf8', p, p + authorLength);
      p += authorLength;
    }
    if (p > body.length) break;
    // A copy: the caller keeps records after the file's buffer is gone.
    records.push({ seq, docId, author, data: new Uint8Array(body.subarray(p)) });
    at = end;
  }
  return { records, validBytes: at };
}

export class UpdateJournal {
  private nextSeq: number;
  private bytes: number;

  private constructor(
    private readonly fd: number,
    lastSeq: number,
  ) {
    this.nextSeq = lastSeq + 1;
    this.bytes = fstatSync(fd).size;
  }

  /**
   * Opens (or creates) the journal and returns the records it holds above `appliedSeq`: those the
   * database has not stored. Call `recovered()` once they are stored; only then is the file emptied.
   */
  static open(file: string, appliedSeq: number): { journal: UpdateJournal; pending: JournalRecord[]; tornBytes: number } {
    const fd = openSync(file, 'a+');
    try {
      // Only a regular file is read: a device (/dev/full in the tests) has no records to recover.
      const bytes = fstatSync(fd).isFile() ? readFileSync(fd) : Buffer.alloc(0);
      const { records, validBytes } = decodeJournal(bytes);
      const lastSeq = records.reduce((max, r) => Math.max(max, r.seq), appliedSeq);
      // A torn tail would hide every record appended after it: cut it off before appending.
      if (validBytes < bytes.length) ftruncateSync(fd, validBytes);
      return { journal: new UpdateJournal(fd, lastSeq), pending: records.filter((r) => r.seq > appliedSeq), tornBytes: bytes.length - validBytes };
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** The highest sequence number written so far (or applied before this file was opened). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Writes the entries in one system call and returns their sequence numbers. Throws if the write
   * failed or was short (disk full): then nothing may be relayed, as with a failed commit.
   */
  append(entries: readonly JournalEntry[]): number[] {
    const records = entries.map((e) => ({ ...e, seq: this.nextSeq++ }));
    const frame = encode(records);
    const written = writeSync(this.fd, frame);
    this.bytes += written;
    if (written !== frame.length) throw new Error(`update journal: short write (${written} of ${frame.length} bytes)`);
    return records.map((r) => r.seq);
  }

  /** Called after a commit that applied everything up to `seq`: empties a large file once all of it is stored. */
  applied(seq: number): void {
    if (seq >= this.lastSeq && this.bytes > TRUNCATE_ABOVE_BYTES) this.truncate();
  }

  /** After recovery stored every pending record (or once all are stored): the file starts over. */
  truncate(): void {
    if (!this.bytes) return;
    ftruncateSync(this.fd);
    this.bytes = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
