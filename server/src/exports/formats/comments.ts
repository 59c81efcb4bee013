/**
 * The comments an export may carry as an indicator's comment text (CSV's comment column, MISP's
 * attribute comment). A re-import makes that text the new indicator's first comment with the
 * indicator's own marking, owned by the importing team (the recipient). So a comment is written only
 * when that copy would be no looser: its level no lower than the comment's (a GREEN comment must not
 * come back CLEAR), and reaching no team the comment does not reach, checked with `canSee` for every
 * team (levels alone miss it: a comment kept to its own team on a RED indicator released to CA would
 * come back visible to CA). The others stay out of the file.
 */
import { canSee, TLP_LEVELS, type CommentView, type IndicatorView, type MarkedItem } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';

/** The comments of `i` a re-import would not widen, in their order. */
export function portableCommentList(i: IndicatorView, data: Pick<HandoffData, 'comments' | 'teams' | 'recipient'>): CommentView[] {
  const idOf = new Map(data.teams.map((t) => [t.code, t.id]));
  const ids = (codes: readonly string[]) => codes.map((c) => idOf.get(c) ?? c);
  const again: MarkedItem = { marking: { tlp: i.tlp, releasableTo: ids(i.releasableTo) }, ownerTeamId: data.recipient.id };
  const keeps = (c: CommentView) => {
    if (TLP_LEVELS.indexOf(c.tlp) > TLP_LEVELS.indexOf(i.tlp)) return false;
    const original: MarkedItem = { marking: { tlp: c.tlp, releasableTo: ids(c.releasableTo) }, ownerTeamId: c.team.id };
    return data.teams.every((t) => !canSee(t.id, again) || canSee(t.id, original));
  };
  return (data.comments.get(i.id) ?? []).filter(keeps);
}

/** Those comments as one text, joined by a blank line (a CSV cell, a MISP attribute comment). */
export const portableComments = (i: IndicatorView, data: Pick<HandoffData, 'comments' | 'teams' | 'recipient'>): string =>
  portableCommentList(i, data)
    .map((c) => c.body)
    .join('\n\n');
