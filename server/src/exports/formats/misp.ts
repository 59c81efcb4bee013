/**
 * MISP event JSON of a handoff: one attribute per indicator with its MISP type and category, `to_ids`
 * for what should alert (not benign, not a false positive, not tagged `misp:to_ids="false"`), `distribution` from its marking, `tlp:`
 * tags beside its own tags, techniques as MISP's ATT&CK galaxy cluster values, its sightings as MISP
 * sightings, and the comments a re-import would not widen as MISP 2.5 analyst notes (and, joined, as the
 * attribute comment every MISP version shows). What MISP has no field for (status,
 * releasable-to teams, confidence, source, the exact type when MISP's is only the nearest) is written
 * as `huntroom:` machine tags, which Huntroom's importer reads back (docs/interop.md, MISP).
 */
import { MISP_TO_IDS_OFF_TAG, TLP_LEVELS, portsOfTags, strictestTlp, withoutPortTags, type IndicatorView, type SightingView, type TlpLevel } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { portableCommentList } from './comments.js';
import { stableUuid } from './ids.js';
import { huntMispObjects } from './huntMisp.js';
import { mispDistribution } from './mispDistribution.js';

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

/** Types MISP has only a nearest for: the exact one travels as a tag. */
const INEXACT = new Set(['cidr', 'filepath', 'other']);

const tlpTag = (tlp: string) => ({ name: `tlp:${tlp.toLowerCase()}` });
/** A tag's quoted value: MISP tags are plain strings; a quote inside is kept, the importer reads to the last one. */
const machineTag = (name: string, value: string | number) => ({ name: `huntroom:${name}="${value}"` });
const epoch = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * A technique as MISP's mitre-attack-pattern galaxy names its cluster ("Spearphishing Attachment -
 * T1566.001"), so a MISP instance attaches the real cluster; the id alone when the name is unknown.
 */
const galaxyTag = (id: string, names: Map<string, string>) => ({ name: `misp-galaxy:mitre-attack-pattern="${names.has(id) ? `${names.get(id)} - ${id}` : id}"` });

/** A Huntroom sighting as a MISP sighting (type 0); its context is the sighting's source, its team the organisation. */
const sighting = (s: SightingView) => ({
  uuid: stableUuid(`misp-sighting:${s.id}`),
  type: '0',
  date_sighting: epoch(s.seenAt),
  source: s.context,
  Organisation: { name: s.team.code },
});

/** MISP's analyst-data time: UTC, "YYYY-MM-DD HH:MM:SS". */
const analystTime = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');

/** Types MISP writes with a port as one composite value: `ip-dst|port` and the like, the value "host|port". */
const WITH_PORT = new Set(['ip-src', 'ip-dst', 'hostname']);

/**
 * The host and its ports: the indicator's `port:<n>` tags (portTags.ts in shared/), and the port of a
 * value stored with one before the address alone became the value (`1.2.3.4:8443`, kept as it was).
 */
function hostAndPorts(i: IndicatorView): { host: string; ports: number[] } {
  if (!WITH_PORT.has(i.type)) return { host: i.value, ports: [] };
  const ports = portsOfTags(i.tags);
  const old = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(i.value);
  if (!old) return { host: i.value, ports };
  return { host: old[1]!, ports: [...new Set([Number(old[2]), ...ports])].sort((a, b) => a - b) };
}

/**
 * An indicator as MISP attributes: one, or one `ip-dst|port` (`ip-src|port`, `hostname|port`) per port
 * it was seen with, as MISP holds them. The first carries the comments, notes and sightings; the others
 * only what the re-import needs to merge them into the same one indicator (same value, marking, tags).
 */
function attributes(i: IndicatorView, data: HandoffData) {
  const { host, ports } = hostAndPorts(i);
  if (!ports.length) return [attribute(i, data)];
  return ports.map((port, n) => attribute(i, data, { host, port, first: n === 0 }));
}

