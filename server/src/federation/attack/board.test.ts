/** The board as federation reads and writes it, on a real database (SQLite). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MARKS_MAP, type Mark } from '@huntroom/shared';
import { openKit, type Kit } from '../../records/testkit.js';
import { docStore } from '../../collab/store.js';
import { ensureBoard } from '../../attack/board.js';
import { readStoredBoard, storedMarksOf, touchedMarks, writeMarks } from './board.js';

const mark = (techniqueId: string, team: string, status: Mark['status'], comment?: string): Mark => ({ techniqueId, team, status, ...(comment ? { comment } : {}) });

describe('federation: the ATT&CK board in storage', () => {
  let kit: Kit;
  let docId: string;
  beforeEach(async () => {
    kit = await openKit();
    docId = (await ensureBoard(kit, kit.workspaceId)).id;
  });
  afterEach(() => kit.close());

  /** A client's change, stored as the UpdateLog stores it; returns what the tap reads from it. */
  const accept = (client: Y.Doc, change: (m: Y.Map<unknown>) => void) =>
    kit.db.transaction(async (tx) => {
      const before = Y.encodeStateVector(client);
      change(client.getMap(MARKS_MAP));
      const update = Y.encodeStateAsUpdate(client, before);
      await docStore.appendUpdates(tx, docId, [update]);
      return touchedMarks(tx, docId, update);
    });

  it('reads the marks an update set, overwrote or cleared, with their values after it', async () => {
    const client = new Y.Doc();
    expect(
      await accept(client, (m) => {
        m.set('T1059|US', mark('T1059', 'US', 'observed', 'dc01'));
        m.set('T1071|CA', mark('T1071', 'CA', 'suspected'));
      }),
    ).toEqual([
      { key: 'T1059|US', mark: mark('T1059', 'US', 'observed', 'dc01') },
      { key: 'T1071|CA', mark: mark('T1071', 'CA', 'suspected') },
    ]);
    expect(
      await accept(client, (m) => {
        m.delete('T1071|CA');
        m.set('T1059|US', mark('T1059', 'US', 'not-found'));
      }),
    ).toEqual([
      { key: 'T1059|US', mark: mark('T1059', 'US', 'not-found') },
      { key: 'T1071|CA', mark: null },
    ]);
    // A value that is not its key's mark crosses as no mark.
    expect(await accept(client, (m) => m.set('T1105|CA', mark('T1105', 'US', 'observed')))).toEqual([{ key: 'T1105|CA', mark: null }]);
  });

  it('writes marks from a link once: the same marks again make no update', async () => {
    const marks = [
      { key: 'T1003|LV', mark: mark('T1003', 'LV', 'observed', 'lsass') },
      { key: 'T1021|LV', mark: null },
    ];
    const first = await kit.db.transaction((tx) => writeMarks(tx, docId, marks));
    expect(first).toBeInstanceOf(Uint8Array);
    expect(await kit.db.transaction((tx) => writeMarks(tx, docId, marks))).toBeUndefined();
    expect(await storedMarksOf(kit.db, docId, new Set(['LV']))).toEqual([marks[0]]);
    const cleared = await kit.db.transaction((tx) => writeMarks(tx, docId, [{ key: 'T1003|LV', mark: null }]));
    expect(cleared).toBeInstanceOf(Uint8Array);
    expect(await readStoredBoard(kit.db, docId, (m) => [...m.keys()])).toEqual([]);
  });
});
