/**
 * `comment:remark`: a comment's team (or a workspace owner) changes its marking. The stored comment and
 * the event that announced it take the new marking; teams that saw it and no longer may get a revoke
 * (`kind: 'comment'`); everyone who may see it now gets it announced again, so a widened comment
 * reaches its new readers live. Audited like every marking change.
 */
import { canSee, remarkCommentSchema, type CommentView } from '@huntroom/shared';
import type { CommandDef } from '../records/command.js';
import { recordStore } from '../records/store.js';
import { AppError, notFound } from '../http/errors.js';
import { resolveMarking, teamIndex } from './add.js';
import { requireMarkingChange, requireVisible } from './policy.js';
import { presentComment } from './present.js';
import { indicatorStore, markedItem } from './store.js';

export const remarkComment: CommandDef<typeof remarkCommentSchema, { comment: CommentView }> = {
  type: 'comment:remark',
  schema: remarkCommentSchema,
  action: 'write',
  async run(c, input) {
    const row = requireVisible(c.account, await indicatorStore.get(c.tx, c.workspace.id, input.indicatorId));
    const comment = await indicatorStore.comment(c.tx, row.id, input.commentId);
    // A comment the caller may not see does not exist for them.
    if (!comment || !canSee(c.account.team.id, markedItem(comment))) throw notFound('comment');
    const was = markedItem(comment);
    requireMarkingChange(c.account, c.workspace, was);
    const teams = await teamIndex(c);
    // As asked: the comment's own team listed stays listed (dropping it could leave the empty list, everyone).
    const marking = resolveMarking(teams, input.tlp, input.releasableTo);
    if (typeof marking === 'string') throw new AppError('validation_failed', `Invalid input (payload.releasableTo: ${marking})`, { 'payload.releasableTo': marking });
    const now = { marking, ownerTeamId: comment.team_id };
    const parent = markedItem(row);
    await indicatorStore.setCommentMarking(c.tx, comment.id, marking.tlp, JSON.stringify(marking.releasableTo));
    await recordStore.remarkComment(c.tx, c.workspace.id, row.id, comment.id, now);
    const view = presentComment({ ...comment, tlp: marking.tlp, releasable_to: JSON.stringify(marking.releasableTo) }, teams);
    await c.record({ type: 'indicator:revoked', recordId: row.id, payload: { kind: 'comment', id: comment.id }, audience: { item: was, unless: now, parent } });
    await c.record({ type: 'indicator:commented', recordId: row.id, payload: { indicatorId: row.id, comment: view }, audience: { item: now, parent } });
    await c.audit('indicator.comment_marking_changed', { id: row.id, comment: comment.id, from: was.marking.tlp, to: marking.tlp });
    return { comment: view };
  },
};
