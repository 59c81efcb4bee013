/**
 * Exports of hunt operations (issue 18, item 7). Team US makes a network, a host (with its own
 * address), a finding with a malware sample, and a timeline event under every TLP level x
 * releasable-to set, each with a unique text; then every export format is fetched by a CA hunter, an
 * LV hunter, a CA observer and an LV guest of a live handoff for their own team, and by an owner of
 * another team (CA) for every recipient. A text must appear in a format exactly when that format
 * carries its kind and `canSee` lets the team (both teams, for an export for another team) see the
 * item; a sample's bytes never appear anywhere. The STIX bundle is checked against the OASIS schemas,
 * and the two hunt CSVs by their header and rows, read here cell by cell (RFC 4180), not through an
 * importer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { canSee, TLP_LEVELS, type MarkedItem } from '@huntroom/shared';
import type { ApiClient } from '../helpers/http.js';
import { handoffGuest, observerOf } from '../helpers/partners.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { stixSchemaErrors } from '../helpers/stixSchema.js';
import { login } from './indicators-helpers.js';
import { upload } from './samples-helpers.js';

const RELEASE_SETS: string[][] = [[], ['CA'], ['LV'], ['US'], ['US', 'CA']];
const FORMATS = ['stix', 'misp', 'csv', 'hosts.csv', 'timeline.csv', 'layer', 'report.md', 'report.html', 'package.zip'] as const;
type Format = (typeof FORMATS)[number];
type Kind = 'network' | 'host' | 'address' | 'finding' | 'sample' | 'event';

/** Which formats carry each kind's text (the package carries every file). */
const CARRIED_BY: Record<Kind, readonly Format[]> = {
  network: ['report.md', 'report.html', 'package.zip'],
  host: ['hosts.csv', 'stix', 'misp', 'report.md', 'report.html', 'package.zip'],
  address: ['hosts.csv', 'stix', 'misp', 'report.md', 'report.html', 'package.zip'],
  finding: ['stix', 'misp', 'report.md', 'report.html', 'package.zip'],
  sample: ['stix', 'misp', 'report.md', 'report.html', 'package.zip'],
  event: ['timeline.csv', 'stix', 'misp', 'report.md', 'report.html', 'package.zip'],
};

const HOST_HEADER = 'hostname,addresses,network,os,role,criticality,state,examined_by,examined_at,notes,tlp,releasable_to,owner_team';
const TIMELINE_HEADER = 'datetime_utc,source_time_zone,host,network,team,description,source,techniques,indicators,findings,tlp,releasable_to,owner_team';

interface Item {
  kind: Kind;
  needle: string;
  marked: MarkedItem;
}

