/**
 * Comments in a fresh baseline, at the replica (docs/federation.md section 4). A comment has no seq of its
 * own (the replica's rows carry their indicator's), so the baseline's end cannot find by seq a comment the
 * home no longer shows this instance: one re-marked out of the link's sight while the outbox was dropped,
 * whose revoke never came. So between `begin` and `end` every comment the link sends (page or live) is
 * listed (`federation_baseline_comments`, migration 019), and at `end` the comments of the indicators the
 * baseline refreshed that it did not list are removed, each with an `indicator:revoked` (`kind: comment`)
 * event for this instance's sockets, as a live revoke would have done.
 */
import type { MarkedItem } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { markedItem, type CommentRow, type IndicatorRow } from '../../indicators/store.js';
import { recordStore, type StoredEvent } from '../../records/store.js';
import { auditStore } from '../../audit/store.js';
import { nowIso } from '../../util.js';

/** Notes that `link` sent comment `commentId` while a baseline of `workspaceId` is under way (else nothing). */
export async function noteBaselineComment(tx: Db, link: string, workspaceId: string, commentId: string): Promise<void> {
  await tx.run(
    `INSERT INTO federation_baseline_comments (link, workspace_id, comment_id)
     SELECT link, workspace_id, ? FROM federation_baseline_marks WHERE link = ? AND workspace_id = ?
     ON CONFLICT (link, workspace_id, comment_id) DO NOTHING`,
    [commentId, link, workspaceId],
  );
}

/** Forgets the comments listed for a baseline of `workspaceId` over `link` (at its begin and its end). */
export const forgetBaselineComments = (tx: Db, link: string, workspaceId: string) =>
  tx.run('DELETE FROM federation_baseline_comments WHERE link = ? AND workspace_id = ?', [link, workspaceId]);

/**
 * A marking only the comment's own team sees: the replica does not know the comment's new marking, only
 * that none of the link's teams may see it any more, so every team here that saw it is told.
 */
const ownTeamOnly = (teamId: string): MarkedItem => ({ ownerTeamId: teamId, marking: { tlp: 'AMBER+STRICT', releasableTo: [] } });

/**
 * Removes the comments of `workspaceId`'s indicators homed at `link` that the baseline begun at `fromSeq`
 * refreshed (their rows were rewritten since) but did not send; returns their revoke events, appended to
 * this instance's log (to deliver after the commit). The listed comments are forgotten.
 */
export async function sweepUnsentComments(tx: Db, link: string, workspaceId: string, fromSeq: number): Promise<StoredEvent[]> {
  const gone = await tx.all<CommentRow & { parent_tlp: IndicatorRow['tlp']; parent_releasable_to: string; parent_owner: string }>(
    `SELECT c.*, i.tlp AS parent_tlp, i.releasable_to AS parent_releasable_to, i.owner_team_id AS parent_owner
     FROM indicator_comments c
     JOIN indicators i ON i.id = c.indicator_id
     JOIN teams t ON t.id = i.owner_team_id
     WHERE i.workspace_id = ? AND t.home_link = ? AND i.updated_seq > ?
       AND c.id NOT IN (SELECT comment_id FROM federation_baseline_comments WHERE link = ? AND workspace_id = ?)
     ORDER BY c.indicator_id, c.created_at, c.id`,
    [workspaceId, link, fromSeq, link, workspaceId],
  );
  await forgetBaselineComments(tx, link, workspaceId);
  if (!gone.length) return [];
  const last = await recordStore.allocateSeq(tx, workspaceId, gone.length);
  const at = nowIso();
  const out: StoredEvent[] = [];
  for (const [i, c] of gone.entries()) {
    const unless = ownTeamOnly(c.team_id);
    await tx.run('DELETE FROM indicator_comments WHERE id = ?', [c.id]);
    await tx.run('UPDATE indicators SET comment_count = CASE WHEN comment_count > 0 THEN comment_count - 1 ELSE 0 END WHERE id = ?', [c.indicator_id]);
    // The past follows: catch-up and history here no longer show the comment to anyone who saw it.
    await recordStore.remarkComment(tx, workspaceId, c.indicator_id, c.id, unless);
    const parent = markedItem({ tlp: c.parent_tlp, releasable_to: c.parent_releasable_to, owner_team_id: c.parent_owner });
    out.push({
      workspaceId,
      seq: last - gone.length + 1 + i,
      type: 'indicator:revoked',
      recordId: c.indicator_id,
      payload: { kind: 'comment', id: c.id },
      actorId: null,
      teamId: null,
      at,
      audience: { item: markedItem(c), parent, unless },
    });
  }
  await recordStore.append(tx, out);
  await auditStore.write(tx, {
    workspaceId,
    actorId: null,
    action: 'federation.baseline.swept',
    detail: { link, removed: gone.map((c) => ({ kind: 'comment', id: c.id, indicator: c.indicator_id })) },
  });
  return out;
}
