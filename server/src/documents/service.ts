/**
 * Use cases shared by the titled documents of a workspace (notes and whiteboards): list what the
 * caller's team may see, create, rename, re-mark, delete. Access goes through `authorizeDoc`
 * (membership + `canSee`), the same check as the websocket upgrade. Audit rows are written in the
 * mutation's transaction (`<kind>.created`, `<kind>.renamed`, ...) with ids, not titles: a title is
 * content under the document's marking. Live effects (sockets closed) happen after the commit.
 */
import { canSee, CLOSE_CODES, type Account, type CreateNoteInput, type TitledDocument, type UpdateNoteInput } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore, type AuditSubject } from '../audit/store.js';
import { AppError, forbidden, notFound } from '../http/errors.js';
import { can } from '../workspaces/policy.js';
import { loadWorkspace } from '../workspaces/service.js';
import { authorizeDoc, type DocAccess } from '../collab/authorize.js';
import { docStore } from '../collab/store.js';
import { newId } from '../util.js';
import { normalizeMarkingInput } from '../markings/normalize.js';
import { scrubDoc } from '../whiteboards/placements.js';
import { documentStore } from './store.js';
import { presentDocument } from './present.js';
import { documentChanged } from '../federation/documents/index.js';
import { teamHome } from '../federation/teams.js';

export type TitledKind = 'note' | 'whiteboard';
type Action = 'read' | 'write';

const audit = (db: Db, account: Account, workspaceId: string, action: string, detail: Record<string, unknown>, about?: AuditSubject[]) =>
  auditStore.write(db, { workspaceId, actorId: account.id, teamId: account.team.id, action, detail, ...(about ? { about } : {}) });

/** The service of one kind of titled document. */
export function titledDocuments(kind: TitledKind) {
  const idKey = `${kind}Id`;

  /**
   * The document if the caller may `action` it. One answer, 404 `<kind> not found`, whether it does not
   * exist, is another workspace's or kind's, or is not releasable to the caller's team: a hidden
   * document must not be told apart from a missing one (as indicators).
   */
  async function load(ctx: AppContext, account: Account, workspaceId: string, docId: string, action: Action): Promise<DocAccess> {
    await loadWorkspace(ctx.db, workspaceId, account, 'read');
    const access = await authorizeDoc(ctx.db, docId, account).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? notFound(kind) : err;
    });
    if (access.meta.workspaceId !== workspaceId || access.meta.kind !== kind) throw notFound(kind);
    if (!can(access.role, action)) throw forbidden(`your role may not change ${kind}s`);
    return access;
  }

  /** A replica's name and marking are its home instance's to change (docs/federation.md section 1). */
  async function homedHere(ctx: AppContext, ownerTeamId: string): Promise<void> {
    const home = await teamHome(ctx.db, ownerTeamId);
    if (home) throw forbidden(`this ${kind} belongs to ${home}; change it there`);
  }

  async function list(ctx: AppContext, account: Account, workspaceId: string): Promise<TitledDocument[]> {
    await loadWorkspace(ctx.db, workspaceId, account, 'read');
    return (await documentStore.list(ctx.db, workspaceId, kind)).filter((d) => canSee(account.team.id, d)).map(presentDocument);
  }

  async function create(ctx: AppContext, account: Account, workspaceId: string, input: CreateNoteInput): Promise<TitledDocument> {
    const ws = await loadWorkspace(ctx.db, workspaceId, account, 'write');
    const id = newId();
    const marking = await normalizeMarkingInput(ctx.db, input.marking ?? { tlp: ws.defaultTlp, releasableTo: [] });
    const crossed = await ctx.db.transaction(async (tx) => {
      await docStore.insert(tx, { id, workspaceId, kind, title: input.title, marking, ownerTeamId: account.team.id, createdBy: account.id });
      await audit(tx, account, workspaceId, `${kind}.created`, { [idKey]: id, marking });
      // To the peer instances its workspace is shared with, if it is releasable to their teams.
      return documentChanged(ctx, tx, undefined, await docStore.meta(tx, id));
    });
    crossed();
    return presentDocument((await docStore.meta(ctx.db, id))!);
  }

  async function update(ctx: AppContext, account: Account, workspaceId: string, docId: string, input: UpdateNoteInput): Promise<TitledDocument> {
    const { meta, role } = await load(ctx, account, workspaceId, docId, 'write');
    // The author's team decides the document's name and its releasability; workspace owners may too.
    if (meta.ownerTeamId !== account.team.id && role !== 'owner') throw forbidden(`only the ${kind}'s team or a workspace owner may change it`);
    await homedHere(ctx, meta.ownerTeamId);
    const marking = input.marking && (await normalizeMarkingInput(ctx.db, input.marking));
    const crossed = await ctx.db.transaction(async (tx) => {
      if (input.title !== undefined && input.title !== meta.title) {
        await documentStore.setTitle(tx, docId, input.title);
        await audit(tx, account, workspaceId, `${kind}.renamed`, { [idKey]: docId });
      }
      if (marking) {
        await documentStore.setMarking(tx, docId, marking);
        await audit(tx, account, workspaceId, `${kind}.marking_changed`, { [idKey]: docId, from: meta.marking, to: marking });
      }
      // Peers get the change; a peer whose teams lost sight of it gets a revoke; a widening, the content.
      return documentChanged(ctx, tx, meta, await docStore.meta(tx, docId));
    });
    crossed();
    const updated = (await docStore.meta(ctx.db, docId))!;
    // A narrowed marking takes effect at once: sockets of teams that lost sight of it close.
    if (marking) {
      ctx.collab.closeDocument(docId, CLOSE_CODES.forbidden, `this ${kind} is no longer releasable to your team`, (c) => canSee(c.account.team.id, updated));
      // A board re-marked (widened, say) must not release old copies of indicator values it holds.
      if (kind === 'whiteboard') await ctx.collab.withDocument(updated, (live) => scrubDoc(live.doc));
    }
    return presentDocument(updated);
  }

  async function remove(ctx: AppContext, account: Account, workspaceId: string, docId: string): Promise<void> {
    const { meta, role } = await load(ctx, account, workspaceId, docId, 'write');
    if (role !== 'owner' && meta.createdBy !== account.id) throw forbidden(`only its creator or a workspace owner may delete a ${kind}`);
    await homedHere(ctx, meta.ownerTeamId);
    const crossed = await ctx.db.transaction(async (tx) => {
      const revoked = await documentChanged(ctx, tx, meta, undefined);
      await documentStore.delete(tx, docId);
      // The marking it had, so the trail can still be filtered once the document is gone.
      await audit(tx, account, workspaceId, `${kind}.deleted`, { [idKey]: docId }, [{ kind: 'document', id: docId, marking: meta.marking, ownerTeamId: meta.ownerTeamId }]);
      return revoked;
    });
    crossed();
    ctx.collab.closeDocument(docId, CLOSE_CODES.documentGone, `this ${kind} was deleted`);
    const live = ctx.collab.documents.get(docId);
    if (live) ctx.collab.documents.evict(live);
  }

  return { kind, load, list, create, update, remove };
}

export type TitledDocuments = ReturnType<typeof titledDocuments>;
