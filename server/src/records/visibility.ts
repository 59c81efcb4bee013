/**
 * Who may see a record-plane event. Every decision goes through `canSee` from shared/ (the one
 * visibility function); this file only combines it for the three parts of an event's audience.
 */
import { canSee, type MarkedItem } from '@huntroom/shared';

export interface Audience {
  /** The item's own marking and owner team (an indicator; a comment's own marking). */
  item: MarkedItem;
  /** The marking of the record the item hangs off (the indicator of a comment), if any. */
  parent?: MarkedItem | undefined;
  /** Revoke events only: teams that can see this marking (the new one) are not told. */
  unless?: MarkedItem | undefined;
}

export function visibleTo(teamId: string, a: Audience): boolean {
  if (!canSee(teamId, a.item)) return false;
  if (a.parent && !canSee(teamId, a.parent)) return false;
  if (a.unless && canSee(teamId, a.unless)) return false;
  return true;
}

/** The teams among `teamIds` that may see the event. */
export const audienceTeams = (teamIds: readonly string[], a: Audience): string[] => teamIds.filter((t) => visibleTo(t, a));
