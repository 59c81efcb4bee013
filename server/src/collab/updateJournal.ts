/**
 * The update journal: a file beside the SQLite database that an update reaches before anyone else
 * receives it. The file is mapped into memory (native/mapShared.c), so a tick's updates are written with
 * one copy, where the SQLite commit of the same updates takes 50-250 µs and a write(2) 30-100 µs at the
 * server's pace (docs/performance.md, "Update journal"). The relay no longer waits for SQLite: the
 * UpdateLog writes the journal, relays, then commits to SQLite in the same turn of the event loop.
 *
 * Durability is the same as SQLite's in WAL mode with synchronous=NORMAL: the mapped pages are the
 * file's pages in the kernel's cache, which a killed process (kill -9) cannot lose; an OS crash can lose
 * the last writes of either. On start, records the database has not yet applied (their sequence number
 * is above the journal's mark in `sqlite_sequence`, which each commit moves in the same transaction:
 * migration 21) are stored before any client connects (UpdateLog.openJournal).
 *
 * A record: u32 length of the body, u32 CRC-32 of the body, then the body: f64 sequence number,
 * u16 length + document id, u16 length + author (0xffff: none), the update's bytes. Records follow each
 * other from the file's start; once the database holds all of them the next lap starts at the start
 * again. Eight zero bytes follow the last record (the end mark), and a torn record (killed mid-copy)
 * ends what is read too. The end mark is what keeps a start from reading on into an earlier lap: from
 * where a lap ends, the old bytes may be the middle of an update, whose content a client chose, and a
 * record forged in it (any document, any author, a valid checksum) would be stored at the next start.
 *
 * Written by hand: the format is these few lines, and no maintained package offers a memory-mapped
 * record file with checksums for Node.
 */
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { loadNativeHelper } from './nativeHelpers.js';

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
/** The mapped part of the file; a lap starts over at its beginning once the database holds every record. */
const CAPACITY_BYTES = 4 * 1024 * 1024;
/**
 * Past this share of the mapping a lap ends at the first record after the database holds them all,
 * and `lapFilling` asks for that commit (UpdateLog holds commits back), so a lap rarely runs past
 * the mapping into write(2)s.
 */
const LAP_ENDS_AFTER = 0.75;

/**
 * All records in one buffer, written in place (this is on every update's path: no per-part buffers),
 * followed by HEADER zero bytes: the end mark that `append` puts after the records.
 */
