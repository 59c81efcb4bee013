/**
 * The hunt operation in STIX 2.1 (docs/interop.md, "Hunt operations in STIX"). STIX has no host,
 * finding or timeline object, so each is written with the standard shape that says the same thing:
 *
 * - a host is an `observed-data` over its own cyber-observables (its name as `domain-name`, its
 *   addresses as `ipv4-addr`, `ipv6-addr` or `mac-addr`), labelled with its state and role. STIX's
 *   `where_sighted_refs` takes only identities and locations, which a host is not; observed data is the
 *   spec's way to say "seen on this system".
 * - a finding's linked indicator is a `sighting` of that indicator whose `observed_data_refs` is the
 *   host's observed-data and whose `where_sighted_refs` is the finding team's identity; the finding
 *   itself is a `note` (title as abstract) on the host and the indicators, and each malware sample is a
 *   `file` observable (hashes, name, size; never its content) in an observed-data the note refers to.
 * - a timeline event on a host is an `observed-data` at its instant over the host's observables, with a
 *   `note` holding its description and source. An event without a host in the export has no
 *   observable to stand on and is left out of the bundle (the report and the timeline CSV carry it).
 *
 * Observable ids are STIX's deterministic UUIDv5 of their value, so two producers' copies of one address
 * merge. An observable shared by several items carries the strictest of their levels. Nothing here
 * decides visibility: collectForRecipient did.
 */
import { createHash } from 'node:crypto';
import { strictestTlp, type HuntItemBase, type TlpLevel } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { stixId } from './ids.js';

type StixObject = Record<string, unknown>;

/** STIX 2.1 section 2.9: the namespace of deterministic observable ids. */
const SCO_NAMESPACE = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');

function uuidV5(name: string): string {
  const h = createHash('sha1').update(SCO_NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAC = /^[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}$/i;

/** The observable type of one host address, or undefined when it is none of the three. */
function addressObservable(value: string): { type: string; value: string } | undefined {
  if (IPV4.test(value)) return { type: 'ipv4-addr', value };
  if (MAC.test(value)) return { type: 'mac-addr', value: value.toLowerCase().replace(/-/g, ':') };
  if (value.includes(':') && /^[0-9a-f:.]+$/i.test(value)) return { type: 'ipv6-addr', value: value.toLowerCase() };
  return undefined;
}

export interface StixHelpers {
  identityOf: (teamCode: string) => string;
  marking: (tlp: TlpLevel) => string[];
  /** The STIX id an indicator of the export has (indicator, or vulnerability for a CVE). */
  indicatorRef: (indicatorId: string) => string | undefined;
}

export function huntStixObjects(data: HandoffData, h: StixHelpers): StixObject[] {
  const { hunt } = data;
  const out: StixObject[] = [];
  // Observables by id, with every level of the items that use them (the strictest one is written).
  const observables = new Map<string, { object: StixObject; levels: TlpLevel[] }>();
  const observable = (type: string, props: Record<string, unknown>, idName: string, tlp: TlpLevel): string => {
    const id = `${type}--${uuidV5(idName)}`;
    const seen = observables.get(id);
    if (seen) seen.levels.push(tlp);
    else observables.set(id, { object: { type, id, spec_version: '2.1', ...props }, levels: [tlp] });
    return id;
  };
  const sdo = (item: HuntItemBase, type: string, name: string, extra: StixObject): StixObject => ({
    type,
    id: stixId(type, name),
    spec_version: '2.1',
    created: item.createdAt,
    modified: item.updatedAt,
    created_by_ref: h.identityOf(item.ownerTeam.code),
    object_marking_refs: h.marking(item.tlp),
    ...extra,
  });

  const hostObservables = new Map<string, string[]>();
  const hostObserved = new Map<string, string>();
  for (const host of hunt.hosts) {
    // A host may be known by its addresses only (an nmap scan without names).
    const refs = host.hostname ? [observable('domain-name', { value: host.hostname }, JSON.stringify({ value: host.hostname }), host.tlp)] : [];
    for (const a of host.addresses) {
      const o = addressObservable(a);
      if (o) refs.push(observable(o.type, { value: o.value }, JSON.stringify({ value: o.value }), host.tlp));
    }
    // Observed data must observe something: a host with neither is in the report and hosts.csv only.
    if (!refs.length) continue;
    hostObservables.set(host.id, refs);
    const first = host.examinedAt ?? host.createdAt;
    const od = sdo(host, 'observed-data', `host:${host.id}`, {
      first_observed: first,
      last_observed: host.updatedAt > first ? host.updatedAt : first,
      number_observed: 1,
      object_refs: refs,
      labels: [`host-state:${host.state}`, `host-role:${host.role}`, `criticality:${host.criticality}`],
    });
    hostObserved.set(host.id, od.id as string);
    out.push(od);
  }

  for (const f of hunt.findings) {
    const onHost = hostObserved.get(f.hostId);
    const indicators = f.indicatorIds.flatMap((id) => {
      const ref = h.indicatorRef(id);
      return ref ? [ref] : [];
    });
    const sampleRefs: string[] = [];
    for (const s of hunt.samples[f.id] ?? []) {
      const hashes = { MD5: s.md5, 'SHA-1': s.sha1, 'SHA-256': s.sha256 };
      // A file's id contributing properties are its hashes (and name); SHA-256 alone identifies the bytes.
      const file = observable('file', { hashes, name: s.filename, size: s.size }, JSON.stringify({ hashes: { 'SHA-256': s.sha256 } }), f.tlp);
      const od = sdo(f, 'observed-data', `sample:${s.id}`, { first_observed: s.createdAt, last_observed: s.createdAt, number_observed: 1, object_refs: [file] });
      sampleRefs.push(od.id as string);
      out.push(od);
    }
    for (const ref of indicators) {
      out.push(
        sdo(f, 'sighting', `finding:${f.id}:${ref}`, {
          first_seen: f.createdAt,
          last_seen: f.createdAt,
          count: 1,
          sighting_of_ref: ref,
          ...(onHost ? { observed_data_refs: [onHost] } : {}),
          where_sighted_refs: [h.identityOf(f.ownerTeam.code)],
          description: f.title,
        }),
      );
    }
    const about = [...(onHost ? [onHost] : []), ...indicators, ...sampleRefs];
    if (about.length) {
      out.push(
        sdo(f, 'note', `finding:${f.id}`, {
          abstract: f.title,
          content: f.description || f.title,
          object_refs: about,
          labels: [`finding-kind:${f.kind}`, `severity:${f.severity}`, `finding-status:${f.status}`],
        }),
      );
    }
  }

  for (const e of hunt.timeline) {
    const refs = e.hostId ? hostObservables.get(e.hostId) : undefined;
    if (!refs) continue;
    const od = sdo(e, 'observed-data', `timeline:${e.id}`, { first_observed: e.at, last_observed: e.at, number_observed: 1, object_refs: refs });
    out.push(od);
    const indicators = e.indicatorIds.flatMap((id) => {
      const ref = h.indicatorRef(id);
      return ref ? [ref] : [];
    });
    out.push(
      sdo(e, 'note', `timeline:${e.id}`, {
        abstract: `${e.source || 'event'} at ${e.at} (source zone ${e.sourceTimeZone})`,
        content: e.description,
        object_refs: [od.id, ...indicators],
      }),
    );
  }

  const scos: StixObject[] = [];
  for (const { object, levels } of observables.values()) scos.push({ ...object, object_marking_refs: h.marking(strictestTlp(levels)!) });
  return scos.concat(out);
}
