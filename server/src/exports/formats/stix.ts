/**
 * STIX 2.1 bundle of a handoff: an identity per team, the TLP marking definitions in use, an indicator
 * (STIX pattern) per indicator, or a vulnerability for a CVE, attack-patterns for the ATT&CK techniques
 * linked to indicators or observed on the board, `indicates` relationships, and sightings.
 */
import { stixMarkingDefinition, stixMarkingId, type IndicatorView, type TlpLevel } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { stixId } from './ids.js';

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const HASH_NAMES: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', ssdeep: 'SSDEEP' };

/** The STIX pattern of an indicator; custom object paths for types STIX has no object for. */
export function stixPattern(type: string, value: string): { pattern: string; pattern_type: string } {
  const stix = (path: string, v: string = quote(value)) => ({ pattern: `[${path} = ${v}]`, pattern_type: 'stix' });
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
    case 'cidr': {
      const v6 = value.includes(':') && !/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value);
      const ip = v6 ? value : value.replace(/:\d+$/, '');
      return stix(`${v6 ? 'ipv6-addr' : 'ipv4-addr'}:value`, quote(ip));
    }
    case 'domain':
    case 'hostname':
      return stix('domain-name:value');
    case 'url':
      return stix('url:value');
    case 'email':
      return stix('email-addr:value');
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'ssdeep':
      return stix(`file:hashes.'${HASH_NAMES[type]}'`);
    case 'filename':
    case 'filepath':
      return stix('file:name');
    case 'regkey':
      return stix('windows-registry-key:key');
    case 'mutex':
      return stix('mutex:name');
    case 'user-agent':
      return stix("network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'");
    case 'as':
      return stix('autonomous-system:number', String(Number(value.replace(/^AS/i, ''))));
    case 'yara':
      return { pattern: value, pattern_type: 'yara' };
    default:
      return stix(`x-huntroom-${type}:value`);
  }
}

const techniqueRef = (id: string) => ({ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` });

export function buildStixBundle(data: HandoffData): Record<string, unknown> {
  const objects: Record<string, unknown>[] = [];
  const teamIdentity = new Map(data.teams.map((t) => [t.code, stixId('identity', t.id)]));
  const levels = new Set<TlpLevel>();
  const marking = (tlp: TlpLevel) => (levels.add(tlp), [stixMarkingId(tlp)]);
  const used = new Set<string>();
  const identityOf = (code: string) => (used.add(code), teamIdentity.get(code) ?? stixId('identity', code));
  const techniques = new Set<string>(data.marks.filter((m) => m.status === 'observed').map((m) => m.techniqueId));
  const common = (i: IndicatorView) => ({
    spec_version: '2.1',
    created: i.createdAt,
    modified: i.updatedAt,
    created_by_ref: identityOf(i.ownerTeam.code),
    object_marking_refs: marking(i.tlp),
  });

  const indicatorObjects: Record<string, unknown>[] = [];
  for (const i of data.indicators) {
    if (i.type === 'cve') {
      indicatorObjects.push({
        type: 'vulnerability',
        id: stixId('vulnerability', i.id),
        ...common(i),
        name: i.value,
        external_references: [{ source_name: 'cve', external_id: i.value }],
      });
      continue;
    }
    const id = stixId('indicator', i.id);
    indicatorObjects.push({
      type: 'indicator',
      id,
      ...common(i),
      name: i.value,
      ...stixPattern(i.type, i.value),
      valid_from: i.firstSeen,
      indicator_types: [i.status === 'benign' || i.status === 'false-positive' ? 'benign' : 'malicious-activity'],
      confidence: i.confidence,
      ...(i.tags.length ? { labels: i.tags } : {}),
      x_huntroom_type: i.type,
      x_huntroom_status: i.status,
    });
    for (const t of i.techniques) {
      techniques.add(t);
      indicatorObjects.push({
        type: 'relationship',
        id: stixId('relationship', `${i.id}:${t}`),
        spec_version: '2.1',
        created: i.createdAt,
        modified: i.updatedAt,
        relationship_type: 'indicates',
        source_ref: id,
        target_ref: stixId('attack-pattern', t),
        object_marking_refs: marking(i.tlp),
      });
    }
    for (const s of data.sightings.get(i.id) ?? []) {
      indicatorObjects.push({
        type: 'sighting',
        id: stixId('sighting', s.id),
        spec_version: '2.1',
        created: s.createdAt,
        modified: s.createdAt,
        first_seen: s.seenAt,
        last_seen: s.seenAt,
        count: 1,
        sighting_of_ref: id,
        where_sighted_refs: [identityOf(s.team.code)],
        created_by_ref: identityOf(s.team.code),
        object_marking_refs: marking(i.tlp),
        ...(s.context ? { description: s.context } : {}),
      });
    }
  }

  for (const t of data.teams.filter((x) => used.has(x.code))) {
    objects.push({
      type: 'identity',
      id: teamIdentity.get(t.code),
      spec_version: '2.1',
      created: data.generatedAt,
      modified: data.generatedAt,
      name: `${t.name} (${t.code})`,
      identity_class: 'organization',
    });
  }
  for (const level of levels) objects.push(stixMarkingDefinition(level));
  for (const t of [...techniques].sort()) {
    // Public MITRE knowledge: no marking of ours applies.
    objects.push({
      type: 'attack-pattern',
      id: stixId('attack-pattern', t),
      spec_version: '2.1',
      created: data.generatedAt,
      modified: data.generatedAt,
      name: data.techniqueNames.get(t) ?? t,
      external_references: [techniqueRef(t)],
    });
  }
  // concat, not push(...): a spread of 100,000 arguments overflows the call stack.
  const all = objects.concat(indicatorObjects);
  // STIX 2.1 allows a bundle without `objects` but not an empty list (the OASIS schema sets minItems 1):
  // an export with nothing in it leaves the key out.
  return { type: 'bundle', id: stixId('bundle', `${data.workspace.id}:${data.recipient.code}:${data.generatedAt}`), ...(all.length > 0 ? { objects: all } : {}) };
}
