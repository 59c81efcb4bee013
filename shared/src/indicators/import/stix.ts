/** STIX 2.1 bundles (indicator patterns and observables) into candidates. */
import { CandidateSet, type Candidate } from '../candidates.js';
import type { TlpLevel } from '../../markings/tlp.js';
import { strictestTlp, tlpOfMarkingId, tlpOfMarkingObject } from '../../markings/stixTlp.js';
import { ImportError } from './errors.js';

// STIX object paths to our types. Patterns: [ipv4-addr:value = '1.2.3.4'] AND/OR ...
const STIX_PATHS: Record<string, string> = {
  'ipv4-addr:value': 'ip-dst',
  'ipv6-addr:value': 'ip-dst',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  "file:hashes.'md5'": 'md5',
  "file:hashes.'sha-1'": 'sha1',
  "file:hashes.'sha1'": 'sha1',
  "file:hashes.'sha-256'": 'sha256',
  "file:hashes.'sha256'": 'sha256',
  "file:hashes.'sha-512'": 'sha512',
  "file:hashes.'ssdeep'": 'ssdeep',
  'file:hashes.md5': 'md5',
  'file:hashes.sha256': 'sha256',
  'file:name': 'filename',
  'mutex:name': 'mutex',
  'windows-registry-key:key': 'regkey',
  'autonomous-system:number': 'as',
};

const COMPARISON = /([a-z0-9-]+:[a-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'/gi;

export function importStix(json: unknown): Candidate[] {
  const bundle = json as { type?: unknown; objects?: unknown };
  if (!bundle || bundle.type !== 'bundle') throw new ImportError('STIX: expected a bundle with an "objects" array');
  // A bundle may leave `objects` out (an empty export does): nothing to import, not an error.
  if (bundle.objects === undefined) return [];
  if (!Array.isArray(bundle.objects)) throw new ImportError('STIX: expected a bundle with an "objects" array');
  const set = new CandidateSet();
  // The bundle's own marking definitions that state a level, besides the well-known ids.
  const ownMarkings = new Map<string, TlpLevel>();
  for (const o of bundle.objects as Record<string, unknown>[]) {
    const level = o && typeof o === 'object' && typeof o.id === 'string' ? tlpOfMarkingObject(o) : undefined;
    if (level) ownMarkings.set((o.id as string).toLowerCase(), level);
  }
  const tlpOf = (o: Record<string, unknown>): TlpLevel | undefined => {
    const refs = Array.isArray(o.object_marking_refs) ? o.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
    return strictestTlp(
      refs.flatMap((r) => {
        const l = tlpOfMarkingId(r) ?? ownMarkings.get(r.toLowerCase());
        return l ? [l] : [];
      }),
    );
  };
  bundle.objects.forEach((o: Record<string, unknown>, i: number) => {
    if (!o || typeof o !== 'object' || typeof o.type !== 'string') throw new ImportError(`STIX: object ${i} has no type`);
    const tlp = tlpOf(o);
    const labels = Array.isArray(o.labels) ? (o.labels as unknown[]).filter((l): l is string => typeof l === 'string') : [];
    if (o.type === 'indicator') {
      if (typeof o.pattern !== 'string') throw new ImportError(`STIX: indicator ${typeof o.id === 'string' ? o.id : i} has no pattern`);
      for (const m of o.pattern.matchAll(COMPARISON)) {
        const type = STIX_PATHS[m[1]!.toLowerCase()];
        if (type) set.add(type, m[2]!.replace(/\\(.)/g, '$1'), { comment: typeof o.name === 'string' ? o.name : undefined, tags: labels, tlp });
      }
    } else if (o.type === 'ipv4-addr' || o.type === 'ipv6-addr' || o.type === 'domain-name' || o.type === 'url' || o.type === 'email-addr') {
      if (typeof o.value === 'string') set.add(STIX_PATHS[`${o.type}:value`]!, o.value, { tlp });
    } else if (o.type === 'file' && o.hashes && typeof o.hashes === 'object') {
      for (const [alg, v] of Object.entries(o.hashes as Record<string, unknown>)) {
        const type = STIX_PATHS[`file:hashes.'${alg.toLowerCase()}'`];
        if (type && typeof v === 'string') set.add(type, v, { tlp });
      }
    }
  });
  return set.list();
}