/** RFC 4180 rows of a CSV text (CRLF line ends, quoted cells with doubled quotes). */
function csvRows(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('hunt operations in every export: every marking x every format x every recipient', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let teamId: Record<string, string>;
  const items: Item[] = [];
  /** Bytes of every uploaded sample: none may ever be in an export. */
  const contents: string[] = [];
  const viewers: { name: string; team: string; api: ApiClient }[] = [];
  const url = (path: string) => `/api/workspaces/${ws}/${path}`;

  async function exportText(api: ApiClient, format: Format, recipient?: string): Promise<string> {
    const res = await fetch(`${server.url}${url(`export/${format}`)}${recipient ? `?recipient=${recipient}` : ''}`, { headers: { cookie: api.cookie! } });
    expect({ format, status: res.status }).toEqual({ format, status: 200 });
    const bytes = Buffer.from(await res.arrayBuffer());
    const raw =
      format === 'package.zip'
        ? Object.values(unzipSync(bytes))
            .map((f) => strFromU8(f))
            .join('\n')
        : bytes.toString('utf8');
    return raw.replace(/\[\.\]/g, '.'); // reports defang indicator values
  }

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
    const ben = await login(server.url, 'ben');
    const liga = await login(server.url, 'liga');
    viewers.push({ name: 'ben (CA hunter)', team: 'CA', api: ben }, { name: 'liga (LV hunter)', team: 'LV', api: liga });
    viewers.push({ name: 'olga (CA observer)', team: 'CA', api: await observerOf(alice, ws, 'CA') });
    viewers.push({ name: 'inga (LV guest of a handoff)', team: 'LV', api: await handoffGuest(alice, ws, liga) });

    const root = (await alice.post(url('networks'), { name: 'root network', partner: 'Partner MoD', tlp: 'CLEAR' })).body.network.id;
    const rootHost = (await alice.post(url('hosts'), { networkId: root, hostname: 'root-host', addresses: ['10.0.0.1'], tlp: 'CLEAR' })).body.host.id;
    let n = 0;
    for (const tlp of TLP_LEVELS) {
      for (const rel of RELEASE_SETS) {
        n++;
        const tag = `${tlp.replace('+', '-')}-${rel.join('') || 'all'}`.toLowerCase();
        const marked: MarkedItem = { marking: { tlp, releasableTo: rel.map((c) => teamId[c]!) }, ownerTeamId: teamId.US! };
        const m = { tlp, releasableTo: rel };
        const address = `10.77.${n}.${100 + n}`;
        const net = await alice.post(url('networks'), { name: `NET-${tag}-zq`, ...m });
        const host = await alice.post(url('hosts'), { networkId: root, hostname: `host-${tag}-zq`, addresses: [address], state: 'suspicious', ...m });
        const finding = await alice.post(url('findings'), { hostId: rootHost, kind: 'malware', title: `FINDING-${tag}-zq`, ...m });
        const event = await alice.post(url('timeline'), { at: `2026-11-05T12:${String(n).padStart(2, '0')}:00Z`, hostId: rootHost, description: `EVENT-${tag}-zq`, ...m });
        for (const res of [net, host, finding, event]) expect({ tag, status: res.status }).toEqual({ tag, status: 201 });
        const bytes = Buffer.from(`CONTENT-${tag}-zq MZ sample bytes`);
        const sample = await upload(server.url, alice, ws, finding.body.finding.id, bytes, { name: `sample-${tag}.exe` });
        expect(sample.status).toBe(201);
        expect(sample.body.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        contents.push(`CONTENT-${tag}-zq`);
        items.push(
          { kind: 'network', needle: `NET-${tag}-zq`, marked },
          { kind: 'host', needle: `host-${tag}-zq`, marked },
          { kind: 'address', needle: address, marked },
          { kind: 'finding', needle: `FINDING-${tag}-zq`, marked },
          { kind: 'sample', needle: sample.body.sha256 as string, marked },
          { kind: 'event', needle: `EVENT-${tag}-zq`, marked },
        );
      }
    }
    // An indicator every team sees, linked to an open finding: the finding's sighting of it on the host.
    const ioc = await alice.post(url('indicators'), { type: 'domain', value: 'linked.hunt-export.example.org', tlp: 'CLEAR' });
    expect(ioc.status).toBe(201);
    const linked = await alice.post(url('findings'), { hostId: rootHost, kind: 'persistence', title: 'Run key on root-host', indicatorIds: [ioc.body.indicator.id], tlp: 'CLEAR' });
    expect(linked.status).toBe(201);
    // Times written with an offset and a zone: UTC in the files, the zone beside it; a formula is defused.
    const zoned = await alice.post(url('timeline'), {
      at: '2026-11-05T09:00:00+02:00',
      sourceTimeZone: 'Europe/Riga',
      hostId: rootHost,
      description: '=HYPERLINK("http://x") first logon',
      source: 'evtx',
      indicatorIds: [ioc.body.indicator.id],
      tlp: 'CLEAR',
    });
    expect(zoned.status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await server.stop();
  });

  const sees = (team: string, item: Item) => canSee(teamId[team]!, item.marked);

  /** Every item's text is in `text` exactly when `format` carries its kind and `visible` says so; no sample bytes ever. */
  function exactly(who: string, format: Format, text: string, visible: (i: Item) => boolean) {
    for (const i of items) {
      const expected = CARRIED_BY[i.kind].includes(format) && visible(i);
      expect({ who, format, needle: i.needle, present: text.includes(i.needle) }).toEqual({ who, format, needle: i.needle, present: expected });
    }
    for (const c of contents) expect({ who, format, content: c, present: text.includes(c) }).toEqual({ who, format, content: c, present: false });
  }

  it('the owner team exports every item in the formats that carry it', async () => {
    for (const format of FORMATS) exactly('alice (US owner)', format, await exportText(alice, format), () => true);
    const summary = await alice.get(url('export'));
    expect(summary.body).toMatchObject({ hosts: 26, networks: 26, findings: 26, samples: 25, timelineEvents: 26 });
  });

  it("exports for the caller's own team hold exactly the hunt items it may see", async () => {
    for (const v of viewers) {
      for (const format of FORMATS) exactly(v.name, format, await exportText(v.api, format), (i) => sees(v.team, i));
      const summary = await v.api.get(url('export'));
      const count = (kind: Kind) => items.filter((i) => i.kind === kind && sees(v.team, i)).length;
      expect({ who: v.name, ...summary.body }).toMatchObject({
        who: v.name,
        hosts: count('host') + 1,
        findings: count('finding') + 1,
        samples: count('sample'),
        timelineEvents: count('event') + 1,
      });
    }
  });

  it('an owner of another team exports for every recipient only what both teams see, and the audit row counts it', async () => {
    const ben = viewers[0]!.api;
    expect((await alice.patch(url('members/ben'), { role: 'owner' })).status).toBe(200);
    try {
      for (const recipient of ['US', 'CA', 'LV']) {
        for (const format of FORMATS) exactly(`ben (CA owner) for ${recipient}`, format, await exportText(ben, format, recipient), (i) => sees(recipient, i) && sees('CA', i));
      }
      const trail = (await ben.get(url('audit'))).body.entries as { action: string; detail: Record<string, unknown> }[];
      const last = trail.find((e) => e.action === 'export.created' && e.detail.recipient === 'LV' && e.detail.format === 'package.zip')!;
      const both = (kind: Kind) => items.filter((i) => i.kind === kind && sees('LV', i) && sees('CA', i)).length;
      expect(last.detail).toMatchObject({ hosts: both('host') + 1, findings: both('finding') + 1, samples: both('sample'), timelineEvents: both('event') + 1 });
    } finally {
      expect((await alice.patch(url('members/ben'), { role: 'hunter' })).status).toBe(200);
    }
  });

  it('the STIX bundle is valid against the OASIS schemas: hosts and events as observed data, the linked indicator as a sighting on the host', async () => {
    // A host known by its addresses only (as from a scan): IPv4, IPv6 and MAC observables, no name.
    const root = (await alice.get(url('networks?q=root'))).body.items[0].id as string;
    const nameless = await alice.post(url('hosts'), { networkId: root, addresses: ['10.0.0.9', 'FE80::1', '00-11-22-AA-BB-CC'], tlp: 'CLEAR' });
    expect(nameless.status).toBe(201);
    const bundle = JSON.parse(await exportText(alice, 'stix')) as { objects: Record<string, any>[] };
    expect((await alice.delete(url(`hosts/${nameless.body.host.id}`))).status).toBe(200);
    expect(stixSchemaErrors(bundle)).toEqual([]);
    const scan = bundle.objects.find((o) => o.type === 'observed-data' && o.object_refs.length === 3 && o.object_refs[0].startsWith('ipv4-addr--'))!;
    expect(scan.object_refs.map((r: string) => r.split('--')[0])).toEqual(['ipv4-addr', 'ipv6-addr', 'mac-addr']);
    const byId = new Map(bundle.objects.map((o) => [o.id as string, o]));
    const ioc = bundle.objects.find((o) => o.type === 'indicator' && o.name === 'linked.hunt-export.example.org')!;
    const sighting = bundle.objects.find((o) => o.type === 'sighting' && o.sighting_of_ref === ioc.id && o.description === 'Run key on root-host')!;
    expect(sighting).toBeDefined();
    const onHost = byId.get(sighting.observed_data_refs[0]);
    expect(onHost).toMatchObject({ type: 'observed-data', labels: expect.arrayContaining(['host-state:not-examined']) });
    expect(onHost!.object_refs.map((r: string) => byId.get(r)).map((o: any) => [o.type, o.value])).toEqual([
      ['domain-name', 'root-host'],
      ['ipv4-addr', '10.0.0.1'],
    ]);
    expect(byId.get(sighting.where_sighted_refs[0])).toMatchObject({ type: 'identity', name: expect.stringContaining('(US)') });
    // A sample is a file observable with its three hashes and no content.
    const files = bundle.objects.filter((o) => o.type === 'file');
    expect(files).toHaveLength(25);
    for (const f of files) expect(Object.keys(f.hashes).sort()).toEqual(['MD5', 'SHA-1', 'SHA-256']);
    // The event written at 09:00+02:00 is observed at 07:00Z, its note keeps the zone.
    const zoned = bundle.objects.find((o) => o.type === 'note' && typeof o.content === 'string' && o.content.endsWith('first logon'))!;
    expect(zoned.abstract).toContain('Europe/Riga');
    expect(byId.get(zoned.object_refs[0])).toMatchObject({ type: 'observed-data', first_observed: '2026-11-05T07:00:00.000Z' });
    expect(zoned.object_refs).toContain(ioc.id);
    // ...and the check can fail: an observed-data without what it observed is refused.
    const broken = structuredClone(bundle);
    delete broken.objects.find((o) => o.type === 'observed-data')!.object_refs;
    expect(stixSchemaErrors(broken)).not.toEqual([]);
  });

  it('the MISP event holds hosts, samples and events as MISP objects of the standard templates', async () => {
    const event = JSON.parse(await exportText(viewers[0]!.api, 'misp')).Event as { Object: Record<string, any>[] };
    const byName = (name: string) => event.Object.filter((o) => o.name === name);
    const root = byName('device').find((o) => o.Attribute.some((a: any) => a.object_relation === 'name' && a.value === 'root-host'))!;
    expect(root.template_uuid).toBe('0c64b41a-e583-4f4d-ac92-d484163b9e52');
    expect(root.Attribute.find((a: any) => a.object_relation === 'ip-address')).toMatchObject({ type: 'ip-src', value: '10.0.0.1', to_ids: false, distribution: '3' });
    const visibleSamples = items.filter((i) => i.kind === 'sample' && sees('CA', i)).length;
    expect(byName('file')).toHaveLength(visibleSamples);
    for (const f of byName('file')) expect(f.Attribute.map((a: any) => a.object_relation).sort()).toEqual(['filename', 'md5', 'sha1', 'sha256', 'size-in-bytes']);
    const zoned = byName('timesketch-timeline').find((o) => o.Attribute.some((a: any) => a.value === '=HYPERLINK("http://x") first logon'))!;
    expect(zoned.comment).toContain('source zone Europe/Riga');
    expect(zoned.Attribute.find((a: any) => a.object_relation === 'datetime').value).toBe('2026-11-05T07:00:00.000Z');
    // A US-only event's object would say distribution 0 (organisation only); CA sees none of them.
    expect(JSON.stringify(event)).not.toContain('EVENT-red-us-zq');
  });

  it('the hosts and timeline CSVs: RFC 4180 with a header, a TLP per row, UTC times in order, formulas defused', async () => {
    const hosts = csvRows(await exportText(viewers[1]!.api, 'hosts.csv'));
    expect(hosts[0]!.join(',')).toBe(HOST_HEADER);
    const lvHosts = items.filter((i) => i.kind === 'host' && sees('LV', i));
    expect(hosts).toHaveLength(1 + lvHosts.length + 1);
    for (const row of hosts.slice(1)) {
      expect(row).toHaveLength(13);
      expect(TLP_LEVELS).toContain(row[10]);
    }
    const rootRow = hosts.find((r) => r[0] === 'root-host')!;
    expect(rootRow).toEqual(['root-host', '10.0.0.1', 'root network', '', 'other', 'medium', 'not-examined', '', '', '', 'CLEAR', '', 'US']);
    for (const h of lvHosts) {
      const row = hosts.find((r) => r[0] === h.needle)!;
      expect({ host: h.needle, tlp: row[10], state: row[6], rel: row[11] }).toEqual({
        host: h.needle,
        tlp: h.marked.marking.tlp,
        state: 'suspicious',
        rel: h.marked.marking.releasableTo.map((id) => Object.keys(teamId).find((c) => teamId[c] === id)).join(' '),
      });
    }

    const timeline = csvRows(await exportText(viewers[1]!.api, 'timeline.csv'));
    expect(timeline[0]!.join(',')).toBe(TIMELINE_HEADER);
    const rows = timeline.slice(1);
    expect(rows).toHaveLength(items.filter((i) => i.kind === 'event' && sees('LV', i)).length + 1);
    expect(rows.map((r) => r[0])).toEqual(rows.map((r) => r[0]).sort());
    expect(rows[0]).toEqual([
      '2026-11-05T07:00:00.000Z',
      'Europe/Riga',
      'root-host',
      'root network',
      'US',
      '\'=HYPERLINK("http://x") first logon',
      'evtx',
      '',
      'linked.hunt-export.example.org',
      '',
      'CLEAR',
      '',
      'US',
    ]);
    for (const row of rows) expect(row).toHaveLength(13);
  });
});
