/**
 * Who may open a document (DESIGN.md section 3): a member of its workspace whose team may see the
 * document's marking (`canSee`, the one visibility function). Used at the websocket upgrade, by the
 * ticket route and by every notes route, so all paths to a document's content agree.
 *
 * One answer for "not there" and "not yours" (issue 15): a missing document, a non-member and a member
 * whose team may not see the marking all get the same 404 `document not found`, as indicators do, so
 * the answer never tells that a hidden document exists.
 */
import { canSee, type Account, type Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { AppError } from '../http/errors.js';
import { workspaceStore } from '../workspaces/store.js';
import { docStore, type DocMeta } from './store.js';
import { mayReadBoard } from '../attack/board.js';

export interface DocAccess {
  meta: DocMeta;
  role: Role;
}

export async function authorizeDoc(db: Db, docId: string, account: Account): Promise<DocAccess> {
  const meta = await docStore.meta(db, docId);
  const role = meta && (await workspaceStore.roleOf(db, meta.workspaceId, account.id));
  // The ATT&CK board is the workspace's: its owners read it whatever its marking (attack/board.ts).
  const visible = meta && role && (meta.kind === 'attack' ? mayReadBoard(account.team.id, role, meta) : canSee(account.team.id, meta));
  if (!meta || !role || !visible) throw new AppError('not_found', 'document not found');
  return { meta, role };
}
