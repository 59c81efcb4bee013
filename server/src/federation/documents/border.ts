/**
 * The border for documents (docs/federation.md sections 3 and 5): which links a note or whiteboard
 * crosses. A document crosses to a link when its workspace is shared with that link (an active row in
 * federation_shares) and one of the teams the link speaks for may see it (`canSee`, the one visibility
 * function). Only the document's home relays it to third instances: a replica sends what its users
 * write to the home alone. ATT&CK boards do not cross (each instance keeps its own).
 */
import { canSee } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import type { DocMeta } from '../../collab/store.js';
import { linkTeamIds, teamHome } from '../teams.js';
import { ownTeamIds } from '../records/border.js';
import { unreachedLinks } from './progress.js';

export const CROSSING_KINDS: readonly string[] = ['note', 'whiteboard'];

/** Links with an active share of `workspaceId` that still exist here. */
export async function sharedLinks(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.all<{ link: string }>(
    "SELECT s.link FROM federation_shares s JOIN federation_links l ON l.name = s.link WHERE s.workspace_id = ? AND s.state = 'active' ORDER BY s.link",
    [workspaceId],
  );
  return rows.map((r) => r.link);
}

/**
 * The document's workspace and kind when that workspace has an active share at all, else undefined:
 * one indexed read (the document's key, the shares' (workspace_id, link) index). Asked for every update
 * stored (outgoing.ts `stored`): most workspaces are shared with no one, and their updates then cost this
 * read alone. The rest of its metadata is not read with it: ten text columns cost several times the
 * whole read, and the marking is read only once the links are locked (progress.ts `lockSharingLinks`).
 */
export async function sharedDocument(db: Db, docId: string): Promise<{ workspaceId: string; kind: string } | undefined> {
  const row = await db.get<{ workspace_id: string; kind: string }>(
    "SELECT workspace_id, kind FROM documents WHERE id = ? AND EXISTS (SELECT 1 FROM federation_shares s WHERE s.workspace_id = documents.workspace_id AND s.state = 'active')",
    [docId],
  );
  return row && { workspaceId: row.workspace_id, kind: row.kind };
}

/** Whether the document's workspace has an active share at all (`sharedDocument`). */
export async function workspaceShared(db: Db, docId: string): Promise<boolean> {
  return !!(await sharedDocument(db, docId));
}

/** May one of the teams `link` speaks for see the document? */
export async function crossesTo(db: Db, link: string, meta: Pick<DocMeta, 'marking' | 'ownerTeamId'>): Promise<boolean> {
  return (await linkTeamIds(db, link)).some((team) => canSee(team, meta));
}

/**
 * May one of this instance's own teams see the document? A receiver stores only that (as records.events
 * does, records/apply.ts): `crossesTo(link)` at a receiver asks about the sender's teams, which always
 * see their own instance's documents, so on its own it would take in a note its home marked for itself
 * alone. The home's border decides first; this keeps such bytes out of the receiver's database if the
 * home's border ever errs.
 */
export async function releasableHere(db: Db, meta: Pick<DocMeta, 'marking' | 'ownerTeamId'>): Promise<boolean> {
  for (const team of await ownTeamIds(db)) if (canSee(team, meta)) return true;
  return false;
}

/**
 * The links `meta` may cross to from here, except `except` (the link an update came over: never echoed).
 * A document homed at a peer crosses only back to its home. What may be sent live now is `docLinks`.
 */
export async function visibleLinks(db: Db, meta: DocMeta, except?: string): Promise<string[]> {
  if (!CROSSING_KINDS.includes(meta.kind)) return [];
  const links = await sharedLinks(db, meta.workspaceId);
  if (!links.length) return [];
  const home = await teamHome(db, meta.ownerTeamId);
  const out: string[] = [];
  for (const link of links) {
    if (link === except || (home && home !== link)) continue;
    if (await crossesTo(db, link, meta)) out.push(link);
  }
  return out;
}

/**
 * The links `meta` crosses to live: `visibleLinks` without those whose documents' baseline has not
 * reached this document (homed here) yet: the baseline sends its metadata and state when it gets there.
 */
export async function docLinks(db: Db, meta: DocMeta, except?: string): Promise<string[]> {
  const out = await visibleLinks(db, meta, except);
  if (!out.length || (await teamHome(db, meta.ownerTeamId))) return out;
  const waiting = await unreachedLinks(db, meta);
  return waiting.length ? out.filter((l) => !waiting.includes(l)) : out;
}
