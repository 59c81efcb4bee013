/** The update journal's file on its own: records written, read back, laps, a torn or corrupt record. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { JournalInUseError, UpdateJournal, decodeJournal, journalBuilt, type JournalRecord } from './updateJournal.js';
import { nativeHelperPath } from './nativeHelpers.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'huntroom-journal-unit-'));
  file = join(dir, 'huntroom.updates');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (docId: string, bytes: number[], author?: string) => ({ docId, data: new Uint8Array(bytes), author });

/** Opens it as the server does; the mapping helper is built with the server on Linux. */
function open(appliedSeq: number, capacity?: number): { journal: UpdateJournal; pending: JournalRecord[] } {
  const { journal, pending } = UpdateJournal.open(file, appliedSeq, capacity);
  if (!journal) throw new Error('native/mapShared.c was not built');
  return { journal, pending };
}

const onDisk = () => decodeJournal(readFileSync(file)).records;

describe('update journal', () => {
  it('is built and loaded on Linux (npm run build compiles it)', () => {
    if (process.platform === 'linux') expect(journalBuilt()).toBe(true);
  });

  it('reads back what was copied into the mapped file, in order, with and without an author', () => {
    const { journal, pending } = open(0);
    expect(pending).toEqual([]);
    expect(journal.append([entry('d1', [1, 2, 3], 'acc-1'), entry('dokument-ü', [])]).map((r) => r.seq)).toEqual([1, 2]);
    expect(journal.append([entry('d1', [9])]).map((r) => r.seq)).toEqual([3]);
    journal.close();
    // Read with read(2), not through the mapping: what another process (the next start) sees.
    expect(onDisk()).toEqual([
      { seq: 1, docId: 'd1', author: 'acc-1', data: new Uint8Array([1, 2, 3]) },
      { seq: 2, docId: 'dokument-ü', author: undefined, data: new Uint8Array([]) },
      { seq: 3, docId: 'd1', author: undefined, data: new Uint8Array([9]) },
    ]);
    expect(statSync(file).size).toBe(4 * 1024 * 1024);
  });

  it('returns on open only the records above the applied mark, appends after them, numbers on from the highest', () => {
    const first = open(10);
    expect(first.journal.append([entry('d1', [1]), entry('d1', [2]), entry('d1', [3])]).map((r) => r.seq)).toEqual([11, 12, 13]);
    first.journal.close();
    const again = open(12);
    expect(again.pending.map((r) => r.seq)).toEqual([13]);
    expect(again.journal.append([entry('d2', [4])]).map((r) => r.seq)).toEqual([14]);
    again.journal.close();
    expect(onDisk().map((r) => r.seq)).toEqual([11, 12, 13, 14]);
  });

  it('starts a new lap once everything is applied, and writes past the mapping while it is not', () => {
    const { journal } = open(0, 4096);
    const big = Array.from({ length: 1500 }, (_, i) => i & 0xff);
    journal.append([entry('d1', big)]);
    journal.append([entry('d1', big)]);
    // Not applied yet: the third cannot start a new lap and goes past the 4 KiB mapped.
    journal.append([entry('d1', big)]);
    expect(onDisk().map((r) => r.seq)).toEqual([1, 2, 3]);
    journal.applied(3);
    // All applied: the next record starts at the beginning; records of the last lap after it are
    // at or below the mark, and a start skips them.
    journal.append([entry('d2', big)]);
    journal.close();
    const reopened = open(3, 4096);
    expect(reopened.pending.map((r) => [r.seq, r.docId])).toEqual([[4, 'd2']]);
    reopened.journal.close();
  });

  it("ends each lap with a mark, so a record forged inside an earlier lap's update is never read", () => {
    // The real encoder's bytes for a record of another document, by another author, with a sequence
    // number far above any mark: what a client could put inside the content of its own update.
    const forgerFile = join(dir, 'forger.updates');
    const forger = UpdateJournal.open(forgerFile, 999_999).journal!;
    forger.append([entry('victim-doc', [6, 6, 6], 'mallory')]);
    forger.close();
    const forgerBytes = readFileSync(forgerFile);
    const forged = forgerBytes.subarray(0, forgerBytes.readUInt32LE(0) + 8);

    const { journal } = open(0, 4096);
    // Record 1 starts at 0; its update's bytes start after 8 + 8 + 2 + 'd1' + 2 = 22 bytes.
    const at = 100;
    // Record 1 leaves less than 122 bytes of the mapping free, so record 2 starts a new lap.
    const payload = [...Array.from({ length: at }, () => 0x41), ...forged, ...Array.from({ length: 3900 }, () => 0x42)];
    journal.append([entry('d1', payload)]);
    journal.applied(1);
    // Record 2 ends exactly where the forged record starts: 22 + 100 bytes.
    journal.append([
      entry(
        'd2',
        Array.from({ length: at }, () => 0x44),
      ),
    ]);
    journal.close();
    const reopened = open(1, 4096);
    expect(reopened.pending.map((r) => [r.seq, r.docId, r.author])).toEqual([[2, 'd2', undefined]]);
    expect(reopened.journal.lastSeq).toBe(2);
    reopened.journal.close();
  });

  it('puts the end mark past the mapping when a record ends within eight bytes of its end', () => {
    const { journal } = open(0, 4096);
    const first = Array.from({ length: 2000 }, () => 1);
    journal.append([entry('d1', first)]);
    journal.append([entry('d1', first)]);
    journal.append([entry('d1', first)]); // past the mapping (nothing applied): the file grows beyond 4 KiB
    journal.applied(3);
    // A new lap: one record of 4096 - 4 bytes, so 4 bytes of its end mark are in the mapping and 4 past it.
    journal.append([
      entry(
        'd2',
        Array.from({ length: 4092 - 22 }, () => 2),
      ),
    ]);
    journal.close();
    const bytes = readFileSync(file);
    expect(bytes.subarray(4092, 4100)).toEqual(Buffer.alloc(8));
    expect(decodeJournal(bytes).records.map((r) => r.seq)).toEqual([4]);
  });

  it('reads as empty after a clean stop with everything stored, and keeps what is not stored', () => {
    const { journal } = open(0);
    journal.append([entry('d1', [1]), entry('d1', [2])]);
    journal.clear(); // 2 not applied: kept
    expect(onDisk().map((r) => r.seq)).toEqual([1, 2]);
    journal.applied(2);
    journal.clear();
    journal.close();
    expect(onDisk()).toEqual([]);
  });

  it('stops at a torn record (killed mid-copy) and appends over it', () => {
    const first = open(0);
    first.journal.append([entry('d1', [1, 1, 1])]);
    first.journal.append([entry('d1', [2, 2, 2, 2, 2, 2])]);
    first.journal.close();
    const bytes = readFileSync(file);
    const second = bytes.readUInt32LE(0) + 8;
    bytes.fill(0, second + 12); // the second record's last bytes never made it
    writeFileSync(file, bytes);
    const reopened = open(0);
    expect(reopened.pending.map((r) => [...r.data])).toEqual([[1, 1, 1]]);
    expect(reopened.journal.append([entry('d1', [3])]).map((r) => r.seq)).toEqual([2]);
    reopened.journal.close();
    expect(onDisk().map((r) => [...r.data])).toEqual([[1, 1, 1], [3]]);
  });

  it('stops at a record whose checksum does not match', () => {
    const { journal } = open(0);
    journal.append([entry('d1', [1]), entry('d1', [2]), entry('d1', [3])]);
    journal.close();
    const bytes = readFileSync(file);
    const second = bytes.readUInt32LE(0) + 8;
    bytes[second + 8 + 9]! ^= 0xff; // a byte of the second record's body
    writeFileSync(file, bytes);
    expect(onDisk().map((r) => r.seq)).toEqual([1]);
  });

  it('is refused to a second process while one holds it, and free again once that one is killed', async () => {
    const helper = nativeHelperPath('map_shared.node');
    if (!helper) throw new Error('map_shared.node is not built');
    // Another server's process: it opens the file and takes the lock as UpdateJournal.open does, then waits.
    const other = spawn(
      process.execPath,
      ['-e', `const fd = require('fs').openSync(${JSON.stringify(file)}, 'a+'); console.log(require(${JSON.stringify(helper)}).lockExclusive(fd)); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => other.once('exit', resolve));
    try {
      const said = await new Promise<string>((resolve) => other.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      expect(said).toBe('0');
      let refused: unknown;
      try {
        UpdateJournal.open(file, 0);
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(JournalInUseError);
      expect((refused as JournalInUseError).holderPid).toBe(other.pid);
      expect((refused as Error).message).toMatch(new RegExp(`in use by another Huntroom server \\(pid ${other.pid}\\)`));
    } finally {
      other.kill('SIGKILL');
      await exited;
    }
    // The kernel dropped the lock with the killed process: this one opens it and appends.
    const { journal } = open(0);
    expect(journal.append([entry('d1', [1])]).map((r) => r.seq)).toEqual([1]);
    journal.close();
  });

  it('refuses an entry it cannot write whole, and writes nothing of it', () => {
    const { journal } = open(0);
    expect(() => journal.append([entry('x'.repeat(70_000), [1])])).toThrow(/longer than 65,534 bytes/);
    journal.close();
    expect(onDisk()).toEqual([]);
  });
});
