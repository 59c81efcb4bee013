/**
 * The hunt operation as MISP objects, with MISP's own templates where one fits (misp-objects
 * repository): a host is a `device` (name, its IP addresses, type, analysis date, a description with
 * role, OS, state and criticality), a malware sample a `file` (md5, sha1, sha256, filename,
 * size-in-bytes; never the file itself), a timeline event a `timesketch-timeline` entry (message,
 * datetime, timestamp_desc as the source). A finding has no template: its title and host are the
 * comment of its samples' file objects, and its linked indicators' sightings are already the MISP
 * sightings of those attributes (linking records a sighting, misp.ts writes them). Networks have no
 * template either and travel only in the report. Each object's and attribute's distribution and
 * `tlp:` tag come from the item's own marking, as for indicators; visibility was decided by
 * collectForRecipient.
 */
import type { HuntItemBase } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import { huntNames } from './huntReport.js';
import { stableUuid } from './ids.js';
import { mispDistribution } from './mispDistribution.js';

const TEMPLATES = {
  device: { uuid: '0c64b41a-e583-4f4d-ac92-d484163b9e52', metaCategory: 'device' },
  file: { uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', metaCategory: 'file' },
  'timesketch-timeline': { uuid: '06db0221-cbc0-4ffc-ad98-7f34549310f1', metaCategory: 'misc' },
} as const;

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;
const epoch = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

type Attr = { relation: string; type: string; value: string; category?: string };

function mispObject(name: keyof typeof TEMPLATES, key: string, item: HuntItemBase, comment: string, attrs: Attr[]) {
  const distribution = mispDistribution(item);
  const t = TEMPLATES[name];
  return {
    uuid: stableUuid(`misp-object:${key}`),
    name,
    'meta-category': t.metaCategory,
    template_uuid: t.uuid,
    comment,
    timestamp: epoch(item.updatedAt),
    distribution,
    Attribute: attrs.map((a) => ({
      uuid: stableUuid(`misp-object-attribute:${key}:${a.relation}:${a.value}`),
      object_relation: a.relation,
      type: a.type,
      category: a.category ?? 'Other',
      value: a.value,
      // What was found on the partner's hosts describes them, not an attacker: nothing here should alert.
      to_ids: false,
      distribution,
      timestamp: epoch(item.updatedAt),
      Tag: [{ name: `tlp:${item.tlp.toLowerCase()}` }, ...(item.releasableTo.length ? [{ name: `huntroom:releasable-to="${item.releasableTo.join(' ')}"` }] : [])],
    })),
  };
}

export function huntMispObjects(data: HandoffData) {
  const { hunt } = data;
  const names = huntNames(data);
  const objects: ReturnType<typeof mispObject>[] = [];
  for (const h of hunt.hosts) {
    const ips = h.addresses.filter((a) => IPV4.test(a) || (a.includes(':') && IPV6.test(a) && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a)));
    const description = [
      `role ${h.role}`,
      h.os && `OS ${h.os}`,
      `state ${h.state}`,
      `criticality ${h.criticality}`,
      names.network.has(h.networkId) && `network ${names.network.get(h.networkId)!}`,
    ]
      .filter(Boolean)
      .join('; ');
    objects.push(
      mispObject('device', `host:${h.id}`, h, h.notes, [
        { relation: 'name', type: 'text', value: h.hostname },
        { relation: 'device-type', type: 'text', value: h.role === 'workstation' ? 'PC' : 'Other' },
        { relation: 'description', type: 'text', value: description },
        ...ips.map((ip) => ({ relation: 'ip-address', type: 'ip-src', value: ip, category: 'Network activity' })),
        ...(h.examinedAt ? [{ relation: 'analysis-date', type: 'datetime', value: h.examinedAt }] : []),
      ]),
    );
  }
  for (const f of hunt.findings) {
    const host = names.host.get(f.hostId);
    for (const s of hunt.samples[f.id] ?? []) {
      objects.push(
        mispObject('file', `sample:${s.id}`, f, `finding: ${f.title}${host ? ` on ${host}` : ''}`, [
          { relation: 'md5', type: 'md5', value: s.md5, category: 'Payload delivery' },
          { relation: 'sha1', type: 'sha1', value: s.sha1, category: 'Payload delivery' },
          { relation: 'sha256', type: 'sha256', value: s.sha256, category: 'Payload delivery' },
          { relation: 'filename', type: 'filename', value: s.filename, category: 'Payload delivery' },
          { relation: 'size-in-bytes', type: 'size-in-bytes', value: String(s.size) },
        ]),
      );
    }
  }
  for (const e of hunt.timeline) {
    const host = e.hostId ? names.host.get(e.hostId) : undefined;
    objects.push(
      mispObject('timesketch-timeline', `timeline:${e.id}`, e, [host && `host ${host}`, `team ${e.team.code}`, `source zone ${e.sourceTimeZone}`].filter(Boolean).join('; '), [
        { relation: 'message', type: 'text', value: e.description },
        { relation: 'datetime', type: 'datetime', value: e.at },
        ...(e.source ? [{ relation: 'timestamp_desc', type: 'text', value: e.source }] : []),
      ]),
    );
  }
  return objects;
}
