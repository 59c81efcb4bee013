/** Row to wire shape for notes and versions. */
import type { Note, NoteVersion } from '@huntroom/shared';
import type { DocMeta } from '../collab/store.js';
import type { VersionRow } from './store.js';

export const presentNote = (m: DocMeta): Note => ({
  id: m.id,
  workspaceId: m.workspaceId,
  title: m.title,
  docId: m.id,
  marking: m.marking,
  ownerTeamId: m.ownerTeamId,
  createdBy: m.createdBy,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const presentVersion = (v: VersionRow): NoteVersion => ({
  id: v.id,
  noteId: v.doc_id,
  name: v.name,
  createdBy: v.created_by,
  createdByUsername: v.username,
  createdAt: v.created_at,
  bytes: Number(v.bytes),
});
