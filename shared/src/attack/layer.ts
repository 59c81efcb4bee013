/**
 * ATT&CK Navigator layers (format 4.5) from and to per-team marks. Export: one layer for a team or for
 * all teams (then each technique carries the strongest status, and the comment lists every team's
 * mark). Import: a Navigator layer becomes one team's marks; a technique's score and comment are kept,
 * and its status comes from its colour or score (Navigator has no status field).
 */
import { z } from 'zod';
import type { AttackDomain } from './schema.js';
import { markStatusSchema, techniqueRefSchema, type Mark, type MarkStatus } from './marks.js';

export const NAVIGATOR_VERSIONS = { layer: '4.5', navigator: '5.1.0' } as const;

/** Colours of the statuses in exported layers, and how imported colours map back. */
export const STATUS_COLORS: Record<MarkStatus, string> = { observed: '#e5484d', suspected: '#f5a524', 'not-found': '#8b949e' };
const RANK: Record<MarkStatus, number> = { observed: 3, suspected: 2, 'not-found': 1 };

export interface ExportOptions {
  domain: AttackDomain;
  attackVersion: string;
  name: string;
  /** Only this team's marks; all teams when absent. */
  team?: string;
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
        metadata: ms.map((m) => ({ name: m.team, value: m.status })),
        showSubtechniques: techniqueID.includes('.'),
      };
    });
  return {
    name: o.name,
    versions: { attack: o.attackVersion.split('.')[0] ?? o.attackVersion, navigator: NAVIGATOR_VERSIONS.navigator, layer: NAVIGATOR_VERSIONS.layer },
    domain: o.domain,
    description: `Exported from Huntroom${o.team ? ` for team ${o.team}` : ' for all teams'}`,
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

const layerSchema = z.object({
  versions: z.object({ layer: z.string().regex(/^4\.\d+$/, 'only Navigator layer format 4.x is supported') }),
  domain: z.string(),
  techniques: z
    .array(
      z.object({
        techniqueID: techniqueRefSchema,
        score: z.number().min(0).max(100).optional().nullable(),
        color: z.string().optional(),
        comment: z.string().max(2_000).optional(),
        enabled: z.boolean().optional(),
        metadata: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      }),
    )
    .max(5_000),
});

export type LayerImport = { ok: true; marks: Mark[] } | { ok: false; error: string };

function statusOf(t: z.infer<typeof layerSchema>['techniques'][number], team: string): MarkStatus {
  const own = t.metadata?.find((m) => m.name.toUpperCase() === team);
  const parsed = own && markStatusSchema.safeParse(own.value);
  if (parsed?.success) return parsed.data;
  const byColor = (Object.keys(STATUS_COLORS) as MarkStatus[]).find((s) => STATUS_COLORS[s] === t.color?.toLowerCase());
  if (byColor) return byColor;
  return (t.score ?? 0) >= 50 ? 'observed' : 'suspected';
}

/** A Navigator layer as marks of `team`; a clear error (which technique, what is wrong) otherwise. */
export function importLayer(json: unknown, team: string, domain: AttackDomain): LayerImport {
  const parsed = layerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `not a usable Navigator layer: ${issue.path.join('.') || '(layer)'}: ${issue.message}` };
  }
  if (parsed.data.domain !== domain) return { ok: false, error: `this layer is for ${parsed.data.domain}, not ${domain}` };
  const code = team.toUpperCase();
  const marks = parsed.data.techniques
    .filter((t) => t.enabled !== false)
    .map((t) => ({
      techniqueId: t.techniqueID,
      team: code,
      status: statusOf(t, code),
      ...(typeof t.score === 'number' ? { score: Math.round(t.score) } : {}),
      ...(t.comment ? { comment: t.comment } : {}),
    }));
  return { ok: true, marks };
}
