/**
 * The ATT&CK board of a workspace: one Yjs document (kind `attack`, id `attack-<workspaceId>`) whose
 * Y.Map `marks` holds every team's marks (shared/src/attack/marks.ts). Teams edit it live through the
 * document server; layer import writes into it the same way, so connected boards see it at once.
 * The board is shared by every team of the workspace (TLP:AMBER, no narrower release): each mark says
 * which team made it; finer markings per mark are the releasability issue's.
 */
import type * as Y from 'yjs';
import { MARKS_MAP, markKey, markSchema, type Account, type Mark } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { docStore, type DocMeta } from '../collab/store.js';
import { UniqueViolation } from '../storage/db.js';

export const boardDocId = (workspaceId: string): string => `attack-${workspaceId}`;

/** The board's document, created on first use. */
export async function ensureBoard(ctx: AppContext, workspaceId: string, account: Account): Promise<DocMeta> {
  const id = boardDocId(workspaceId);
  const existing = await docStore.meta(ctx.db, id);
  if (existing) return existing;
  try {
    await docStore.insert(ctx.db, { id, workspaceId, kind: 'attack', title: 'ATT&CK board', marking: { tlp: 'AMBER', releasableTo: [] }, ownerTeamId: account.team.id, createdBy: account.id });
  } catch (err) {
    // Two members opened the board at once: the other insert won, which is just as good.
    if (!(err instanceof UniqueViolation)) throw err;
  }
  return (await docStore.meta(ctx.db, id))!;
}

/** Every valid mark in a board document (entries that fail the schema are skipped, not trusted). */
export function readMarks(doc: Y.Doc): Mark[] {
  const out: Mark[] = [];
  for (const value of doc.getMap(MARKS_MAP).values()) {
    const m = markSchema.safeParse(value);
    if (m.success) out.push(m.data);
  }
  return out;
}

/** Replaces one team's marks with `marks`, in one Yjs transaction (one live change for everyone). */
export function replaceTeamMarks(doc: Y.Doc, team: string, marks: Mark[]): void {
  const map = doc.getMap(MARKS_MAP);
  doc.transact(() => {
    for (const [key, value] of map.entries()) if ((value as { team?: string }).team === team) map.delete(key);
    for (const m of marks) map.set(markKey(m.techniqueId, team), { ...m, team });
  });
}
