/**
 * Copying an item's content into a container (an indicator onto a whiteboard, say) releases it to
 * everyone who may see the container. That is safe only when no team sees the container but not the
 * item; this names the teams that would, so the client can refuse with a reason.
 */
import { canSee, type MarkedItem } from './tlp.js';

export function teamsExposedByCopy(item: MarkedItem, container: MarkedItem, teamIds: readonly string[]): string[] {
  return teamIds.filter((team) => canSee(team, container) && !canSee(team, item));
}
