/** Notes: Yjs rich-text documents with a title, a marking and named versions (DESIGN.md section 4). */
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { markingSchema, type Marking } from '../markings/tlp.js';

export const noteTitleSchema = z.string().trim().min(1, 'a note needs a title').max(LIMITS.noteTitleMax);

export const createNoteSchema = z.object({
  title: noteTitleSchema,
  /** Defaults to the workspace's default TLP, releasable to every team of the workspace. */
  marking: markingSchema.optional(),
});
export type CreateNoteInput = z.infer<typeof createNoteSchema>;

export const updateNoteSchema = z
  .object({ title: noteTitleSchema.optional(), marking: markingSchema.optional() })
  .refine((v) => v.title !== undefined || v.marking !== undefined, 'nothing to change: send title or marking');
export type UpdateNoteInput = z.infer<typeof updateNoteSchema>;

export const createVersionSchema = z.object({
  name: z.string().trim().min(1, 'a version needs a name').max(LIMITS.versionNameMax),
});

export interface Note {
  id: string;
  workspaceId: string;
  title: string;
  /** The Yjs document id: connect to `/yjs/<docId>`. Equal to `id` today. */
  docId: string;
  marking: Marking;
  ownerTeamId: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface NoteVersion {
  id: string;
  noteId: string;
  name: string;
  createdBy: string;
  createdByUsername: string | null;
  createdAt: string;
  bytes: number;
}

/** One version with its content: a Yjs update (base64) that builds the document as it was. */
export interface NoteVersionContent extends NoteVersion {
  update: string;
}

/** Notes and whiteboards share this shape (a titled Yjs document with a marking). */
export type TitledDocument = Note;

export interface DocTicket {
  ticket: string;
  expiresAt: string;
}
