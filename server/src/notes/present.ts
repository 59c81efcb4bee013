/** Row to wire shape for note versions. */
import type { NoteVersion } from '@huntroom/shared';
import type { VersionRow } from './store.js';

export const presentVersion = (v: VersionRow): NoteVersion => ({
  id: v.id,
  noteId: v.doc_id,
  name: v.name,
  createdBy: v.created_by,
  createdByUsername: v.username,
  createdAt: v.created_at,
  bytes: Number(v.bytes),
});
