/**
 * What a bundle says about its objects besides their values: the TLP of each marking reference, the
 * names of identities (an object's source), the ATT&CK technique of each attack-pattern, and which
 * observed-data objects reference an observable (their markings and labels apply to it).
 */
import type { TlpLevel } from '../../../markings/tlp.js';
import { strictestTlp, tlpOfMarkingId, tlpOfMarkingObject } from '../../../markings/stixTlp.js';
import { CONSUMED_REFS, type StixObject } from './observables.js';

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);

export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export class BundleIndex {
  readonly byId = new Map<string, StixObject>();
  private readonly markings = new Map<string, TlpLevel>();
  /** Observable id -> the observed-data objects that reference it. */
  readonly containers = new Map<string, StixObject[]>();
  /** Ids read through another observable (a connection's address, a file's directory, a message's sender). */
  readonly consumed = new Set<string>();

  constructor(objects: StixObject[]) {
    for (const o of objects) if (typeof o.id === 'string') this.byId.set(o.id, o);
    for (const o of this.byId.values()) {
      const level = tlpOfMarkingObject(o);
      if (level) this.markings.set((o.id as string).toLowerCase(), level);
      if (o.type === 'observed-data') for (const ref of strings(o.object_refs)) (this.containers.get(ref) ?? this.containers.set(ref, []).get(ref)!).push(o);
      for (const key of CONSUMED_REFS[o.type as string] ?? []) for (const ref of [o[key]].flat()) if (typeof ref === 'string') this.consumed.add(ref);
    }
  }

  /** The strictest TLP of an object's marking references (object-level and granular); unknown ones (PAP, statements) are not TLP. */
  tlpOf(o: StixObject): TlpLevel | undefined {
    const granular = Array.isArray(o.granular_markings) ? (o.granular_markings as StixObject[]).map((g) => g?.marking_ref) : [];
    return strictestTlp(
      [...strings(o.object_marking_refs), ...strings(granular)].flatMap((r) => {
        const level = tlpOfMarkingId(r) ?? this.markings.get(r.toLowerCase());
        return level ? [level] : [];
      }),
    );
  }

  /** The name of the identity that created an object. */
  creatorName(o: StixObject): string | undefined {
    const who = typeof o.created_by_ref === 'string' ? this.byId.get(o.created_by_ref) : undefined;
    return who?.type === 'identity' && typeof who.name === 'string' && who.name.trim() ? who.name.trim() : undefined;
  }

  /** The ATT&CK id of an attack-pattern (its mitre-attack external reference), if any. */
  technique(ref: unknown): string | undefined {
    const ap = typeof ref === 'string' ? this.byId.get(ref) : undefined;
    if (ap?.type !== 'attack-pattern' || !Array.isArray(ap.external_references)) return undefined;
    for (const r of ap.external_references as StixObject[]) {
      const id = typeof r?.external_id === 'string' ? r.external_id.trim().toUpperCase() : '';
      if (typeof r?.source_name === 'string' && ATTACK_SOURCES.has(r.source_name) && TECHNIQUE.test(id)) return id;
    }
    return undefined;
  }
}
