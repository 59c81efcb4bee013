/**
 * The ATT&CK board of a workspace: one Yjs document (kind `attack`, id `attack-<workspaceId>`) whose
 * Y.Map `marks` holds every team's marks (shared/src/attack/marks.ts). Teams edit it live through the
 * document server; layer import writes into it the same way, so connected boards see it at once.
 *
 * The board belongs to the workspace from its creation (issue 15): its owner team is the workspace's
 * team, the team of the account that created the workspace, whoever opens the board first; workspace
 * owners may always read it and change its marking, whatever the marking says; a hunter changes
 * marks (its own team's: marksGuard.ts), never the board's marking. Each mark says which team made it.
 */
import type * as Y from 'yjs';
import { canSee, MARKS_MAP, markKey, markSchema, type Mark, type MarkedItem, type Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { docStore, type DocMeta } from '../collab/store.js';
import { notFound } from '../http/errors.js';

export const boardDocId = (workspaceId: string): string => `attack-${workspaceId}`;

/** The workspace's team (its creator's), which owns the workspace's ATT&CK board. */
export async function workspaceTeam(db: Db, workspaceId: string): Promise<{ accountId: string; teamId: string }> {
  const r = await db.get<{ created_by: string; team_id: string }>('SELECT w.created_by, a.team_id FROM workspaces w JOIN accounts a ON a.id = w.created_by WHERE w.id = ?', [
    workspaceId,
  ]);
  if (!r) throw notFound('workspace');
  return { accountId: r.created_by, teamId: r.team_id };
}

/** The board's document, created on first use as the workspace's, never as the first reader's. */
export async function ensureBoard(ctx: { db: Db }, workspaceId: string): Promise<DocMeta> {
  const id = boardDocId(workspaceId);
  const existing = await docStore.meta(ctx.db, id);
  if (existing) return existing;
  const owner = await workspaceTeam(ctx.db, workspaceId);
  // Two creators at once (two members opening it, or a federation message in its transaction beside a
  // member on another node): the other insert wins, which is just as good. Not a caught unique
  // violation: inside a transaction on PostgreSQL that would abort the caller's whole transaction (a
  // message carrying marks would be refused and its marks lost).
  await docStore.insert(
    ctx.db,
    {
      id,
      workspaceId,
      kind: 'attack',
      title: 'ATT&CK board',
      marking: { tlp: 'AMBER', releasableTo: [] },
      ownerTeamId: owner.teamId,
      createdBy: owner.accountId,
    },
    { ifAbsent: true },
  );
  return (await docStore.meta(ctx.db, id))!;
}

/** Who may read the board (REST, layers, the document socket): owners always, anyone else by its marking. */
export const mayReadBoard = (teamId: string, role: Role, board: MarkedItem): boolean => role === 'owner' || canSee(teamId, board);

/** Gives a board to its workspace's team (a board made before the fix may have the first reader's). */
export async function setBoardOwnerTeam(db: Db, docId: string, teamId: string): Promise<void> {
  await db.run("UPDATE documents SET owner_team_id = ? WHERE id = ? AND kind = 'attack'", [teamId, docId]);
}

/**
 * Every valid mark in a board document. Entries that fail the schema, or whose value names another
 * team or technique than their key (written before the server checked marks), are skipped, not trusted.
 */
export function readMarks(doc: Y.Doc): Mark[] {
  const out: Mark[] = [];
  for (const [key, value] of doc.getMap(MARKS_MAP).entries()) {
    const m = markSchema.safeParse(value);
    if (m.success && markKey(m.data.techniqueId, m.data.team) === key) out.push(m.data);
  }
  return out;
}

/** Replaces one team's marks with `marks`, in one Yjs transaction (one live change for everyone). */
export function replaceTeamMarks(doc: Y.Doc, team: string, marks: Mark[]): void {
  const map = doc.getMap(MARKS_MAP);
  doc.transact(() => {
    // By key, the only thing that says whose a mark is (a value could claim any team).
    for (const key of [...map.keys()]) if (key.endsWith(`|${team}`)) map.delete(key);
    for (const m of marks) map.set(markKey(m.techniqueId, team), { ...m, team });
  });
}
