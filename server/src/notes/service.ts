/**
 * Use cases of notes: list what the caller's team may see, create, rename, re-mark, delete, and the
 * named versions. Access goes through `authorizeDoc` (membership + `canSee`), the same check as the
 * websocket upgrade. Audit rows are written in the mutation's transaction; live effects (sockets
 * closed, a restore reaching editors) happen after the commit.
 */
import * as Y from 'yjs';
import { canSee, CLOSE_CODES, type Account, type CreateNoteInput, type Note, type NoteVersion, type NoteVersionContent, type UpdateNoteInput } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { forbidden, notFound } from '../http/errors.js';
import { can } from '../workspaces/policy.js';
import { loadWorkspace } from '../workspaces/service.js';
import { authorizeDoc, type DocAccess } from '../collab/authorize.js';
import { docStore } from '../collab/store.js';
import { storedState } from '../collab/persistence.js';
import { newId } from '../util.js';
import { noteStore } from './store.js';
import { presentNote, presentVersion } from './present.js';
import { replaceFragment } from './restore.js';

type Action = 'read' | 'write';

const audit = (db: Db, account: Account, workspaceId: string, action: string, detail: Record<string, unknown>) =>
  auditStore.write(db, { workspaceId, actorId: account.id, teamId: account.team.id, action, detail });

/** The note if the caller may `action` it; 404 for another workspace's or a non-note document. */
export async function loadNote(ctx: AppContext, account: Account, workspaceId: string, noteId: string, action: Action): Promise<DocAccess> {
  await loadWorkspace(ctx.db, workspaceId, account, 'read');
  const access = await authorizeDoc(ctx.db, noteId, account);
  if (access.meta.workspaceId !== workspaceId || access.meta.kind !== 'note') throw notFound('note');
  if (!can(access.role, action)) throw forbidden('your role may not change notes');
  return access;
}

export async function listNotes(ctx: AppContext, account: Account, workspaceId: string): Promise<Note[]> {
  await loadWorkspace(ctx.db, workspaceId, account, 'read');
  return (await noteStore.list(ctx.db, workspaceId)).filter((n) => canSee(account.team.id, n)).map(presentNote);
}

export async function createNote(ctx: AppContext, account: Account, workspaceId: string, input: CreateNoteInput): Promise<Note> {
  const ws = await loadWorkspace(ctx.db, workspaceId, account, 'write');
  const id = newId();
  const marking = input.marking ?? { tlp: ws.defaultTlp, releasableTo: [] };
  await ctx.db.transaction(async (tx) => {
    await docStore.insert(tx, { id, workspaceId, kind: 'note', title: input.title, marking, ownerTeamId: account.team.id, createdBy: account.id });
    await audit(tx, account, workspaceId, 'note.created', { noteId: id, title: input.title, marking });
  });
  return presentNote((await docStore.meta(ctx.db, id))!);
}

export async function updateNote(ctx: AppContext, account: Account, workspaceId: string, noteId: string, input: UpdateNoteInput): Promise<Note> {
  const { meta, role } = await loadNote(ctx, account, workspaceId, noteId, 'write');
  // The author's team decides the note's name and its releasability; workspace owners may too.
  if (meta.ownerTeamId !== account.team.id && role !== 'owner') throw forbidden("only the note's team or a workspace owner may change it");
  await ctx.db.transaction(async (tx) => {
    if (input.title !== undefined && input.title !== meta.title) {
      await noteStore.setTitle(tx, noteId, input.title);
      await audit(tx, account, workspaceId, 'note.renamed', { noteId, from: meta.title, to: input.title });
    }
    if (input.marking) {
      await noteStore.setMarking(tx, noteId, input.marking);
      await audit(tx, account, workspaceId, 'note.marking_changed', { noteId, from: meta.marking, to: input.marking });
    }
  });
  const updated = (await docStore.meta(ctx.db, noteId))!;
  // A narrowed marking takes effect at once: sockets of teams that lost sight of the note close.
  if (input.marking) {
    ctx.collab.closeDocument(noteId, CLOSE_CODES.forbidden, 'this note is no longer releasable to your team', (c) => canSee(c.account.team.id, updated));
  }
  return presentNote(updated);
}

export async function deleteNote(ctx: AppContext, account: Account, workspaceId: string, noteId: string): Promise<void> {
  const { meta, role } = await loadNote(ctx, account, workspaceId, noteId, 'write');
  if (role !== 'owner' && meta.createdBy !== account.id) throw forbidden('only its creator or a workspace owner may delete a note');
  await ctx.db.transaction(async (tx) => {
    await noteStore.delete(tx, noteId);
    await audit(tx, account, workspaceId, 'note.deleted', { noteId, title: meta.title });
  });
  ctx.collab.closeDocument(noteId, CLOSE_CODES.documentGone, 'this note was deleted');
  const live = ctx.collab.documents.get(noteId);
  if (live) ctx.collab.documents.evict(live);
}

/** The note's current content: the live document if open (once committed), else storage. */
async function currentState(ctx: AppContext, noteId: string): Promise<Uint8Array> {
  const live = ctx.collab.documents.get(noteId);
  if (!live) return storedState(ctx.db, noteId);
  await live.whenPersisted();
  return Y.encodeStateAsUpdate(live.doc);
}

export async function saveVersion(ctx: AppContext, account: Account, workspaceId: string, noteId: string, name: string): Promise<NoteVersion> {
  await loadNote(ctx, account, workspaceId, noteId, 'write');
  const data = await currentState(ctx, noteId);
  const id = await ctx.db.transaction(async (tx) => {
    const versionId = await noteStore.addVersion(tx, { docId: noteId, name, data, createdBy: account.id, teamId: account.team.id });
    await audit(tx, account, workspaceId, 'note.version_saved', { noteId, versionId, name });
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
  await ctx.collab.withDocument(meta, (live) => replaceFragment(live.doc, v.data));
  await audit(ctx.db, account, workspaceId, 'note.version_restored', { noteId, versionId, name: v.name });
  return presentVersion(v);
}
