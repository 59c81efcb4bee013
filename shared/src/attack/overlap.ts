/**
 * Which intrusion sets look most like this hunt: groups ranked by how many of the techniques the hunt
 * observed they are known to use (ties broken by the share of the group's own techniques covered).
 */
import type { AttackGroup } from './schema.js';

export interface GroupOverlap {
  group: AttackGroup;
  shared: string[];
  /** shared / the group's known techniques. */
  coverage: number;
}

export function rankGroups(groups: AttackGroup[], observed: Iterable<string>, limit = 10): GroupOverlap[] {
  const seen = new Set(observed);
  if (seen.size === 0) return [];
  return groups
    .map((group) => {
      const shared = group.techniques.filter((t) => seen.has(t));
      return { group, shared, coverage: group.techniques.length ? shared.length / group.techniques.length : 0 };
    })
    .filter((o) => o.shared.length > 0)
    .sort((a, b) => b.shared.length - a.shared.length || b.coverage - a.coverage || a.group.id.localeCompare(b.group.id))
    .slice(0, limit);
}
