/**
 * The heat map: which marks are shown (team and status filters), how a cell is shaded (the strongest
 * status sets the hue, the highest score the depth, as the Navigator's score gradient), and the counts
 * per tactic. Pure functions, so the matrix, the legend and the tests read the same rules.
 */
import { MARK_STATUSES, STATUS_COLORS, type Mark, type MarkStatus } from '@huntroom/shared';

/** Whose marks shade the cells: every shown team together, or one team. */
export type HeatSource = { kind: 'combined' } | { kind: 'team'; team: string };

export interface MarkFilter {
  hiddenTeams: ReadonlySet<string>;
  hiddenStatuses: ReadonlySet<MarkStatus>;
}

const RANK: Record<MarkStatus, number> = { observed: 3, suspected: 2, 'not-found': 1 };

/** Depth of a cell with no score: the middle of the scale, so a score of 80 reads as more, 20 as less. */
export const UNSCORED_PERCENT = 55;
const MIN_PERCENT = 22;
const MAX_PERCENT = 88;

export const statusColor = (s: MarkStatus): string => STATUS_COLORS[s];

export function shownMarks(marks: Mark[], filter: MarkFilter): Mark[] {
  return marks.filter((m) => !filter.hiddenTeams.has(m.team) && !filter.hiddenStatuses.has(m.status));
}

export function marksByTechnique(marks: Mark[]): Map<string, Mark[]> {
  const byTechnique = new Map<string, Mark[]>();
  for (const m of marks) byTechnique.set(m.techniqueId, [...(byTechnique.get(m.techniqueId) ?? []), m]);
  return byTechnique;
}

export interface Shade {
  status: MarkStatus;
  score?: number;
  /** How much of the status colour is mixed into the cell, 22 to 88. */
  percent: number;
  /** A CSS colour: the status colour mixed into the panel colour. */
  background: string;
  /** The text colour that reads on it. */
  ink: string;
}

/** Percent of status colour for a score (0 to 100), or the middle depth for a mark without one. */
export function depthOf(score: number | undefined): number {
  if (score === undefined) return UNSCORED_PERCENT;
  return Math.round(MIN_PERCENT + ((MAX_PERCENT - MIN_PERCENT) * Math.max(0, Math.min(100, score))) / 100);
}

/** The panel colour of the (dark) theme, --panel in styles.css: what the status colour is mixed into. */
const PANEL = '#161b22';
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The status colour mixed into the panel colour, as a CSS colour. */
export function mix(status: MarkStatus, percent: number): string {
  const [s, p] = [rgb(statusColor(status)), rgb(PANEL)];
  return `rgb(${s.map((v, i) => Math.round((v * percent + p[i]! * (100 - percent)) / 100)).join(', ')})`;
}

/** WCAG relative luminance of an rgb() colour made by `mix`. */
function luminance(css: string): number {
  const [r, g, b] = css.match(/\d+/g)!.map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * White or black text, whichever contrasts more with the shade: with the theme's off-white text a
 * mid-depth amber or a deep red falls under 4.5:1; pure white or black stays above 4.6:1 at every depth.
 */
export function inkOn(background: string): '#ffffff' | '#000000' {
  const l = luminance(background);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** The shade of a technique from the marks that count for `source`; undefined when none does. */
export function shadeOf(marks: Mark[] | undefined, source: HeatSource): Shade | undefined {
  const counted = (marks ?? []).filter((m) => source.kind === 'combined' || m.team === source.team);
  if (counted.length === 0) return undefined;
  const status = counted.reduce((best, m) => (RANK[m.status] > RANK[best] ? m.status : best), counted[0]!.status);
  // The score of the strongest status: a high score on a "not found" mark must not deepen an "observed" red.
  const scores = counted.filter((m) => m.status === status && m.score !== undefined).map((m) => m.score!);
  const score = scores.length ? Math.max(...scores) : undefined;
  const percent = depthOf(score);
  const background = mix(status, percent);
  return { status, ...(score !== undefined ? { score } : {}), percent, background, ink: inkOn(background) };
}

/** The strongest status among the sub-techniques' shown marks, for the hint on a collapsed parent. */
export function strongestStatus(marks: Mark[]): MarkStatus | undefined {
  let best: MarkStatus | undefined;
  for (const m of marks) if (!best || RANK[m.status] > RANK[best]) best = m.status;
  return best;
}

/** Statuses in legend order, strongest first. */
export const LEGEND_STATUSES: MarkStatus[] = [...MARK_STATUSES].sort((a, b) => RANK[b] - RANK[a]);
