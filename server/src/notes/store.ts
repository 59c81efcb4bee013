/** SQL for the named versions of notes. */
import type { Db } from '../storage/db.js';
import { newId, nowIso } from '../util.js';

export interface VersionRow {
  id: string;
  doc_id: string;
  name: string;
  created_by: string;
  username: string | null;
  created_at: string;
  bytes: number;
}

const VERSION_SELECT = `SELECT v.id, v.doc_id, v.name, v.created_by, a.username, v.created_at, LENGTH(v.data) AS bytes
  FROM doc_versions v LEFT JOIN accounts a ON a.id = v.created_by`;

export const noteStore = {
  async addVersion(db: Db, v: { docId: string; name: string; data: Uint8Array; createdBy: string; teamId: string }): Promise<string> {
    const id = newId();
    await db.run('INSERT INTO doc_versions (id, doc_id, name, data, created_by, team_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      v.docId,
      v.name,
      v.data,
      v.createdBy,
      v.teamId,
      nowIso(),
    ]);
    return id;
  },
  async countVersions(db: Db, docId: string): Promise<number> {
    return Number((await db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM doc_versions WHERE doc_id = ?', [docId]))?.n ?? 0);
  },
  /**
   * Versions `accountId` saved at or after `since` (ISO time), over every note. Counted from the audit
   * trail, written in the same transaction as each version: deleting a note (and its versions) does
   * not give its saves back.
   */
  async countSavedSince(db: Db, accountId: string, since: string): Promise<number> {
    const row = await db.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ? AND action = 'note.version_saved' AND at >= ?", [accountId, since]);
    return Number(row?.n ?? 0);
  },
  async versions(db: Db, docId: string): Promise<VersionRow[]> {
    return db.all<VersionRow>(`${VERSION_SELECT} WHERE v.doc_id = ? ORDER BY v.created_at DESC, v.id`, [docId]);
  },
  async version(db: Db, docId: string, versionId: string): Promise<(VersionRow & { data: Uint8Array }) | undefined> {
    const row = await db.get<VersionRow>(`${VERSION_SELECT} WHERE v.doc_id = ? AND v.id = ?`, [docId, versionId]);
    const data = row && (await db.get<{ data: Uint8Array }>('SELECT data FROM doc_versions WHERE id = ?', [versionId]));
    return row && data ? { ...row, data: new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength) } : undefined;
  },
};
