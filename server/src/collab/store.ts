/**
 * SQL of the document plane: document metadata (marking, workspace), the update log and snapshots.
 * Notes, whiteboards and boards add their own columns' queries in their domains; this file is what
 * the document server itself needs.
 */
import type { Marking, TlpLevel } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';

export type DocKind = 'note' | 'whiteboard' | 'attack';

export interface DocMeta {
  id: string;
  workspaceId: string;
  kind: DocKind;
  title: string;
  marking: Marking;
  ownerTeamId: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocRow {
  id: string;
  workspace_id: string;
  kind: DocKind;
  title: string;
  tlp: TlpLevel;
  releasable_to: string;
  owner_team_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export const DOC_COLUMNS = 'id, workspace_id, kind, title, tlp, releasable_to, owner_team_id, created_by, created_at, updated_at';

export const toDocMeta = (r: DocRow): DocMeta => ({
  id: r.id,
  workspaceId: r.workspace_id,
  kind: r.kind,
  title: r.title,
  marking: { tlp: r.tlp, releasableTo: JSON.parse(r.releasable_to) as string[] },
  ownerTeamId: r.owner_team_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Binary columns come back as Buffer (better-sqlite3, pg); Yjs wants plain Uint8Array views. */
const bytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface StoredContent {
  snapshot: Uint8Array | undefined;
  snapshotUpto: number;
  updates: { id: number; data: Uint8Array }[];
}

export const docStore = {
  async meta(db: Db, docId: string): Promise<DocMeta | undefined> {
    const r = await db.get<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = ?`, [docId]);
    return r && toDocMeta(r);
  },

  /**
   * `ifAbsent`: an existing document of that id is left as it is (no error). Inside a transaction on
   * PostgreSQL a unique violation aborts the whole transaction, so a caller that may race another
   * creator of the same id there asks for this instead of catching the violation.
   */
  async insert(db: Db, d: Omit<DocMeta, 'createdAt' | 'updatedAt'>, opts: { ifAbsent?: boolean } = {}): Promise<void> {
    const now = nowIso();
    await db.run(`INSERT INTO documents (${DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${opts.ifAbsent ? ' ON CONFLICT (id) DO NOTHING' : ''}`, [
      d.id,
      d.workspaceId,
      d.kind,
      d.title,
      d.marking.tlp,
      JSON.stringify(d.marking.releasableTo),
      d.ownerTeamId,
      d.createdBy,
      now,
      now,
    ]);
  },

  /** Whether the document is still there (not deleted). */
  async exists(db: Db, docId: string): Promise<boolean> {
    return (await db.get('SELECT id FROM documents WHERE id = ?', [docId])) !== undefined;
  },

  /** Appends updates to the log, in order, inside the caller's transaction. */
  async appendUpdates(db: Db, docId: string, updates: readonly Uint8Array[]): Promise<void> {
    for (const u of updates) await db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [docId, u]);
  },

  /** Everything stored for a document: its snapshot and the log after it. */
  async content(db: Db, docId: string): Promise<StoredContent> {
    const snap = await db.get<{ data: Uint8Array; upto_id: number }>('SELECT data, upto_id FROM doc_snapshots WHERE doc_id = ?', [docId]);
    const snapshotUpto = Number(snap?.upto_id ?? 0);
    const rows = await db.all<{ id: number; data: Uint8Array }>('SELECT id, data FROM doc_updates WHERE doc_id = ? AND id > ? ORDER BY id', [docId, snapshotUpto]);
    return {
      snapshot: snap ? bytes(snap.data) : undefined,
      snapshotUpto,
      updates: rows.map((r) => ({ id: Number(r.id), data: bytes(r.data) })),
    };
  },

  /**
   * Replaces the snapshot with one folding the log up to `uptoId` and deletes those rows, but only if
   * the snapshot is still the one the fold started from (another node may have compacted meanwhile).
   */
  async replaceSnapshot(db: Db, docId: string, fromUpto: number, uptoId: number, data: Uint8Array): Promise<boolean> {
    return db.transaction(async (tx) => {
      const cur = await tx.get<{ upto_id: number }>('SELECT upto_id FROM doc_snapshots WHERE doc_id = ?', [docId]);
      if (Number(cur?.upto_id ?? 0) !== fromUpto) return false;
      if (!(await docStore.exists(tx, docId))) return false;
      if (cur) await tx.run('UPDATE doc_snapshots SET data = ?, upto_id = ?, updated_at = ? WHERE doc_id = ?', [data, uptoId, nowIso(), docId]);
      else await tx.run('INSERT INTO doc_snapshots (doc_id, data, upto_id, updated_at) VALUES (?, ?, ?, ?)', [docId, data, uptoId, nowIso()]);
      await tx.run('DELETE FROM doc_updates WHERE doc_id = ? AND id <= ?', [docId, uptoId]);
      return true;
    });
  },

  async updateCount(db: Db, docId: string): Promise<number> {
    const r = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?', [docId]);
    return Number(r?.n ?? 0);
  },
};
