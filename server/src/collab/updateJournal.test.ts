/** The update journal's file on its own: records written, read back, a torn or corrupt tail, a full disk. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateJournal, decodeJournal } from './updateJournal.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'huntroom-journal-unit-'));
  file = join(dir, 'huntroom.updates');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (docId: string, bytes: number[], author?: string) => ({ docId, data: new Uint8Array(bytes), author });

describe('update journal', () => {
  it('reads back what one append wrote, in order, with and without an author', () => {
    const { journal, pending } = UpdateJournal.open(file, 0);
    expect(pending).toEqual([]);
    expect(journal.append([entry('d1', [1, 2, 3], 'acc-1'), entry('dokument-ü', [])])).toEqual([1, 2]);
    expect(journal.append([entry('d1', [9])])).toEqual([3]);
    journal.close();
    const { records, validBytes } = decodeJournal(readFileSync(file));
    expect(validBytes).toBe(statSync(file).size);
    expect(records).toEqual([
      { seq: 1, docId: 'd1', author: 'acc-1', data: new Uint8Array([1, 2, 3]) },
      { seq: 2, docId: 'dokument-ü', author: undefined, data: new Uint8Array([]) },
      { seq: 3, docId: 'd1', author: undefined, data: new Uint8Array([9]) },
    ]);
  });

  it('returns on open only the records above the applied mark, and numbers on from the highest', () => {
    const first = UpdateJournal.open(file, 10);
    expect(first.journal.append([entry('d1', [1]), entry('d1', [2]), entry('d1', [3])])).toEqual([11, 12, 13]);
    first.journal.close();
    const again = UpdateJournal.open(file, 12);
    expect(again.pending.map((r) => r.seq)).toEqual([13]);
    expect(again.journal.append([entry('d2', [4])])).toEqual([14]);
    again.journal.close();
  });

  it('stops at a torn tail and cuts it off, so records appended later are read', () => {
    const first = UpdateJournal.open(file, 0);
    first.journal.append([entry('d1', [1, 1, 1])]);
    first.journal.append([entry('d1', [2, 2, 2, 2, 2, 2])]);
    first.journal.close();
    const whole = statSync(file).size;
    // An OS crash in the middle of the second write: half of its bytes made it to the disk.
    writeFileSync(file, readFileSync(file).subarray(0, whole - 7));
    const reopened = UpdateJournal.open(file, 0);
    expect(reopened.pending.map((r) => [...r.data])).toEqual([[1, 1, 1]]);
    expect(reopened.tornBytes).toBeGreaterThan(0);
    expect(reopened.journal.append([entry('d1', [3])])).toEqual([2]);
    reopened.journal.close();
    expect(decodeJournal(readFileSync(file)).records.map((r) => [...r.data])).toEqual([[1, 1, 1], [3]]);
  });

  it('stops at a record whose checksum does not match', () => {
    const { journal } = UpdateJournal.open(file, 0);
    journal.append([entry('d1', [1]), entry('d1', [2]), entry('d1', [3])]);
    journal.close();
    const bytes = readFileSync(file);
    const second = bytes.readUInt32LE(0) + 8;
    bytes[second + 8 + 9] ^= 0xff; // a byte of the second record's body
    writeFileSync(file, bytes);
    expect(decodeJournal(readFileSync(file)).records.map((r) => r.seq)).toEqual([1]);
    // Garbage past the end (zeros written by a crash) reads as nothing.
    appendFileSync(file, Buffer.alloc(64));
    expect(decodeJournal(readFileSync(file)).records.map((r) => r.seq)).toEqual([1]);
  });

  it('throws on a failed write (a full disk), so the caller relays nothing', () => {
    const { journal } = UpdateJournal.open('/dev/full', 0);
    expect(() => journal.append([entry('d1', [1])])).toThrow(/ENOSPC/);
    journal.close();
  });
});
