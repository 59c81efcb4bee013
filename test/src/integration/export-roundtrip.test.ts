/**
 * Export -> import round trips through the product's own paths (issue 16): a workspace holding
 * indicators of every type, every TLP level, several statuses, team lists, techniques, tags, sources,
 * confidence, comments (some the export must leave out) and sightings is exported through the real
 * export route (`GET /api/workspaces/:id/export/:format`) as MISP and as CSV, and each file is imported
 * into a FRESH workspace through the real import route (`POST /api/workspaces/:id/indicators/import`,
 * what the import dialog commits through). Each indicator is then compared field by field with the one
 * it came from, and its comments and sightings one by one. The ATT&CK board's Navigator layer goes the
 * same way through the layer export and the layer import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_TYPES } from '@huntroom/shared';
import { makeWorkspace } from '../helpers/foundation.js';
import { connect, startTwoTeams, type Client, type TwoTeams } from './indicators-helpers.js';
import { importJson } from './import-helpers.js';

const YARA = 'rule rt_loader\n{\n  strings:\n    $a = "say \\"hi\\""\n  condition:\n    $a\n}';

/** Every Huntroom type, spread over the levels, statuses, team lists, tags, techniques and sources. */
const SENT = [
  { type: 'ip-src', value: '198.51.100.10', tlp: 'AMBER', status: 'confirmed', confidence: 90, releasableTo: ['CA', 'US'], source: 'firewall logs' },
  // An address seen with two ports: 8443 written with it, 443 as its port tag; stored as the address with both tags.
  { type: 'ip-dst', value: '203.0.113.9:8443', tlp: 'RED', status: 'investigating', confidence: 70, releasableTo: ['CA'], tags: ['port:443'] },
  { type: 'ip-dst', value: '2001:db8::7', tlp: 'GREEN', status: 'new' },
  { type: 'cidr', value: '223.166.0.0/15', tlp: 'GREEN', status: 'confirmed', tags: ['range'] },
  { type: 'domain', value: 'rt-evil.example.net', tlp: 'AMBER', status: 'confirmed', techniques: ['T1071.001', 'T1566'], source: 'vendor report, p. 4' },
  { type: 'hostname', value: 'c2.rt-evil.example.net', tlp: 'CLEAR', status: 'benign', tags: ['say "hi"', 'misp-galaxy:threat-actor="Sofacy"', 'port:8080'] },
  { type: 'url', value: 'http://rt-evil.example.net/a?b=1', tlp: 'GREEN', status: 'false-positive', confidence: 0 },
  { type: 'email', value: 'boss@rt-evil.example.net', tlp: 'AMBER+STRICT', status: 'new' },
  // An end of validity written with an offset: kept in UTC (STIX valid_until, CSV valid_until, MISP huntroom:valid-until).
  { type: 'md5', value: 'a'.repeat(32), tlp: 'GREEN', status: 'new', source: 'sandbox "run 7"', validUntil: '2031-01-02T03:04:05+01:00' },
  // A malware hash MISP marked to_ids off (a vendor's whole event): not for detection, yet not benign.
  { type: 'sha1', value: 'b'.repeat(40), tlp: 'GREEN', status: 'new', tags: ['misp:to_ids="false"'] },
  { type: 'sha256', value: 'c'.repeat(64), tlp: 'RED', status: 'confirmed', techniques: ['T1059.001'] },
  { type: 'sha512', value: 'd'.repeat(128), tlp: 'AMBER', status: 'new', releasableTo: ['LV'] },
  { type: 'ssdeep', value: '96:abcDEF+/x:ghiJKL', tlp: 'GREEN', status: 'new' },
  { type: 'filename', value: 'invoice.pdf.exe', tlp: 'GREEN', status: 'new' },
  { type: 'filepath', value: 'C:\\Users\\Public\\svc.exe', tlp: 'AMBER', status: 'confirmed' },
  { type: 'regkey', value: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\rtsvc', tlp: 'GREEN', status: 'new' },
  { type: 'mutex', value: 'Global\\rt_mutex', tlp: 'GREEN', status: 'new' },
  { type: 'user-agent', value: 'Mozilla/5.0 (RT; quoted)', tlp: 'GREEN', status: 'new' },
  { type: 'as', value: 'AS64500', tlp: 'CLEAR', status: 'new' },
  { type: 'cve', value: 'CVE-2024-3400', tlp: 'CLEAR', status: 'confirmed', techniques: ['T1190'], confidence: 95, validUntil: '2030-06-30T00:00:00Z' },
  { type: 'btc', value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', tlp: 'AMBER', status: 'new' },
  { type: 'ja3', value: 'e7d705a3286e19ea42f587b344ee6865', tlp: 'GREEN', status: 'new' },
  { type: 'yara', value: YARA, tlp: 'AMBER', status: 'new' },
  { type: 'other', value: 'beacon interval 60s jitter 10%', tlp: 'GREEN', status: 'investigating' },
] as const;

const key = (i: { type: string; value: string }) => `${i.type}|${i.value}`;

/** Comments added in the source: [indicator key, body, marking]. */
const COMMENTS = [
  ['domain|rt-evil.example.net', 'Seen in the phishing wave of week 12.', {}],
  // Stricter than its indicator: a re-import would give it the indicator's marking, so it stays out.
  ['domain|rt-evil.example.net', 'Partner feed, "do not share".', { tlp: 'RED' }],
  // As visible as its indicator (the default: its teams and the owner): travels.
  ['ip-src|198.51.100.10', 'Scanning our VPN since Monday.', {}],
  // Kept to one team of the indicator's two: CA would gain it on re-import, so it stays out.
  ['ip-src|198.51.100.10', 'Only for the US desk.', { tlp: 'AMBER', releasableTo: ['US'] }],
  // GREEN on a CLEAR indicator: would come back CLEAR, so it stays out.
  ['cve|CVE-2024-3400', 'Patched on the edge firewalls.', { tlp: 'GREEN' }],
  ['md5|' + 'a'.repeat(32), 'First run: drops svc.exe.', {}],
  ['md5|' + 'a'.repeat(32), '=HYPERLINK("x") looks like a formula, stays text.', {}],
] as const;

/** The comments that travel, per indicator: the others would come back looser. */
const TRAVELLING: Record<string, string[]> = {
  'domain|rt-evil.example.net': ['Seen in the phishing wave of week 12.'],
  'ip-src|198.51.100.10': ['Scanning our VPN since Monday.'],
  ['md5|' + 'a'.repeat(32)]: ['First run: drops svc.exe.', '=HYPERLINK("x") looks like a formula, stays text.'],
};

const pick = (i: any) => ({
  type: i.type,
  value: i.value,
  tlp: i.tlp,
  releasableTo: [...i.releasableTo].sort(),
  status: i.status,
  confidence: i.confidence,
  tags: i.tags,
  techniques: [...i.techniques].sort(),
  source: i.source,
  validUntil: i.validUntil,
});

describe('export -> import round trips into a fresh workspace', () => {
  let t: TwoTeams;
  let src: string;
  let alice: Client;
  /** Whole seconds (MISP sightings carry seconds), after the indicators were made. */
  let sightingTimes: string[];

  const list = async (ws: string) => {
    const res = await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const detail = async (ws: string, id: string) => (await t.alice.api.get(`/api/workspaces/${ws}/indicators/${id}`)).body as { comments: any[]; sightings: any[] };
  const exportFile = async (format: string, recipient = 'US') => {
    const res = await fetch(`${t.server.url}/api/workspaces/${src}/export/${format}?recipient=${recipient}`, { headers: { cookie: t.alice.api.cookie! } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    t = await startTwoTeams();
    src = await makeWorkspace(t.alice.api, 'round-trip-src');
    alice = await connect(t.server.url, t.alice.api, src);
    const made = await alice.cmd('indicator:bulkCreate', { items: SENT });
    expect(made).toMatchObject({ ok: true, data: { created: SENT.length, rejected: [] } });
    const ids = new Map((await list(src)).map((i) => [key(i), i.id]));
    for (const [k, body, marking] of COMMENTS) {
      const ack = await alice.cmd('comment:add', { indicatorId: ids.get(k), body, ...marking });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
    const base = Math.ceil(Date.now() / 1000) * 1000;
    sightingTimes = [60, 120, 180].map((s) => new Date(base + s * 1000).toISOString());
    for (const [k, seenAt, context] of [
      ['domain|rt-evil.example.net', sightingTimes[0], 'proxy logs'],
      ['domain|rt-evil.example.net', sightingTimes[1], ''],
      ['cve|CVE-2024-3400', sightingTimes[2], 'scanner hit'],
    ] as const) {
      const ack = await alice.cmd('sighting:add', { indicatorId: ids.get(k), seenAt, ...(context ? { context } : {}) });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
  }, 60_000);
  afterAll(async () => {
    alice?.close();
    await t?.stop();
  });

  /** Imports `content` into a fresh workspace through the import route, every row kept (benign ones too, as ticked). */
  async function importFresh(name: string, format: 'misp' | 'csv', content: string) {
    const dst = await makeWorkspace(t.alice.api, name);
    const res = await importJson(t.alice.api, dst, { format, content, keepBenign: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ format, rejected: [], skipped: [], created: SENT.length });
    return { dst };
  }

  /**
   * Every indicator of `dst` equals its source and carries exactly the comments that travel, with the
   * indicator's marking: MISP as they were, one by one (analyst notes); CSV as one first comment.
   */
  async function expectSameIndicatorsAndComments(dst: string, comments: 'each' | 'joined') {
    const had = new Map((await list(src)).map((i) => [key(i), i]));
    const got = new Map((await list(dst)).map((i) => [key(i), i]));
    expect([...got.keys()].sort()).toEqual([...had.keys()].sort());
    expect(new Set([...got.values()].map((i) => i.type))).toEqual(new Set(INDICATOR_TYPES));
    for (const [k, i] of had) expect(pick(got.get(k)), k).toEqual(pick(i));
    const commentsOf = async (ws: string, id: string) =>
      (await detail(ws, id)).comments.map((c) => ({ body: c.body, tlp: c.tlp, releasableTo: [...c.releasableTo].sort() })).sort((a, b) => a.body.localeCompare(b.body));
    for (const [k, i] of got) {
      const teams = i.releasableTo.length ? [...new Set([...i.releasableTo, 'US'])].sort() : [];
      const bodies = TRAVELLING[k] ?? [];
      const want = comments === 'joined' ? (bodies.length ? [bodies.join('\n\n')] : []) : [...bodies].sort((a, b) => a.localeCompare(b));
      expect(await commentsOf(dst, i.id), k).toEqual(want.map((body) => ({ body, tlp: i.tlp, releasableTo: teams })));
      // One by one, they are the source's comments as they were (body and marking).
      if (comments === 'each') expect(await commentsOf(dst, i.id), k).toEqual((await commentsOf(src, had.get(k).id)).filter((c) => bodies.includes(c.body)));
    }
    // Not vacuous: what lossy paths dropped is there.
    expect(got.get('md5|' + 'a'.repeat(32)).validUntil).toBe('2031-01-02T02:04:05.000Z');
    expect(got.get('cve|CVE-2024-3400').validUntil).toBe('2030-06-30T00:00:00.000Z');
    expect(pick(got.get('hostname|c2.rt-evil.example.net'))).toMatchObject({
      type: 'hostname',
      status: 'benign',
      tags: ['say "hi"', 'misp-galaxy:threat-actor="Sofacy"', 'port:8080'],
    });
    // One indicator for the address, both ports kept.
    expect(pick(got.get('ip-dst|203.0.113.9'))).toMatchObject({ tlp: 'RED', releasableTo: ['CA'], status: 'investigating', confidence: 70, tags: ['port:443', 'port:8443'] });
    expect(pick(got.get('sha512|' + 'd'.repeat(128)))).toMatchObject({ tlp: 'AMBER', releasableTo: ['LV'] });
    expect(pick(got.get('email|boss@rt-evil.example.net'))).toMatchObject({ tlp: 'AMBER+STRICT' });
    expect(pick(got.get('other|beacon interval 60s jitter 10%'))).toMatchObject({ type: 'other', status: 'investigating' });
    expect(pick(got.get('md5|' + 'a'.repeat(32)))).toMatchObject({ source: 'sandbox "run 7"' });
    expect(pick(got.get('domain|rt-evil.example.net'))).toMatchObject({ techniques: ['T1071.001', 'T1566'], source: 'vendor report, p. 4' });
    return { had, got };
  }

  it('MISP: values, exact types, markings (distribution and teams), statuses, confidence, tags, techniques, sources, comments and sightings', async () => {
    const text = await exportFile('misp');
    const event = JSON.parse(text).Event as { distribution: string; Attribute: Record<string, any>[] };
    const attr = (value: string) => event.Attribute.find((a) => a.value === value)!;
    // MISP-native first: the composite type of an address with its port, to_ids from the status,
    // distribution from the marking (teams named: organisation only), the ATT&CK cluster value.
    // One ip-dst|port attribute per port, the ports not repeated as tags.
    expect(event.Attribute.filter((a) => a.value.startsWith('203.0.113.9')).map((a) => [a.type, a.value])).toEqual([
      ['ip-dst|port', '203.0.113.9|443'],
      ['ip-dst|port', '203.0.113.9|8443'],
    ]);
    expect(attr('203.0.113.9|8443')).toMatchObject({ type: 'ip-dst|port', to_ids: true, distribution: '0' });
    expect(attr('203.0.113.9|443').Tag.map((x: any) => x.name)).not.toContain('port:443');
    // A host name with a port: MISP's hostname|port.
    expect(attr('c2.rt-evil.example.net|8080')).toMatchObject({ type: 'hostname|port', to_ids: false, distribution: '3' });
    expect(attr('rt-evil.example.net')).toMatchObject({ type: 'domain', distribution: '1', comment: 'Seen in the phishing wave of week 12.' });
    expect(attr('rt-evil.example.net').Tag.map((x: any) => x.name)).toContain('misp-galaxy:mitre-attack-pattern="Web Protocols - T1071.001"');
    expect(attr('rt-evil.example.net').Sighting.map((s: any) => [s.type, s.date_sighting])).toEqual(sightingTimes.slice(0, 2).map((at) => ['0', String(Date.parse(at) / 1000)]));
    expect(attr('boss@rt-evil.example.net').distribution).toBe('0');
    // MISP's own to_ids off, kept as a tag at import, goes back out as to_ids false whatever the status.
    expect(attr('b'.repeat(40))).toMatchObject({ type: 'sha1', to_ids: false });
    expect(attr('a'.repeat(32)).to_ids).toBe(true);
    expect(attr('invoice.pdf.exe').distribution).toBe('2');
    expect(event.distribution).toBe('3');
    expect(text).not.toContain('do not share');
    expect(text).not.toContain('Only for the US desk');
    expect(text).not.toContain('Patched on the edge');

    expect(attr('a'.repeat(32)).Tag.map((x: any) => x.name)).toContain('huntroom:valid-until="2031-01-02T02:04:05.000Z"');
    expect(attr('a'.repeat(32)).Note.map((n: any) => [n.note, n.object_type, n.authors])).toEqual(TRAVELLING['md5|' + 'a'.repeat(32)]!.map((b) => [b, 'Attribute', 'US']));
    const { dst } = await importFresh('round-trip-misp', 'misp', text);
    const { had, got } = await expectSameIndicatorsAndComments(dst, 'each');
    // Sightings: count, times (to the second, as MISP keeps them), first and last seen.
    for (const k of had.keys()) {
      const a = had.get(k);
      const b = got.get(k);
      expect({ sightingCount: b.sightingCount, firstSeen: b.firstSeen, lastSeen: b.lastSeen }, k).toEqual({
        sightingCount: a.sightingCount,
        firstSeen: a.firstSeen,
        lastSeen: a.lastSeen,
      });
    }
    // to_ids false came back as the tag, the status unchanged (not benign).
    expect(pick(got.get('sha1|' + 'b'.repeat(40)))).toMatchObject({ status: 'new', tags: ['misp:to_ids="false"'] });
    const domain = got.get('domain|rt-evil.example.net');
    expect(domain.sightingCount).toBe(2);
    expect(domain.lastSeen).toBe(sightingTimes[1]);
    const seen = (await detail(dst, domain.id)).sightings.map((s) => ({ seenAt: s.seenAt, context: s.context })).sort((x, y) => x.seenAt.localeCompare(y.seenAt));
    expect(seen).toEqual([
      { seenAt: sightingTimes[0], context: 'proxy logs' },
      { seenAt: sightingTimes[1], context: 'MISP sighting by US' },
    ]);
    expect((await detail(dst, got.get('cve|CVE-2024-3400').id)).sightings.map((s) => ({ seenAt: s.seenAt, context: s.context }))).toEqual([
      { seenAt: sightingTimes[2], context: 'scanner hit' },
    ]);
  });

  it('CSV: values, types, markings, statuses, confidence, tags, techniques, sources and comments', async () => {
    const text = await exportFile('csv');
    expect(text).not.toContain('do not share');
    expect(text).not.toContain('Only for the US desk');
    expect(text.split('\r\n')[0]).toContain(',last_seen,valid_until,');
    const { dst } = await importFresh('round-trip-csv', 'csv', text);
    await expectSameIndicatorsAndComments(dst, 'joined');
  });

  it('an export for another team holds only the comments that team may see, and a re-import does not widen them', async () => {
    for (const format of ['misp', 'csv']) {
      const text = await exportFile(format, 'CA');
      // Kept to US: never in CA's file. CA's file has the comment CA may see on the CA+US indicator.
      expect(text, format).not.toContain('Only for the US desk');
      expect(text, format).toContain('Scanning our VPN since Monday.');
      // LV's indicator is not CA's to receive.
      expect(text, format).not.toContain('d'.repeat(128));
    }
  });

  it('Navigator: the board layer re-imports with the same techniques, scores, colours and comments', async () => {
    const layer = {
      name: 'round trip',
      versions: { layer: '4.5', navigator: '5.1.0', attack: '16' },
      domain: 'enterprise-attack',
      techniques: [
        // The team's status and own comment in metadata, as Huntroom writes them; a plain comment for the last.
        {
          techniqueID: 'T1566.001',
          score: 80,
          metadata: [
            { name: 'US', value: 'observed' },
            { name: 'US comment', value: 'phishing wave, week 12' },
          ],
        },
        {
          techniqueID: 'T1071.001',
          score: 40,
          metadata: [
            { name: 'US', value: 'suspected' },
            { name: 'US comment', value: 'beacons over "HTTPS"' },
          ],
        },
        { techniqueID: 'T1059', score: 10, comment: 'looked for it in the EDR, nothing' },
      ],
    };
    const put = await t.alice.api.request('POST', `/api/workspaces/${src}/attack/layer?domain=enterprise-attack&team=US`, JSON.stringify(layer));
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const first = JSON.parse(await exportFile('layer')) as { techniques: Record<string, unknown>[] };
    const dst = await makeWorkspace(t.alice.api, 'round-trip-layer');
    const back = await t.alice.api.request('POST', `/api/workspaces/${dst}/attack/layer?domain=enterprise-attack&team=US`, JSON.stringify(first));
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body).toEqual({ team: 'US', marks: 3 });
    const res = await fetch(`${t.server.url}/api/workspaces/${dst}/export/layer?recipient=US`, { headers: { cookie: t.alice.api.cookie! } });
    const second = (await res.json()) as { techniques: Record<string, unknown>[] };
    const view = (l: { techniques: Record<string, unknown>[] }) =>
      l.techniques
        .map((x) => ({ id: x.techniqueID, score: x.score, color: x.color, comment: x.comment, metadata: x.metadata }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(view(second)).toEqual(view(first));
    expect(view(first).map((x) => [x.id, x.score, x.color])).toEqual([
      ['T1059', 10, '#f5a524'],
      ['T1071.001', 40, '#f5a524'],
      ['T1566.001', 80, '#e5484d'],
    ]);
    expect(view(first).find((x) => x.id === 'T1071.001')!.comment).toBe('US: suspected - beacons over "HTTPS"');
    expect(view(first).find((x) => x.id === 'T1059')!.comment).toBe('US: suspected - looked for it in the EDR, nothing');
  });
});
