/** SQL for notes (documents of kind 'note') and their named versions. */
import type { Marking } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { DOC_COLUMNS, toDocMeta, type DocMeta, type DocRow } from '../collab/store.js';
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
  async list(db: Db, workspaceId: string): Promise<DocMeta[]> {
    const rows = await db.all<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE workspace_id = ? AND kind = 'note' ORDER BY created_at, id`, [
      workspaceId,
    ]);
    return rows.map(toDocMeta);
  },
  async setTitle(db: Db, id: string, title: string): Promise<void> {
    await db.run('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?', [title, nowIso(), id]);
  },
  async setMarking(db: Db, id: string, marking: Marking): Promise<void> {
    await db.run('UPDATE documents SET tlp = ?, releasable_to = ?, updated_at = ? WHERE id = ?', [
      marking.tlp,
      JSON.stringify(marking.releasableTo),
      nowIso(),
      id,
    ]);
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.run('DELETE FROM documents WHERE id = ?', [id]);
  },

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
  async versions(db: Db, docId: string): Promise<VersionRow[]> {
    return db.all<VersionRow>(`${VERSION_SELECT} WHERE v.doc_id = ? ORDER BY v.created_at DESC, v.id`, [docId]);
  },
  async version(db: Db, docId: string, versionId: string): Promise<(VersionRow & { data: Uint8Array }) | undefined> {
    const row = await db.get<VersionRow>(`${VERSION_SELECT} WHERE v.doc_id = ? AND v.id = ?`, [docId, versionId]);
    const data = row && (await db.get<{ data: Uint8Array }>('SELECT data FROM doc_versions WHERE id = ?', [versionId]));
    return row && data ? { ...row, data: new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength) } : undefined;
  },
};
