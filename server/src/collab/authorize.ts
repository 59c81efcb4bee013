/**
 * Who may open a document (DESIGN.md section 3): a member of its workspace whose team may see the
 * document's marking (`canSee`, the one visibility function). Used at the websocket upgrade, by the
 * ticket route and by every notes route, so all paths to a document's content agree.
 *
 * Statuses follow loadWorkspace: a non-member learns nothing (404, as for a missing document); a
 * member who may not see this marking gets 403.
 */
import { canSee, type Account, type Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { AppError } from '../http/errors.js';
import { workspaceStore } from '../workspaces/store.js';
import { docStore, type DocMeta } from './store.js';

export interface DocAccess {
  meta: DocMeta;
  role: Role;
}

export async function authorizeDoc(db: Db, docId: string, account: Account): Promise<DocAccess> {
  const meta = await docStore.meta(db, docId);
  const role = meta && (await workspaceStore.roleOf(db, meta.workspaceId, account.id));
  if (!meta || !role) throw new AppError('not_found', 'document not found');
  if (!canSee(account.team.id, meta)) throw new AppError('forbidden', 'this document is not releasable to your team');
  return { meta, role };
}
