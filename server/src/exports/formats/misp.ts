/**
 * MISP event JSON of a handoff: one attribute per indicator with its MISP type and category, `to_ids`
 * for what should alert (not benign, not a false positive), and `tlp:` tags for its marking beside
 * its own tags. The event carries the strictest level it contains.
 */
import { strictestTlp, type IndicatorView } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { stableUuid } from './ids.js';

const MISP_TYPE: Record<string, string> = { cidr: 'ip-dst', email: 'email-src', filepath: 'filename', as: 'AS', cve: 'vulnerability', ja3: 'ja3-fingerprint-md5', other: 'text' };

const CATEGORY: Record<string, string> = {
  'ip-src': 'Network activity',
  'ip-dst': 'Network activity',
  cidr: 'Network activity',
  domain: 'Network activity',
  hostname: 'Network activity',
  url: 'Network activity',
  'user-agent': 'Network activity',
  as: 'Network activity',
  ja3: 'Network activity',
  email: 'Payload delivery',
  md5: 'Payload delivery',
  sha1: 'Payload delivery',
  sha256: 'Payload delivery',
  sha512: 'Payload delivery',
  ssdeep: 'Payload delivery',
  filename: 'Payload delivery',
  filepath: 'Payload delivery',
  regkey: 'Persistence mechanism',
  mutex: 'Artifacts dropped',
  yara: 'Artifacts dropped',
  cve: 'External analysis',
  btc: 'Financial fraud',
  other: 'Other',
};

const tlpTag = (tlp: string) => ({ name: `tlp:${tlp.toLowerCase()}` });
const epoch = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * A technique as MISP's mitre-attack-pattern galaxy names its cluster ("Spearphishing Attachment -
 * T1566.001"), so a MISP instance attaches the real cluster; the id alone when the name is unknown.
 */
const galaxyTag = (id: string, names: Map<string, string>) => ({ name: `misp-galaxy:mitre-attack-pattern="${names.has(id) ? `${names.get(id)} - ${id}` : id}"` });

function attribute(i: IndicatorView, names: Map<string, string>) {
  return {
    uuid: stableUuid(`misp-attribute:${i.id}`),
    type: MISP_TYPE[i.type] ?? i.type,
    category: CATEGORY[i.type] ?? 'Other',
    to_ids: i.status !== 'benign' && i.status !== 'false-positive',
    value: i.value,
    // The techniques are galaxy tags below, which MISP attaches to its clusters; the comment is the source.
    comment: i.source,
    timestamp: epoch(i.updatedAt),
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    distribution: '5',
    // The status as a machine tag: MISP has no field for it, and Huntroom's import reads it back.
    Tag: [tlpTag(i.tlp), ...i.tags.map((name) => ({ name })), ...i.techniques.map((t) => galaxyTag(t, names)), { name: `huntroom:status="${i.status}"` }],
  };
}

export function buildMispEvent(data: HandoffData): Record<string, unknown> {
  const strictest = strictestTlp(data.indicators.map((i) => i.tlp)) ?? 'CLEAR';
  return {
    Event: {
      uuid: stableUuid(`misp-event:${data.workspace.id}:${data.recipient.code}`),
      info: `${data.workspace.name}: handoff to ${data.recipient.name} (${data.recipient.code})`,
      date: data.generatedAt.slice(0, 10),
      timestamp: epoch(data.generatedAt),
      threat_level_id: '2',
      analysis: '1',
      distribution: '0',
      published: false,
      Orgc: { name: 'Huntroom' },
      Tag: [tlpTag(strictest)],
      Attribute: data.indicators.map((i) => attribute(i, data.techniqueNames)),
    },
  };
}
