/**
 * How far the documents' part of a baseline got over a link (baseline.ts, migration 020), and what that
 * means for live traffic: a document of the workspace homed here that the baseline has not reached yet
 * gets nothing live over that link (no update, metadata or presence), since the baseline sends its
 * metadata and whole state when it gets there, read then. Kept apart from baseline.ts so the border
 * (border.ts) does not import the pump that imports the border.
 */
import type { Db } from '../../storage/db.js';
import type { DocMeta } from '../../collab/store.js';
import { nowIso } from '../../util.js';
import { lockLink } from '../linkLock.js';

export interface DocProgress {
  link: string;
  workspace_id: string;
  after_created: string;
  after_id: string;
  pending: string | null;
  started_at: string;
}

/**
 * Records that `link` is due the documents of `workspaceId` (in the transaction that activates the share
 * or drops the link's outbox); the pump sends them. A baseline under way starts again from the first.
 */
export async function startDocBaseline(tx: Db, link: string, workspaceId: string): Promise<void> {
  await lockLink(tx, link);
  await tx.run('DELETE FROM federation_doc_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  await tx.run("INSERT INTO federation_doc_baselines (link, workspace_id, after_created, after_id, pending, started_at) VALUES (?, ?, '', '', NULL, ?)", [
    link,
    workspaceId,
    nowIso(),
  ]);
}

/**
 * Takes the locks of the workspace's progress rows (PostgreSQL; SQLite runs one transaction at a time)
 * before a live writer reads them, so a step that moves the cursor and a live update never interleave:
 * the update is either sent live after the document's metadata, or read by the state the step encodes.
 */
export async function lockDocBaselines(tx: Db, workspaceId: string): Promise<void> {
  // Most updates happen with no baseline under way: then a read, not a write.
  const links = (await tx.all<{ link: string }>('SELECT link FROM federation_doc_baselines WHERE workspace_id = ? ORDER BY link', [workspaceId])).map((r) => r.link);
  // Each link's row before its progress row, links in name order (../linkLock.ts, "Lock order"). A row
  // made after the read above is left unlocked: its baseline is at its start, and is read as committed.
  for (const link of links) await lockLink(tx, link);
  for (const link of links) await tx.run('UPDATE federation_doc_baselines SET link = link WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
}

/**
 * PostgreSQL: locks the rows of every link the workspace is shared over (or has a documents' baseline
 * with), in name order (../linkLock.ts, "Lock order"), before the caller reads a document's marking.
 * A live writer (outgoing.ts `stored`) and a widening (`metaChanged`, which writes to the link's outbox
 * before it reads the state it sends) then take their turns on the link's row: an update whose tap read
 * the old marking is committed before the widening reads the state, which therefore holds it, and one
 * whose tap runs after the widening reads the new marking and goes live. SQLite runs one writing
 * transaction at a time, so there is nothing to lock. Locks, not writes: no new row versions.
 */
export async function lockSharingLinks(tx: Db, workspaceId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.all(
    `SELECT name FROM federation_links
      WHERE name IN (SELECT link FROM federation_shares WHERE workspace_id = ? AND state = 'active')
         OR name IN (SELECT link FROM federation_doc_baselines WHERE workspace_id = ?)
      ORDER BY name FOR NO KEY UPDATE`,
    [workspaceId, workspaceId],
  );
}

/** The progress row of (link, workspace) with its lock taken first (after the link row's); undefined when none is under way. */
export async function lockedDocProgress(tx: Db, link: string, workspaceId: string): Promise<DocProgress | undefined> {
  await lockLink(tx, link);
  const { changes } = await tx.run('UPDATE federation_doc_baselines SET link = link WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  if (!changes) return undefined;
  return tx.get<DocProgress>('SELECT * FROM federation_doc_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
}

/** The links whose documents' baseline of the document's workspace has not reached it yet. */
export async function unreachedLinks(db: Db, meta: Pick<DocMeta, 'id' | 'workspaceId' | 'createdAt'>): Promise<string[]> {
  const rows = await db.all<{ link: string }>('SELECT link FROM federation_doc_baselines WHERE workspace_id = ? AND (after_created < ? OR (after_created = ? AND after_id < ?))', [
    meta.workspaceId,
    meta.createdAt,
    meta.createdAt,
    meta.id,
  ]);
  return rows.map((r) => r.link);
}
