/**
 * The coverage of a network: hosts counted by examining team and state, and grouped for the tile
 * grid. Pure, so the counts the screen shows are tested apart from the drawing.
 */
import { HOST_STATES, type HostState, type HostView } from '@huntroom/shared';

/** The row of hosts nobody examined yet (examinedBy null). */
export const NOBODY = '—';

export interface Coverage {
  /** Team codes that examined at least one host, sorted, then NOBODY if any host is unexamined. */
  teams: string[];
  /** counts[team][state]; every team and state present, zero where none. */
  counts: Record<string, Record<HostState, number>>;
  byState: Record<HostState, number>;
  total: number;
}

export function coverageOf(hosts: readonly HostView[]): Coverage {
  const zero = () => Object.fromEntries(HOST_STATES.map((s) => [s, 0])) as Record<HostState, number>;
  const counts: Record<string, Record<HostState, number>> = {};
  const byState = zero();
  for (const h of hosts) {
    const team = h.examinedBy?.code ?? NOBODY;
    (counts[team] ??= zero())[h.state]++;
    byState[h.state]++;
  }
  const teams = Object.keys(counts)
    .filter((t) => t !== NOBODY)
    .sort();
  if (counts[NOBODY]) teams.push(NOBODY);
  return { teams, counts, byState, total: hosts.length };
}

/** Hosts in groups for the tiles: by state (in the hunt's order) or by examining team. */
export function groupHosts(hosts: readonly HostView[], by: 'state' | 'team'): { key: string; hosts: HostView[] }[] {
  const groups = new Map<string, HostView[]>();
  if (by === 'state') for (const s of HOST_STATES) groups.set(s, []);
  for (const h of hosts) {
    const key = by === 'state' ? h.state : (h.examinedBy?.code ?? NOBODY);
    const list = groups.get(key) ?? [];
    list.push(h);
    groups.set(key, list);
  }
  const name = (h: HostView) => h.hostname || h.addresses[0] || '';
  return [...groups.entries()]
    .filter(([, list]) => list.length > 0)
    .sort(([a], [b]) => (by === 'team' ? (a === NOBODY ? 1 : b === NOBODY ? -1 : a.localeCompare(b)) : 0))
    .map(([key, list]) => ({ key, hosts: list.sort((a, b) => name(a).localeCompare(name(b))) }));
}
