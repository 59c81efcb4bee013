/**
 * The marking an item takes when what it refers to narrows (a host when its network does, a finding
 * when its host does): seen by exactly the teams that saw it and see the narrowed parent, at the
 * stricter of the two levels. Null when that cannot be, because the item's owner team does not see the
 * parent: an owner always sees its own items, so no marking of the item can hide it from them.
 */
import { canSee, TLP_LEVELS, type MarkedItem, type Marking } from './tlp.js';

const OPEN_LEVELS: readonly string[] = ['CLEAR', 'GREEN', 'AMBER'];

export function narrowWithin(item: MarkedItem, parent: MarkedItem, teamIds: readonly string[]): Marking | null {
  const owner = item.ownerTeamId;
  if (!canSee(owner, parent)) return null;
  const [a, b] = [TLP_LEVELS.indexOf(item.marking.tlp), TLP_LEVELS.indexOf(parent.marking.tlp)];
  const tlp = TLP_LEVELS[Math.max(a, b)]!;
  const others = teamIds.filter((t) => t !== owner);
  const both = others.filter((t) => canSee(t, item) && canSee(t, parent));
  // Every team still: the open levels say so with an empty list (a team added later is in it too only
  // if both were open to every team, which is what `both` covering `others` means here).
  if (OPEN_LEVELS.includes(tlp) && both.length === others.length && item.marking.releasableTo.length === 0 && parent.marking.releasableTo.length === 0)
    return { tlp, releasableTo: [] };
  // The owner named too, so the list is never empty (empty would mean every team at the open levels).
  return { tlp, releasableTo: [owner, ...both] };
}
