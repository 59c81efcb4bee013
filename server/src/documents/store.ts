/** SQL for titled documents (notes, whiteboards): their list, title, marking and deletion. */
import type { Marking } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { DOC_COLUMNS, toDocMeta, type DocKind, type DocMeta, type DocRow } from '../collab/store.js';
import { nowIso } from '../util.js';

export const documentStore = {
  async list(db: Db, workspaceId: string, kind: DocKind): Promise<DocMeta[]> {
    const rows = await db.all<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE workspace_id = ? AND kind = ? ORDER BY created_at, id`, [workspaceId, kind]);
    return rows.map(toDocMeta);
  },
  async setTitle(db: Db, id: string, title: string): Promise<void> {
    await db.run('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?', [title, nowIso(), id]);
  },
  async setMarking(db: Db, id: string, marking: Marking): Promise<void> {
    await db.run('UPDATE documents SET tlp = ?, releasable_to = ?, updated_at = ? WHERE id = ?', [marking.tlp, JSON.stringify(marking.releasableTo), nowIso(), id]);
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.run('DELETE FROM documents WHERE id = ?', [id]);
  },
};
