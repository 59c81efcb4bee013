/**
 * The comments an export may carry as an indicator's comment text (CSV's comment column, MISP's
 * attribute comment). A re-import makes that text the new indicator's first comment with the
 * indicator's own marking, so only comments that marking would not widen are written: no stricter
 * level, released to every team at their level. The others stay out of the file rather than come
 * back more visible than they were.
 */
import { TLP_LEVELS, type CommentView, type TlpLevel } from '@huntroom/shared';

export function portableComments(comments: readonly CommentView[], tlp: TlpLevel): string {
  return comments
    .filter((c) => TLP_LEVELS.indexOf(c.tlp) <= TLP_LEVELS.indexOf(tlp) && c.releasableTo.length === 0)
    .map((c) => c.body)
    .join('\n\n');
}
