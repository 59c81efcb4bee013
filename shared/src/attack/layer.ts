/**
 * ATT&CK Navigator layers (format 4.5) from and to per-team marks. Export: one layer for a team or for
 * all teams (then each technique carries the strongest status, and the comment lists every team's
 * mark; each team's status and own comment are in the technique's metadata). Import: a Navigator layer
 * (layerFormat.ts) becomes one team's marks; a technique's score and comment are kept, and its status
 * comes from the team's metadata entry, else its colour or score (Navigator has no status field).
 */
import type { AttackDomain } from './schema.js';
import type { TlpLevel } from '../markings/tlp.js';
import { markStatusSchema, type Mark, type MarkStatus } from './marks.js';
import { parseLayer, type LayerTechnique } from './layerFormat.js';

export { SUPPORTED_LAYER_VERSIONS, parseLayer } from './layerFormat.js';

export const NAVIGATOR_VERSIONS = { layer: '4.5', navigator: '5.1.0' } as const;

/** Colours of the statuses in exported layers, and how imported colours map back. */
export const STATUS_COLORS: Record<MarkStatus, string> = { observed: '#e5484d', suspected: '#f5a524', 'not-found': '#8b949e' };
const RANK: Record<MarkStatus, number> = { observed: 3, suspected: 2, 'not-found': 1 };
/** Metadata name of a team's own comment in exported layers: `<TEAM> comment`. */
const COMMENT_SUFFIX = 'comment';

export interface ExportOptions {
  domain: AttackDomain;
  attackVersion: string;
  name: string;
  /** Only this team's marks; all teams when absent. */
  team?: string;
  /**
   * The marking of what the layer holds (the board's TLP): TLP 2.0 asks for the label on everything
   * that leaves, so it goes in the layer's name (shown on the Navigator's tab), its description and
   * its metadata.
   */
  tlp?: TlpLevel;
}

export function exportLayer(marks: Mark[], o: ExportOptions) {
  const chosen = o.team ? marks.filter((m) => m.team === o.team) : marks;
  const byTechnique = new Map<string, Mark[]>();
  for (const m of chosen) byTechnique.set(m.techniqueId, [...(byTechnique.get(m.techniqueId) ?? []), m]);
  const techniques = [...byTechnique.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([techniqueID, ms]) => {
      const top = ms.reduce((best, m) => (RANK[m.status] > RANK[best.status] ? m : best));
      const scores = ms.map((m) => m.score).filter((s): s is number => s !== undefined);
      return {
        techniqueID,
        score: scores.length ? Math.max(...scores) : undefined,
        color: STATUS_COLORS[top.status],
        comment: ms.map((m) => `${m.team}: ${m.status}${m.comment ? ` - ${m.comment}` : ''}`).join('\n'),
        enabled: true,
        metadata: ms.flatMap((m) => [{ name: m.team, value: m.status }, ...(m.comment ? [{ name: `${m.team} ${COMMENT_SUFFIX}`, value: m.comment }] : [])]),
        showSubtechniques: techniqueID.includes('.'),
      };
    });
  const label = o.tlp ? `TLP:${o.tlp}` : undefined;
  return {
    name: label ? `[${label}] ${o.name}` : o.name,
    versions: { attack: o.attackVersion.split('.')[0] ?? o.attackVersion, navigator: NAVIGATOR_VERSIONS.navigator, layer: NAVIGATOR_VERSIONS.layer },
    domain: o.domain,
    description: `${label ? `${label}. ` : ''}Exported from Huntroom${o.team ? ` for team ${o.team}` : ' for all teams'}`,
    ...(label ? { metadata: [{ name: 'TLP', value: label }] } : {}),
    sorting: 0,
    layout: { layout: 'side', showID: true, showName: true },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ffffff', '#e5484d'], minValue: 0, maxValue: 100 },
    legendItems: (Object.keys(STATUS_COLORS) as MarkStatus[]).map((s) => ({ label: s, color: STATUS_COLORS[s] })),
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}

export type LayerImport = { ok: true; marks: Mark[] } | { ok: false; error: string };

/** The importing team's own entry in a technique's metadata (as Huntroom's export writes it), if any. */
function own(t: LayerTechnique, name: string): string | undefined {
  for (const m of t.metadata ?? []) if ('name' in m && m.name.toUpperCase() === name.toUpperCase()) return m.value;
  return undefined;
}

function statusOf(t: LayerTechnique, team: string): MarkStatus {
  const parsed = markStatusSchema.safeParse(own(t, team));
  if (parsed.success) return parsed.data;
  const byColor = (Object.keys(STATUS_COLORS) as MarkStatus[]).find((s) => STATUS_COLORS[s] === t.color?.toLowerCase());
  if (byColor) return byColor;
  return (t.score ?? 0) >= 50 ? 'observed' : 'suspected';
}

function markOf(t: LayerTechnique, team: string): Mark {
  // Huntroom's export writes each team's status and own comment in metadata (the comment field lists
  // every team): when the team's status entry is there, its comment entry (or none) is the comment.
  const comment = own(t, team) !== undefined ? own(t, `${team} ${COMMENT_SUFFIX}`) : t.comment;
  return {
    techniqueId: t.techniqueID,
    team,
    status: statusOf(t, team),
    ...(typeof t.score === 'number' ? { score: Math.round(t.score) } : {}),
    ...(comment ? { comment } : {}),
  };
}

/**
 * A technique may appear once per tactic (the `tactic` field); a team holds one mark per technique, so
 * the entries merge: the strongest status, the highest score, the distinct comments one per line.
 */
function merge(a: Mark, b: Mark): Mark {
  const scores = [a.score, b.score].filter((s): s is number => s !== undefined);
  // b's comment is added unless a already holds it (the same text under each tactic is common).
  const repeated = !b.comment || (a.comment !== undefined && `\n${a.comment}\n`.includes(`\n${b.comment}\n`));
  const comment = (repeated ? (a.comment ?? '') : [a.comment, b.comment].filter(Boolean).join('\n')).slice(0, 2_000);
  return {
    techniqueId: a.techniqueId,
    team: a.team,
    status: RANK[b.status] > RANK[a.status] ? b.status : a.status,
    ...(scores.length ? { score: Math.max(...scores) } : {}),
    ...(comment ? { comment } : {}),
  };
}

/**
 * A Navigator layer (format 4.0 to 4.5, or 3.0 converted) as marks of `team`; a clear error (which
 * technique, what is wrong) otherwise. Disabled techniques are not marks; presentation is dropped.
 */
export function importLayer(json: unknown, team: string, domain: AttackDomain): LayerImport {
  const parsed = parseLayer(json);
  if (!parsed.ok) return parsed;
  if (parsed.domain !== domain) return { ok: false, error: `this layer is for ${parsed.domain}, not ${domain}` };
  const code = team.toUpperCase();
  const byTechnique = new Map<string, Mark>();
  for (const t of parsed.techniques) {
    if (t.enabled === false) continue;
    const mark = markOf(t, code);
    const seen = byTechnique.get(mark.techniqueId);
    byTechnique.set(mark.techniqueId, seen ? merge(seen, mark) : mark);
  }
  return { ok: true, marks: [...byTechnique.values()] };
}
