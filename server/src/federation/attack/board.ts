/**
 * The ATT&CK board as federation reads and writes it: from storage, in the caller's transaction, never
 * from the live Y.Doc (which may hold updates not committed yet, or another node's). What changed in an
 * accepted update, which links a board's marks cross to, and the Yjs update that writes marks that came
 * over a link.
 */
import * as Y from 'yjs';
import { MARKS_MAP, markKey, markSchema, type Mark } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { docStore, type DocMeta } from '../../collab/store.js';
import { storedState } from '../../collab/persistence.js';
import type { AuditSubject } from '../../audit/store.js';
import { crossesTo, sharedLinks } from '../documents/border.js';
import { keyTeam, type WireMark } from './wire.js';

/** The valid mark stored under `key`, or null (absent, or a value that is not that key's mark). */
export function markAt(map: Y.Map<unknown>, key: string): Mark | null {
  const m = markSchema.safeParse(map.get(key));
  return m.success && markKey(m.data.techniqueId, m.data.team) === key ? m.data : null;
}

const sameMark = (a: Mark | null, b: Mark | null): boolean =>
  a === b || (!!a && !!b && a.techniqueId === b.techniqueId && a.team === b.team && a.status === b.status && a.score === b.score && a.comment === b.comment);

function docOf(parts: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  // Typed before content arrives, so `changed` below names this very object (see attack/marksGuard.ts).
  doc.getMap(MARKS_MAP);
  doc.transact(() => {
    for (const p of parts) Y.applyUpdate(doc, p);
  });
  return doc;
}

/** The board as stored now, read with `read`. */
export async function readStoredBoard<T>(db: Db, docId: string, read: (marks: Y.Map<unknown>) => T): Promise<T> {
  const doc = docOf([await storedState(db, docId)]);
  try {
    return read(doc.getMap(MARKS_MAP));
  } finally {
    doc.destroy();
  }
}

/**
 * The marks `update` changed (set, overwritten or cleared, directly or through a neighbour), with their
 * values after it. Called by the UpdateLog's tap just after `update` was appended in `tx`: the board
 * before it is everything stored but that last row.
 */
export async function touchedMarks(tx: Db, docId: string, update: Uint8Array): Promise<WireMark[]> {
  const { snapshot, updates } = await docStore.content(tx, docId);
  let parts = [...(snapshot ? [snapshot] : []), ...updates.map((u) => u.data)];
  const last = parts.at(-1);
  if (last && Buffer.compare(last, update) === 0) parts = parts.slice(0, -1);
  const doc = docOf(parts);
  const map = doc.getMap(MARKS_MAP);
  const keys = new Set<string>();
  try {
    doc.transact((tr) => {
      Y.applyUpdate(doc, update);
      for (const [type, changed] of tr.changed) if ((type as unknown) === map) for (const k of changed) if (k !== null) keys.add(k);
    });
    return [...keys].sort().map((key) => ({ key, mark: markAt(map, key) }));
  } finally {
    doc.destroy();
  }
}

/**
 * Writes `marks` into the stored board (in `tx`) and returns the Yjs update that did it, or undefined
 * when every one already had that value (a message replayed, a baseline of marks the replica holds).
 * The caller applies the update to the live document after its commit, as a change stored elsewhere.
 */
export async function writeMarks(tx: Db, docId: string, marks: readonly WireMark[]): Promise<Uint8Array | undefined> {
  const doc = docOf([await storedState(tx, docId)]);
  const map = doc.getMap(MARKS_MAP);
  let update: Uint8Array | undefined;
  doc.on('update', (u: Uint8Array) => {
    update = update ? Y.mergeUpdates([update, u]) : u;
  });
  try {
    doc.transact(() => {
      for (const { key, mark } of marks) {
        if (sameMark(markAt(map, key), mark) && (mark !== null || !map.has(key))) continue;
        if (mark) map.set(key, { ...mark });
        else map.delete(key);
      }
    });
    if (update) await docStore.appendUpdates(tx, docId, [update]);
    return update;
  } finally {
    doc.destroy();
  }
}

/** Every valid mark of the stored board whose team is one of `codes`. */
export const storedMarksOf = (db: Db, docId: string, codes: ReadonlySet<string>): Promise<WireMark[]> =>
  readStoredBoard(db, docId, (map) =>
    [...map.keys()]
      .filter((k) => codes.has(keyTeam(k)))
      .sort()
      .map((key) => ({ key, mark: markAt(map, key) }))
      .filter((m) => m.mark !== null),
  );

/** The links a board's marks cross to: the workspace is shared over them and one of their teams may see the board. */
export async function boardLinks(db: Db, meta: Pick<DocMeta, 'workspaceId' | 'marking' | 'ownerTeamId'>): Promise<string[]> {
  const out: string[] = [];
  for (const link of await sharedLinks(db, meta.workspaceId)) if (await crossesTo(db, link, meta)) out.push(link);
  return out;
}

/** Where each team code is homed: null here, a link's name, or absent (no such team here). */
export async function teamHomes(db: Db, codes: Iterable<string>): Promise<Map<string, string | null>> {
  const unique = [...new Set(codes)];
  const out = new Map<string, string | null>();
  if (!unique.length) return out;
  const rows = await db.all<{ code: string; home_link: string | null }>(`SELECT code, home_link FROM teams WHERE code IN (${unique.map(() => '?').join(', ')})`, unique);
  for (const r of rows) out.set(r.code, r.home_link ?? null);
  return out;
}

/** Codes of this instance's own teams. */
export async function ownTeamCodes(db: Db): Promise<Set<string>> {
  return new Set((await db.all<{ code: string }>('SELECT code FROM teams WHERE home_link IS NULL')).map((r) => r.code));
}

/** The board as an audit subject: the trail shows the row only to those who may see the board. */
export const boardSubject = (meta: DocMeta): AuditSubject => ({ kind: 'document', id: meta.id, marking: meta.marking, ownerTeamId: meta.ownerTeamId });
