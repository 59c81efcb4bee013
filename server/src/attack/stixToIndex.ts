/**
 * Builds the compact ATT&CK index from a STIX 2.0 or 2.1 bundle of MITRE's (enterprise, ICS, mobile):
 * tactics in matrix order, techniques and sub-techniques, groups and software with the techniques they
 * use. Revoked and deprecated objects are skipped, and so are relationships that point at them. Used at
 * build time for the shipped data and at run time for an owner's import of a newer bundle.
 */
import type { AttackDomain, AttackIndex, AttackTechnique } from '@huntroom/shared';
import { ATTACK_DOMAINS } from '@huntroom/shared';

interface StixObject {
  type: string;
  id: string;
  name?: string;
  description?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  external_references?: { source_name?: string; external_id?: string; url?: string }[];
  kill_chain_phases?: { kill_chain_name?: string; phase_name?: string }[];
  x_mitre_platforms?: string[];
  x_mitre_shortname?: string;
  x_mitre_is_subtechnique?: boolean;
  x_mitre_version?: string;
  tactic_refs?: string[];
  aliases?: string[];
  x_mitre_aliases?: string[];
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
}

export class StixImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StixImportError';
  }
}

const mitreRef = (o: StixObject) =>
  o.external_references?.find((r) => r.source_name === 'mitre-attack' || r.source_name === 'mitre-ics-attack' || r.source_name === 'mitre-mobile-attack');
const live = (o: StixObject) => !o.revoked && !o.x_mitre_deprecated;

/** The first sentence (or ~300 characters) of a description, without "(Citation: ...)" markers. */
export function shortDescription(text = ''): string {
  const clean = text
    .replace(/\(Citation:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = clean.search(/\.(\s|$)/);
  const first = end === -1 ? clean : clean.slice(0, end + 1);
  return first.length > 300 ? `${first.slice(0, 297).trimEnd()}…` : first;
}

export function stixToIndex(bundle: unknown, knownVersion?: string): AttackIndex {
  const b = bundle as { type?: unknown; objects?: unknown };
  if (!b || typeof b !== 'object' || b.type !== 'bundle' || !Array.isArray(b.objects))
    throw new StixImportError('not a STIX bundle: expected {"type": "bundle", "objects": [...]}');
  const objects = (b.objects as StixObject[]).filter((o) => o && typeof o === 'object' && typeof o.type === 'string' && typeof o.id === 'string');
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix' && live(o));
  if (!matrix) throw new StixImportError('no x-mitre-matrix in the bundle: is this an ATT&CK bundle?');
  const domain = mitreRef(matrix)?.external_id as AttackDomain | undefined;
  if (!domain || !ATTACK_DOMAINS.includes(domain)) throw new StixImportError(`unknown ATT&CK domain "${String(domain)}" (expected ${ATTACK_DOMAINS.join(', ')})`);
  const byId = new Map(objects.map((o) => [o.id, o]));

  const tactics = (matrix.tactic_refs ?? [])
    .map((ref) => byId.get(ref))
    .filter((t): t is StixObject => !!t && live(t))
    .map((t) => ({
      id: mitreRef(t)?.external_id ?? '',
      shortname: t.x_mitre_shortname ?? '',
      name: t.name ?? '',
    }));
  if (tactics.length === 0) throw new StixImportError('the matrix lists no tactics');

  const techniqueIds = new Map<string, string>();
  const techniques: AttackTechnique[] = [];
  for (const o of objects) {
    if (o.type !== 'attack-pattern' || !live(o)) continue;
    const ref = mitreRef(o);
    if (!ref?.external_id) continue;
    techniqueIds.set(o.id, ref.external_id);
    const t: AttackTechnique = {
      id: ref.external_id,
      name: o.name ?? ref.external_id,
      tactics: (o.kill_chain_phases ?? []).filter((p) => p.kill_chain_name?.startsWith('mitre-')).map((p) => p.phase_name ?? ''),
      platforms: o.x_mitre_platforms ?? [],
      description: shortDescription(o.description),
      url: ref.url ?? '',
    };
    if (o.x_mitre_is_subtechnique || ref.external_id.includes('.')) t.parent = ref.external_id.split('.')[0];
    techniques.push(t);
  }
  if (techniques.length === 0) throw new StixImportError('the bundle has no live techniques (attack-pattern objects)');
  techniques.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

  const uses = new Map<string, Set<string>>();
  for (const r of objects) {
    if (r.type !== 'relationship' || r.relationship_type !== 'uses' || !live(r) || !r.source_ref || !r.target_ref) continue;
    const tech = techniqueIds.get(r.target_ref);
    if (!tech) continue;
    const set = uses.get(r.source_ref) ?? new Set<string>();
    set.add(tech);
    uses.set(r.source_ref, set);
  }
  const used = (o: StixObject) => [...(uses.get(o.id) ?? [])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  const groups = objects
    .filter((o) => o.type === 'intrusion-set' && live(o) && mitreRef(o)?.external_id)
    .map((o) => ({ id: mitreRef(o)!.external_id!, name: o.name ?? '', aliases: (o.aliases ?? []).filter((a) => a !== o.name), techniques: used(o) }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const software = objects
    .filter((o) => (o.type === 'malware' || o.type === 'tool') && live(o) && mitreRef(o)?.external_id)
    .map((o) => ({ id: mitreRef(o)!.external_id!, name: o.name ?? '', type: o.type as 'malware' | 'tool', techniques: used(o) }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

  const collection = objects.find((o) => o.type === 'x-mitre-collection');
  return { domain, version: collection?.x_mitre_version ?? knownVersion ?? '', name: matrix.name ?? domain, tactics, techniques, groups, software };
}