function attribute(i: IndicatorView, data: HandoffData, withPort?: { host: string; port: number; first: boolean }) {
  const first = withPort?.first ?? true;
  const comments = first ? portableCommentList(i, data) : [];
  // The first attribute keeps the id it always had; each further port gets its own.
  const uuid = stableUuid(first ? `misp-attribute:${i.id}` : `misp-attribute:${i.id}:port:${withPort!.port}`);
  const distribution = mispDistribution(i);
  const sightings = first ? (data.sightings.get(i.id) ?? []) : [];
  return {
    uuid,
    type: withPort ? `${i.type}|port` : (MISP_TYPE[i.type] ?? i.type),
    category: CATEGORY[i.type] ?? 'Other',
    // Not for detection: benign, a false positive, or MISP's own to_ids off kept as a tag at import.
    to_ids: i.status !== 'benign' && i.status !== 'false-positive' && !i.tags.includes(MISP_TO_IDS_OFF_TAG),
    value: withPort ? `${withPort.host}|${withPort.port}` : i.value,
    // Every comment in the one text field all MISP versions show, and each as a MISP 2.5 analyst note.
    comment: comments.map((c) => c.body).join('\n\n'),
    timestamp: epoch(i.updatedAt),
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    distribution,
    Tag: [
      tlpTag(i.tlp),
      // The ports are in the type and value: not repeated as tags (one attribute per port).
      ...(withPort ? withoutPortTags(i.tags) : i.tags).map((name) => ({ name })),
      ...i.techniques.map((t) => galaxyTag(t, data.techniqueNames)),
      machineTag('status', i.status),
      ...(INEXACT.has(i.type) ? [machineTag('type', i.type)] : []),
      ...(i.releasableTo.length ? [machineTag('releasable-to', i.releasableTo.join(' '))] : []),
      machineTag('confidence', i.confidence),
      // MISP has no end of validity on an attribute (its decaying models compute one): kept as our own tag.
      ...(i.validUntil ? [machineTag('valid-until', i.validUntil)] : []),
      // Always, even empty: without it the importer would take the event's title as the source.
      machineTag('source', i.source),
    ],
    ...(sightings.length ? { Sighting: sightings.map(sighting) } : {}),
    ...(comments.length
      ? {
          Note: comments.map((c) => ({
            uuid: stableUuid(`misp-note:${c.id}`),
            object_uuid: uuid,
            object_type: 'Attribute',
            note_type_name: 'Note',
            note: c.body,
            authors: c.team.code,
            created: analystTime(c.createdAt),
            modified: analystTime(c.createdAt),
            distribution,
          })),
        }
      : {}),
  };
}

/** The event's distribution: the widest of its attributes', since MISP caps an attribute at its event's. */
function eventDistribution(attrs: { distribution: string }[]): string {
  const order = ['0', '1', '2', '3'];
  return attrs.reduce((widest, a) => (order.indexOf(a.distribution) > order.indexOf(widest) ? a.distribution : widest), '0');
}

export function buildMispEvent(data: HandoffData): Record<string, unknown> {
  const { hunt } = data;
  const strictest: TlpLevel = strictestTlp([...data.indicators, ...hunt.hosts, ...hunt.findings, ...hunt.timeline].map((i) => i.tlp)) ?? TLP_LEVELS[0];
  const attributeList = data.indicators.flatMap((i) => attributes(i, data));
  // Hosts, samples and timeline events as MISP objects (huntMisp.ts).
  const objects = huntMispObjects(data);
  return {
    Event: {
      uuid: stableUuid(`misp-event:${data.workspace.id}:${data.recipient.code}`),
      info: `${data.workspace.name}: handoff to ${data.recipient.name} (${data.recipient.code})`,
      date: data.generatedAt.slice(0, 10),
      timestamp: epoch(data.generatedAt),
      threat_level_id: '2',
      analysis: '1',
      distribution: eventDistribution([...attributeList, ...objects]),
      published: false,
      Orgc: { name: 'Huntroom' },
      Tag: [tlpTag(strictest)],
      Attribute: attributeList,
      ...(objects.length ? { Object: objects } : {}),
    },
  };
}
