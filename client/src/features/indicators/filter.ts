/** Filtering and sorting of the board, pure so it can be tested and timed on 100,000 rows. */
import type { IndicatorView } from '@huntroom/shared';

export interface Filters {
  q: string;
  type: string;
  status: string;
  team: string;
  tlp: string;
  tag: string;
}

export const NO_FILTERS: Filters = { q: '', type: '', status: '', team: '', tlp: '', tag: '' };

export type SortKey = 'value' | 'type' | 'status' | 'confidence' | 'tlp' | 'team' | 'lastSeen' | 'sightingCount';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

const keyOf: Record<SortKey, (v: IndicatorView) => string | number> = {
  value: (v) => v.value,
  type: (v) => v.type,
  status: (v) => v.status,
  confidence: (v) => v.confidence,
  tlp: (v) => v.tlp,
  team: (v) => v.ownerTeam.code,
  lastSeen: (v) => v.lastSeen,
  sightingCount: (v) => v.sightingCount,
};

export function matches(v: IndicatorView, f: Filters, q: string): boolean {
  if (f.type && v.type !== f.type) return false;
  if (f.status && v.status !== f.status) return false;
  if (f.team && v.ownerTeam.code !== f.team) return false;
  if (f.tlp && v.tlp !== f.tlp) return false;
  if (f.tag && !v.tags.includes(f.tag)) return false;
  if (
    q &&
    !v.value.toLowerCase().includes(q) &&
    !v.tags.some((t) => t.toLowerCase().includes(q)) &&
    !v.source.toLowerCase().includes(q) &&
    !v.techniques.some((t) => t.toLowerCase() === q)
  ) {
    return false;
  }
  return true;
}

export function filterAndSort(rows: Iterable<IndicatorView>, f: Filters, sort: Sort): IndicatorView[] {
  const q = f.q.trim().toLowerCase();
  const out: IndicatorView[] = [];
  for (const v of rows) if (matches(v, f, q)) out.push(v);
  const get = keyOf[sort.key];
  const dir = sort.desc ? -1 : 1;
  out.sort((a, b) => {
    const x = get(a);
    const y = get(b);
    return x < y ? -dir : x > y ? dir : a.id < b.id ? -1 : 1;
  });
  return out;
}

/** Values to offer in the filter menus, from what is on the board. */
export function facets(rows: Iterable<IndicatorView>): { types: string[]; teams: string[]; tags: string[] } {
  const types = new Set<string>();
  const teams = new Set<string>();
  const tags = new Set<string>();
  for (const v of rows) {
    types.add(v.type);
    teams.add(v.ownerTeam.code);
    for (const t of v.tags) tags.add(t);
  }
  return { types: [...types].sort(), teams: [...teams].sort(), tags: [...tags].sort() };
}
