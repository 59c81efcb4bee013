/**
 * Use cases of notes beyond the shared document CRUD (`documents/service.ts`): named versions (save,
 * list, view, restore as a live change).
 */
import * as Y from 'yjs';
import type { Account, NoteVersion, NoteVersionContent } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { AppError, notFound } from '../http/errors.js';
import { storedState } from '../collab/persistence.js';
import { titledDocuments } from '../documents/service.js';
import { noteStore } from './store.js';
import { presentVersion } from './present.js';
import { replaceFragment } from './restore.js';

export const notes = titledDocuments('note');
const loadNote = notes.load;

const audit = (db: Db, account: Account, workspaceId: string, action: string, detail: Record<string, unknown>) =>
  auditStore.write(db, { workspaceId, actorId: account.id, teamId: account.team.id, action, detail });

/** The note's current content: the live document if open (once committed), else storage. */
async function currentState(ctx: AppContext, noteId: string): Promise<Uint8Array> {
  const live = ctx.collab.documents.get(noteId);
  if (!live) return storedState(ctx.db, noteId);
  await live.whenPersisted();
  return Y.encodeStateAsUpdate(live.doc);
}

/**
 * Each named version holds a full copy of the note, so they are capped (issue 15): at most
 * `maxVersionsPerNote` per note (409) and `versionsPerAccountPerMinute` saved by one account over all
 * notes (429). Counted from the stored versions, so every node of a cluster agrees; a refusal stores
 * nothing.
 */
async function checkVersionLimits(ctx: AppContext, db: Db, account: Account, noteId: string): Promise<void> {
  const { maxVersionsPerNote, versionsPerAccountPerMinute } = ctx.collab.options;
  const since = new Date(Date.now() - 60_000).toISOString();
  if ((await noteStore.countSavedSince(db, account.id, since)) >= versionsPerAccountPerMinute) {
    throw new AppError('rate_limited', `at most ${versionsPerAccountPerMinute} named versions a minute; wait a minute and try again`);
  }
  if ((await noteStore.countVersions(db, noteId)) >= maxVersionsPerNote) {
    throw new AppError('conflict', `this note already keeps ${maxVersionsPerNote} named versions, the most it may`);
  }
}

export async function saveVersion(ctx: AppContext, account: Account, workspaceId: string, noteId: string, name: string): Promise<NoteVersion> {
  await loadNote(ctx, account, workspaceId, noteId, 'write');
  // Checked before the note's content is copied (that costs), and again where the version is stored.
  await checkVersionLimits(ctx, ctx.db, account, noteId);
  const data = await currentState(ctx, noteId);
  const id = await ctx.db.transaction(async (tx) => {
    // SQLite runs one transaction at a time; on PostgreSQL two saves could both pass the counts, so
    // they wait for each other on the note's row and on the account.
    if (tx.dialect === 'postgres') {
      await tx.get('SELECT id FROM documents WHERE id = ? FOR UPDATE', [noteId]);
      await tx.get('SELECT pg_advisory_xact_lock(hashtext(?))', [`huntroom-versions:${account.id}`]);
    }
    await checkVersionLimits(ctx, tx, account, noteId);
    const versionId = await noteStore.addVersion(tx, { docId: noteId, name, data, createdBy: account.id, teamId: account.team.id });
    await audit(tx, account, workspaceId, 'note.version_saved', { noteId, versionId });
    return versionId;
  });
  return presentVersion((await noteStore.version(ctx.db, noteId, id))!);
}

export async function listVersions(ctx: AppContext, account: Account, workspaceId: string, noteId: string): Promise<NoteVersion[]> {
  await loadNote(ctx, account, workspaceId, noteId, 'read');
  return (await noteStore.versions(ctx.db, noteId)).map(presentVersion);
}

export async function getVersion(ctx: AppContext, account: Account, workspaceId: string, noteId: string, versionId: string): Promise<NoteVersionContent> {
  await loadNote(ctx, account, workspaceId, noteId, 'read');
  const v = await noteStore.version(ctx.db, noteId, versionId);
  if (!v) throw notFound('version');
  return { ...presentVersion(v), update: Buffer.from(v.data).toString('base64') };
}

export async function restoreVersion(ctx: AppContext, account: Account, workspaceId: string, noteId: string, versionId: string): Promise<NoteVersion> {
  const { meta } = await loadNote(ctx, account, workspaceId, noteId, 'write');
  const v = await noteStore.version(ctx.db, noteId, versionId);
  if (!v) throw notFound('version');
  // Applied to the live document and committed to the update log before this returns.
  await ctx.collab.withDocument(meta, (live) => replaceFragment(live.doc, v.data, undefined, account));
  await audit(ctx.db, account, workspaceId, 'note.version_restored', { noteId, versionId });
  return presentVersion(v);
}
