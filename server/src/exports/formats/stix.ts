/**
 * STIX 2.1 bundle of a handoff, holding everything Huntroom has on each indicator: an identity per
 * team (owners, sighting and comment authors), the TLP marking definitions in use, per indicator an
 * `indicator` (STIX pattern or YARA rule) or a `vulnerability` for a CVE with its marking, confidence,
 * tags (labels), valid_from (first seen) and Huntroom's property extension (exact type, status,
 * releasability, source; its definition object comes with it); the ATT&CK attack-patterns with
 * `indicates` relationships (`targets` from the pattern for a CVE); a `sighting` per sighting; and a
 * `note` per comment with the comment's own marking. Comments and everything else were filtered for
 * the recipient by collectForRecipient: this builder never decides visibility.
 */
import {
  huntroomExtension,
  huntroomExtensionDefinition,
  HUNTROOM_EXTENSION_ID,
  HUNTROOM_IDENTITY,
  portsOfTags,
  stixMarkingDefinition,
  stixMarkingId,
  type IndicatorView,
  withoutPortTags,
  type TlpLevel,
} from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { stixId } from './ids.js';
import { stixPattern, yaraRuleName } from './stixPattern.js';
import { huntStixObjects } from './huntStix.js';

export { stixPattern } from './stixPattern.js';

const techniqueRef = (id: string) => ({ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` });

type StixObject = Record<string, unknown>;

/** Types whose pattern carries the ports the address was seen with (its `port:<n>` tags). */
const PATTERN_PORTS = new Set(['ip-src', 'ip-dst']);
const labelsOf = (i: IndicatorView): string[] => (PATTERN_PORTS.has(i.type) ? withoutPortTags(i.tags) : i.tags);

export function buildStixBundle(data: HandoffData): Record<string, unknown> {
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
    confidence: i.confidence,
    // An address's ports are in its pattern (network-traffic dst_port/src_port): not repeated as labels.
    ...(labelsOf(i).length ? { labels: labelsOf(i) } : {}),
    extensions: huntroomExtension({ type: i.type, status: i.status, releasableTo: i.releasableTo, source: i.source, firstSeen: i.firstSeen }),
  });

  const indicatorObjects: StixObject[] = [];
  const relationship = (i: IndicatorView, type: string, source: string, target: string, name: string): StixObject => ({
    type: 'relationship',
    id: stixId('relationship', `${i.id}:${name}`),
    spec_version: '2.1',
    created: i.createdAt,
    modified: i.updatedAt,
    relationship_type: type,
    source_ref: source,
    target_ref: target,
    object_marking_refs: marking(i.tlp),
  });
  for (const i of data.indicators) {
    const cve = i.type === 'cve';
    const id = stixId(cve ? 'vulnerability' : 'indicator', i.id);
    if (cve) {
      indicatorObjects.push({ type: 'vulnerability', id, ...common(i), name: i.value, external_references: [{ source_name: 'cve', external_id: i.value }] });
    } else {
      indicatorObjects.push({
        type: 'indicator',
        id,
        ...common(i),
        name: i.type === 'yara' ? (yaraRuleName(i.value) ?? 'YARA rule') : i.value,
        ...stixPattern(i.type, i.value, PATTERN_PORTS.has(i.type) ? portsOfTags(i.tags) : []),
        valid_from: i.firstSeen,
        // STIX requires valid_until later than valid_from; an end set at or before the first sighting is not written.
        ...(i.validUntil && Date.parse(i.validUntil) > Date.parse(i.firstSeen) ? { valid_until: i.validUntil } : {}),
        indicator_types: [i.status === 'benign' || i.status === 'false-positive' ? 'benign' : 'malicious-activity'],
      });
    }
    for (const t of i.techniques) {
      techniques.add(t);
      // STIX: an indicator indicates an attack-pattern; an attack-pattern targets a vulnerability.
      indicatorObjects.push(cve ? relationship(i, 'targets', stixId('attack-pattern', t), id, t) : relationship(i, 'indicates', id, stixId('attack-pattern', t), t));
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
    for (const c of data.comments.get(i.id) ?? []) {
      // A note carries the comment's own marking (never the indicator's): its level and its team list.
      indicatorObjects.push({
        type: 'note',
        id: stixId('note', c.id),
        spec_version: '2.1',
        created: c.createdAt,
        modified: c.createdAt,
        created_by_ref: identityOf(c.team.code),
        content: c.body,
        object_refs: [id],
        object_marking_refs: marking(c.tlp),
        ...(c.releasableTo.length ? { extensions: { [HUNTROOM_EXTENSION_ID]: { extension_type: 'property-extension', releasable_to: c.releasableTo } } } : {}),
      });
    }
  }

  // The hunt operation (huntStix.ts) before the identities: its objects name teams and levels too.
  const shown = new Map(data.indicators.map((i) => [i.id, stixId(i.type === 'cve' ? 'vulnerability' : 'indicator', i.id)]));
  const huntObjects = huntStixObjects(data, { identityOf, marking, indicatorRef: (id) => shown.get(id) });

  const objects: StixObject[] = [];
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
  // The extension's definition and its creator come with every bundle whose objects use it.
  if (indicatorObjects.length) objects.push(HUNTROOM_IDENTITY, huntroomExtensionDefinition());
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
  const all = objects.concat(indicatorObjects, huntObjects);
  // STIX 2.1 allows a bundle without `objects` but not an empty list (the OASIS schema sets minItems 1):
  // an export with nothing in it leaves the key out.
  return { type: 'bundle', id: stixId('bundle', `${data.workspace.id}:${data.recipient.code}:${data.generatedAt}`), ...(all.length > 0 ? { objects: all } : {}) };
}