function encode(records: readonly JournalRecord[]): Buffer {
  const lengths = records.map(bodyLength);
  let total = HEADER;
  for (const length of lengths) total += HEADER + length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  records.forEach((r, i) => {
    const start = at;
    at = out.writeUInt32LE(lengths[i]!, at) + 4;
    at = out.writeDoubleLE(r.seq, at);
    at = writeString(out, r.docId, at);
    if (r.author === undefined) at = out.writeUInt16LE(NO_AUTHOR, at);
    else at = writeString(out, r.author, at);
    out.set(r.data, at);
    at += r.data.byteLength;
    out.writeUInt32LE(crc32(out.subarray(start + HEADER, at)), start + 4);
  });
  out.fill(0, at);
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

interface MapSharedHelper {
  mapShared(fd: number, length: number): ArrayBuffer;
  /** 0 once this process holds the file's write lock, else the holder's pid (-1: not known). */
  lockExclusive(fd: number): number;
}

/** A second server on the same data directory: refused at start, before it writes anything to the journal. */
export class JournalInUseError extends Error {
  constructor(
    readonly file: string,
    readonly holderPid: number,
  ) {
    super(
      `${file} is in use by another Huntroom server${holderPid > 0 ? ` (pid ${holderPid})` : ''}: one data directory serves one server; stop it, or give this one another DATA_DIR (several nodes share PostgreSQL, not a data directory)`,
    );
  }
}

/** Whether the journal can be used here: it needs native/mapShared.c, built with the server. */
export function journalBuilt(): boolean {
  return loadNativeHelper<MapSharedHelper>('map_shared.node') !== undefined;
}

export class UpdateJournal {
  private nextSeq: number;
  /** Where the next record goes; records before it are this lap's. */
  private at: number;
  /** The highest sequence number the database holds (applied). */
  private appliedSeq: number;

  private constructor(
    private readonly fd: number,
    private readonly map: Buffer,
    lastSeq: number,
    appliedSeq: number,
    at: number,
  ) {
    this.nextSeq = lastSeq + 1;
    this.appliedSeq = appliedSeq;
    this.at = at;
  }

  /**
   * Opens (or creates) the journal, sized to `capacity` and mapped into memory, and returns the records
   * it holds above `appliedSeq`: those the database has not stored. Appends go after them until
   * `reset()` (call it once they are stored). Without the mapping helper (not built here) there is no
   * journal to write, but what an earlier run left is still read and returned. Throws JournalInUseError
   * while another process has the file open as its journal (its lock goes with the process or `close()`).
   */
  static open(file: string, appliedSeq: number, capacity = CAPACITY_BYTES): { journal: UpdateJournal | undefined; pending: JournalRecord[]; lastSeq: number } {
    const helper = loadNativeHelper<MapSharedHelper>('map_shared.node');
    const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
    try {
      // Two servers writing laps into one file would overwrite each other's unstored records, and a
      // start would store another live server's records a second time.
      const holder = helper?.lockExclusive(fd) ?? 0;
      if (holder !== 0) throw new JournalInUseError(file, holder);
      const bytes = readFileSync(fd);
      const { records, validBytes } = decodeJournal(bytes);
      const pending = records.filter((r) => r.seq > appliedSeq);
      const lastSeq = records.reduce((max, r) => Math.max(max, r.seq), appliedSeq);
      if (!helper) {
        closeSync(fd);
        return { journal: undefined, pending, lastSeq };
      }
      // Zeros written, not a sparse file: each page's block is allocated now, not by the first record
      // copied into it (a fault that took up to milliseconds in the probe).
      if (bytes.length < capacity) writeSync(fd, Buffer.alloc(capacity - bytes.length), 0, capacity - bytes.length, bytes.length);
      const map = Buffer.from(helper.mapShared(fd, capacity));
      return { journal: new UpdateJournal(fd, map, lastSeq, appliedSeq, validBytes), pending, lastSeq };
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
   * Writes the entries and returns them with their sequence numbers: a copy into the mapped file, or, for what
   * does not fit in it while the database has not stored all of it (or for one batch larger than the
   * whole mapping), a write past it. Throws if the write failed (disk full): then nothing may be
   * relayed, as with a failed commit.
   */
  append(entries: readonly JournalEntry[]): JournalRecord[] {
    const records = entries.map((e, i) => ({ ...e, seq: this.nextSeq + i }));
    const framed = encode(records);
    const length = framed.length - HEADER;
    this.nextSeq += records.length;
    // Everything written is stored: the next lap starts at the beginning. Its end mark keeps a start
    // from reading the last lap's bytes after it.
    if ((this.at + length > this.map.length || this.lapFilling) && this.appliedSeq >= records[0]!.seq - 1) this.at = 0;
    const end = this.at + length;
    if (end <= this.map.length) {
      // The end mark first, then the records: killed in between, the torn records end what is read.
      const markInMap = Math.min(HEADER, this.map.length - end);
      this.map.fill(0, end, end + markInMap);
      if (markInMap < HEADER) this.writeAt(framed.subarray(length + markInMap), this.map.length);
      this.map.set(framed.subarray(0, length), this.at);
    } else {
      this.writeAt(framed, this.at);
    }
    this.at = end;
    return records;
  }

  /** A write past the mapping, records and end mark in one call. */
  private writeAt(bytes: Buffer, position: number): void {
    const written = writeSync(this.fd, bytes, 0, bytes.length, position);
    if (written !== bytes.length) throw new Error(`update journal: short write (${written} of ${bytes.length} bytes)`);
  }

  /** Past LAP_ENDS_AFTER of the mapping: the lap ends once the database holds everything written. */
  get lapFilling(): boolean {
    return this.at > this.map.length * LAP_ENDS_AFTER;
  }

  /** Called after a commit that stored everything up to `seq`. */
  applied(seq: number): void {
    this.appliedSeq = Math.max(this.appliedSeq, seq);
  }

  /** After recovery stored every pending record: the next record starts a new lap. */
  reset(): void {
    this.appliedSeq = this.lastSeq;
    this.at = 0;
  }

  /**
   * At a clean stop with everything stored: the first record's header is zeroed, so the file reads as
   * empty (a database restored from a backup next to it gets nothing of it at the next start).
   */
  clear(): void {
    if (this.appliedSeq < this.lastSeq) return;
    this.map.fill(0, 0, HEADER);
    this.at = 0;
  }

  /** The mapping stays until it is collected; nothing written to it is lost by closing. */
  close(): void {
    closeSync(this.fd);
  }
}
