/**
 * What the matrix shows, column by column: the techniques of each tactic that pass the search and the
 * "marked only" filter, with their sub-techniques inline under them when expanded (or when the search or
 * the filter found them), and the counts in each tactic's header. The keyboard moves through these rows.
 */
import type { AttackIndex, AttackTactic, AttackTechnique } from '@huntroom/shared';

export interface MatrixRow {
  /** Unique in the matrix: a technique sits under every tactic it serves. */
  key: string;
  technique: AttackTechnique;
  sub: boolean;
  /** Number of sub-techniques (parents only). */
  subCount: number;
  expanded: boolean;
}

export interface MatrixColumn {
  tactic: AttackTactic;
  rows: MatrixRow[];
  /** Techniques (not sub-techniques) of the tactic, whatever the filters. */
  total: number;
  /** Techniques and sub-techniques of the tactic with at least one shown mark. */
  marked: number;
}

export interface MatrixOptions {
  query: string;
  expanded: ReadonlySet<string>;
  markedOnly: boolean;
  isMarked: (techniqueId: string) => boolean;
}

export function subTechniques(index: AttackIndex | undefined): Map<string, AttackTechnique[]> {
  const m = new Map<string, AttackTechnique[]>();
  for (const t of index?.techniques ?? []) if (t.parent) m.set(t.parent, [...(m.get(t.parent) ?? []), t]);
  return m;
}

export const rowKey = (tactic: AttackTactic, t: AttackTechnique) => `${tactic.shortname}/${t.id}`;

export function buildColumns(index: AttackIndex, subsOf: Map<string, AttackTechnique[]>, o: MatrixOptions): MatrixColumn[] {
  const q = o.query.trim().toLowerCase();
  const matches = (t: AttackTechnique) => !q || t.id.toLowerCase().includes(q) || t.name.toLowerCase().includes(q);
  return index.tactics.map((tactic) => {
    const parents = index.techniques.filter((t) => !t.parent && t.tactics.includes(tactic.shortname));
    const rows: MatrixRow[] = [];
    let marked = 0;
    for (const t of parents) {
      const subs = subsOf.get(t.id) ?? [];
      marked += (o.isMarked(t.id) ? 1 : 0) + subs.filter((s) => o.isMarked(s.id)).length;
      const searchHit = matches(t) || subs.some(matches);
      const markHit = o.isMarked(t.id) || subs.some((s) => o.isMarked(s.id));
      if (!searchHit || (o.markedOnly && !markHit)) continue;
      const shownSubs = subs.filter((s) => (!q || matches(s) || matches(t)) && (!o.markedOnly || o.isMarked(s.id)));
      // Sub-techniques open by themselves when the search or the filter is about them.
      const open = o.expanded.has(t.id) || (!!q && subs.some(matches) && !matches(t)) || (o.markedOnly && shownSubs.length > 0);
      rows.push({ key: rowKey(tactic, t), technique: t, sub: false, subCount: subs.length, expanded: open });
      if (open) for (const s of shownSubs) rows.push({ key: rowKey(tactic, s), technique: s, sub: true, subCount: 0, expanded: false });
    }
    return { tactic, rows, total: parents.length, marked };
  });
}
