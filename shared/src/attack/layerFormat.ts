/**
 * What Huntroom reads of a Navigator layer file (MITRE's layer format 4.0 to 4.5, and 3.0 converted).
 * Only the fields an import keeps are checked: per technique its id, score, colour, comment, enabled and
 * metadata. Everything else the format defines (name, description, filters, sorting, layout,
 * hideDisabled, gradient, legendItems, links, showSubtechniques, tactic, the select* switches,
 * tacticRowBackground, customDataURL...) is presentation of the Navigator and is accepted and dropped,
 * as is any field a later 4.x adds: zod objects strip unknown keys instead of failing on them.
 */
import * as z from 'zod';
import { attackDomainSchema, type AttackDomain } from './schema.js';
import { techniqueRefSchema } from './marks.js';

/** Metadata entries are `{name, value}` pairs or, since 4.1, `{divider: true}` separators. */
const metadataEntrySchema = z.union([z.object({ divider: z.boolean() }), z.object({ name: z.string(), value: z.string() })]);

export const layerTechniqueSchema = z.object({
  techniqueID: techniqueRefSchema,
  score: z.number().min(0, 'Huntroom scores are 0 to 100').max(100, 'Huntroom scores are 0 to 100').optional().nullable(),
  color: z.string().optional(),
  comment: z.string().max(2_000).optional(),
  enabled: z.boolean().optional(),
  metadata: z.array(metadataEntrySchema).optional(),
});
export type LayerTechnique = z.infer<typeof layerTechniqueSchema>;

const layerBodySchema = z.object({
  domain: z.string(),
  // Optional in the 4.x spec ("no techniques" is a valid, empty layer).
  techniques: z.array(layerTechniqueSchema).max(5_000).default([]),
});

/** Domain names of layer formats up to 4.0, as the Navigator itself renames them on load. */
const OLD_DOMAINS: Record<string, AttackDomain> = { 'mitre-enterprise': 'enterprise-attack', 'mitre-mobile': 'mobile-attack' };

export const SUPPORTED_LAYER_VERSIONS = 'Navigator layer format 4.0 to 4.5 (3.0 is converted)';

export type ParsedLayer = { ok: true; domain: string; version: string; techniques: LayerTechnique[] } | { ok: false; error: string };

function located(issue: z.ZodIssue | undefined, prefix: (string | number)[] = []): string {
  const path = [...prefix, ...(issue?.path ?? [])].join('.') || '(layer)';
  return `not a usable Navigator layer: ${path}: ${issue?.message ?? 'invalid'}`;
}

/**
 * The layer's format version: `versions.layer` since 4.1, a top-level `version` in 3.0 and 4.0, and
 * none at all is allowed by the 4.x spec (then it is read as the current format).
 */
function versionOf(layer: Record<string, unknown>): { ok: true; version: string } | { ok: false; error: string } {
  const versions = layer.versions;
  if (versions !== undefined && (typeof versions !== 'object' || versions === null || Array.isArray(versions)))
    return { ok: false, error: 'not a usable Navigator layer: versions: expected an object such as {"layer": "4.5"}' };
  const fromVersions = (versions as Record<string, unknown> | undefined)?.layer;
  const raw = fromVersions ?? layer.version ?? '4.5';
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, error: 'not a usable Navigator layer: versions.layer: expected a string such as "4.5"' };
  const version = String(raw).trim();
  // 3.0 has the same technique objects as 4.x (sub-technique ids included), so it converts as is; older
  // formats predate sub-techniques and named techniques differently.
  if (/^4(\.\d+)*$/.test(version) || /^3(\.0)*$/.test(version)) return { ok: true, version };
  return {
    ok: false,
    error: `Navigator layer format ${version} is not supported: Huntroom reads ${SUPPORTED_LAYER_VERSIONS}; open the layer in a current Navigator and save it again`,
  };
}

/** A Navigator file as one layer's techniques, or a located error that names what is wrong. */
export function parseLayer(json: unknown): ParsedLayer {
  let prefix: (string | number)[] = [];
  // The Navigator can save all open layers as one list; one layer of it is one team's marks.
  if (Array.isArray(json)) {
    if (json.length !== 1)
      return { ok: false, error: `this file holds ${json.length} Navigator layers; Huntroom imports one layer at a time: save the layer you want on its own from the Navigator` };
    json = json[0];
    prefix = [0];
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: located(undefined, prefix).replace('invalid', 'expected a layer object') };
  const version = versionOf(json as Record<string, unknown>);
  if (!version.ok) return version;
  const body = layerBodySchema.safeParse(json);
  if (!body.success) return { ok: false, error: located(body.error.issues[0], prefix) };
  const known = attackDomainSchema.safeParse(body.data.domain);
  const domain = known.success ? known.data : (OLD_DOMAINS[body.data.domain] ?? body.data.domain);
  return { ok: true, domain, version: version.version, techniques: body.data.techniques };
}
