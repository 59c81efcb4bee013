/**
 * STIX 2.1 round trip: a workspace holding indicators of every type, every TLP level, every status,
 * releasability, tags, confidence, sources, techniques, comments with their own markings and sightings
 * is exported through the real export route, read by the shared importer (the code the browser's import
 * worker runs) and committed into a FRESH workspace as an import does: `indicator:bulkCreate` with each
 * candidate's item and its sighting items, then `comment:add` for each comment with its own marking.
 * The fresh workspace then holds the same values, types, markings, statuses, techniques, comments and
 * sighting counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateSightingItems, candidateToItem, HUNTROOM_EXTENSION_ID, importStix, INDICATOR_TYPES } from '@huntroom/shared';
import { makeWorkspace } from '../helpers/foundation.js';
import { huntroomExtensionErrors, stixSchemaErrors } from '../helpers/stixSchema.js';
import { connect, startTwoTeams, type TwoTeams } from './indicators-helpers.js';

const YARA = 'rule rt_dropper : loader\n{\n  strings:\n    $a = "it\'s a \\\\path"\n  condition:\n    $a\n}';

/** One indicator of every Huntroom type, spread over the levels, statuses and team lists. */
const SENT = [
  { type: 'ip-src', value: '198.51.100.10', tlp: 'AMBER', status: 'confirmed', confidence: 90, releasableTo: ['CA', 'US'] },
  // An address seen with two ports: 8443 written with it, 443 as its port tag; stored as the address with both tags.
  { type: 'ip-dst', value: '203.0.113.9:8443', tlp: 'RED', status: 'investigating', confidence: 70, tags: ['port:443'] },
  { type: 'ip-dst', value: '2001:db8::7', tlp: 'GREEN', status: 'new' },
  { type: 'cidr', value: '223.166.0.0/15', tlp: 'GREEN', status: 'confirmed', tags: ['range'] },
  { type: 'domain', value: 'rt-evil.example.net', tlp: 'AMBER+STRICT', status: 'confirmed', techniques: ['T1071.001', 'T1566'], source: 'vendor report, p. 4' },
  { type: 'hostname', value: 'c2.rt-evil.example.net', tlp: 'CLEAR', status: 'benign', tags: ['say "hi"', 'misp:type="hostname"'] },
  { type: 'url', value: 'http://rt-evil.example.net/a?b=1', tlp: 'GREEN', status: 'false-positive', confidence: 0 },
  { type: 'email', value: 'Boss@rt-evil.example.net', tlp: 'AMBER', status: 'new' },
  // An end of validity written with an offset: exported as valid_until in UTC, read back the same.
  { type: 'md5', value: 'a'.repeat(32), tlp: 'GREEN', status: 'new', validUntil: '2031-01-02T03:04:05+01:00' },
  { type: 'sha1', value: 'b'.repeat(40), tlp: 'GREEN', status: 'new' },
  { type: 'sha256', value: 'c'.repeat(64), tlp: 'RED', status: 'confirmed', techniques: ['T1059.001'] },
  { type: 'sha512', value: 'd'.repeat(128), tlp: 'GREEN', status: 'new' },
  { type: 'ssdeep', value: '96:abcDEF+/x:ghiJKL', tlp: 'GREEN', status: 'new' },
  { type: 'filename', value: 'invoice.pdf.exe', tlp: 'GREEN', status: 'new' },
  { type: 'filepath', value: 'C:\\Users\\Public\\svc.exe', tlp: 'AMBER', status: 'confirmed' },
  { type: 'filepath', value: '/tmp/.x/run.sh', tlp: 'GREEN', status: 'new' },
  { type: 'regkey', value: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\it's", tlp: 'GREEN', status: 'new' },
  { type: 'mutex', value: 'Global\\rt_mutex', tlp: 'GREEN', status: 'new' },
  { type: 'user-agent', value: "Mozilla/5.0 (RT; 'quoted')", tlp: 'GREEN', status: 'new' },
  { type: 'as', value: 'AS64500', tlp: 'CLEAR', status: 'new' },
  { type: 'cve', value: 'CVE-2024-3400', tlp: 'CLEAR', status: 'confirmed', techniques: ['T1190'], confidence: 95 },
  { type: 'btc', value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', tlp: 'AMBER', status: 'new' },
  { type: 'ja3', value: 'e7d705a3286e19ea42f587b344ee6865', tlp: 'GREEN', status: 'new' },
  { type: 'yara', value: YARA, tlp: 'AMBER', status: 'new' },
  { type: 'other', value: 'beacon interval 60s jitter 10%', tlp: 'GREEN', status: 'investigating' },
] as const;

describe('STIX 2.1 export imports back into a fresh workspace without loss', () => {
  let t: TwoTeams;
  beforeAll(async () => {
    t = await startTwoTeams();
  });
  afterAll(() => t.stop());

  it('every type, level, status, team list, technique, comment and sighting', async () => {
    expect(new Set(SENT.map((s) => s.type))).toEqual(new Set(INDICATOR_TYPES));
    const src = await makeWorkspace(t.alice.api, 'stix-rt-src');
    const alice = await connect(t.server.url, t.alice.api, src);
    const made = await alice.cmd('indicator:bulkCreate', { items: SENT });
    expect(made).toMatchObject({ ok: true, data: { created: SENT.length, rejected: [] } });
    const list = async (ws: string) => (await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=100`)).body.items as any[];
    const ids = new Map((await list(src)).map((i) => [`${i.type}|${i.value}`, i.id]));
    const id = (type: string, value: string) => ids.get(`${type}|${value}`)!;

    // Comments with their own markings: as the indicator, stricter, limited to one team, and a CVE's.
    for (const [type, value, body, marking] of [
      ['domain', 'rt-evil.example.net', 'Seen in the phishing wave of week 12.', {}],
      ['domain', 'rt-evil.example.net', 'Source is a partner\'s "sensitive" feed.', { tlp: 'RED' }],
      ['ip-src', '198.51.100.10', 'Only for the US desk.', { tlp: 'AMBER', releasableTo: ['US'] }],
      ['cve', 'CVE-2024-3400', 'Patched on the edge firewalls.', { tlp: 'GREEN' }],
    ] as const) {
      const ack = await alice.cmd('comment:add', { indicatorId: id(type, value), body, ...marking });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
    // Sightings: two of the domain, one of the CVE.
    for (const [type, value, context] of [
      ['domain', 'rt-evil.example.net', 'proxy logs'],
      ['domain', 'rt-evil.example.net', ''],
      ['cve', 'CVE-2024-3400', 'scanner hit'],
    ] as const) {
      const ack = await alice.cmd('sighting:add', { indicatorId: id(type, value), ...(context ? { context } : {}) });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }

    const res = await fetch(`${t.server.url}/api/workspaces/${src}/export/stix?recipient=US`, { headers: { cookie: t.alice.api.cookie! } });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { objects: Record<string, any>[] };
    // The extension is defined in the bundle, with its schema and kind, and used by the indicators.
    expect(bundle.objects.find((o) => o.id === HUNTROOM_EXTENSION_ID)).toMatchObject({
      type: 'extension-definition',
      extension_types: ['property-extension'],
      schema: expect.stringContaining('huntroom-indicator-extension.json'),
    });
    expect(bundle.objects.filter((o) => o.type === 'note')).toHaveLength(4);
    expect(bundle.objects.filter((o) => o.type === 'sighting')).toHaveLength(3);

    // Valid against the OASIS STIX 2.1 schemas, extension, notes and sightings included.
    expect(stixSchemaErrors(bundle)).toEqual([]);
    // Each use of Huntroom's extension is valid against its published schema (docs/schemas).
    const extensionErrors = bundle.objects.flatMap((o) =>
      o.extensions?.[HUNTROOM_EXTENSION_ID] ? huntroomExtensionErrors(o.extensions[HUNTROOM_EXTENSION_ID]).map((e) => `${o.id}: ${e}`) : [],
    );
    expect(extensionErrors).toEqual([]);
    expect(bundle.objects.filter((o) => o.extensions?.[HUNTROOM_EXTENSION_ID]).length).toBe(SENT.length + 1); // and the team-limited comment
    expect(huntroomExtensionErrors({ extension_type: 'property-extension', status: 'pwned', releasable_to: [] })).toHaveLength(2);
    // ...and the check can fail: an empty list, an indicator without its pattern, an empty team list.
    expect(stixSchemaErrors({ ...bundle, objects: [] })).not.toEqual([]);
    const broken = structuredClone(bundle);
    const first = broken.objects.find((o) => o.type === 'indicator')!;
    delete first.pattern;
    first.extensions[HUNTROOM_EXTENSION_ID].releasable_to = [];
    expect(stixSchemaErrors(broken)).toEqual(
      expect.arrayContaining([expect.stringMatching(/required property 'pattern'/), expect.stringMatching(/releasable_to: must NOT have fewer than 1 items/)]),
    );

    const candidates = importStix(bundle);
    expect(candidates.filter((c) => c.error)).toEqual([]);
    expect(candidates).toHaveLength(SENT.length);

    // Committed as an import does: the items (and sighting items after them), then each comment.
    const dst = await makeWorkspace(t.alice.api, 'stix-rt-dst');
    const into = await connect(t.server.url, t.alice.api, dst);
    const items = [...candidates.map((c) => candidateToItem(c, 'GREEN')), ...candidates.flatMap((c) => candidateSightingItems(c, 'GREEN'))];
    const ack = await into.cmd('indicator:bulkCreate', { items });
    expect(ack).toMatchObject({ ok: true, data: { created: SENT.length, sighted: 3, rejected: [] } });
    const fresh = new Map((await list(dst)).map((i) => [`${i.type}|${i.value}`, i.id]));
    for (const c of candidates) {
      for (const comment of c.comments ?? []) {
        const added = await into.cmd('comment:add', {
          indicatorId: fresh.get(`${c.type}|${c.value}`),
          body: comment.body,
          ...(comment.tlp ? { tlp: comment.tlp } : {}),
          ...(comment.releasableTo ? { releasableTo: comment.releasableTo } : {}),
        });
        expect(added.ok, JSON.stringify(added)).toBe(true);
      }
    }

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
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
      sightingCount: i.sightingCount,
      validUntil: i.validUntil,
    });
    const sorted = (l: any[]) => l.map(pick).sort((a, b) => `${a.type}|${a.value}`.localeCompare(`${b.type}|${b.value}`));
    const had = await list(src);
    expect(had).toHaveLength(SENT.length);
    expect(sorted(await list(dst))).toEqual(sorted(had));
    // Not vacuous: the things a lossy path dropped are there.
    expect(sorted(had).find((i) => i.type === 'hostname')).toMatchObject({ status: 'benign', tags: ['say "hi"', 'misp:type="hostname"'] });
    expect(sorted(had).find((i) => i.type === 'ip-src')).toMatchObject({ releasableTo: ['CA', 'US'] });
    // The address with two ports: one indicator with both, written as network-traffic with dst_port (one observation per port).
    expect(sorted(await list(dst)).find((i) => i.value === '203.0.113.9')).toMatchObject({ type: 'ip-dst', tags: ['port:443', 'port:8443'] });
    const withPorts = bundle.objects.find((o) => o.type === 'indicator' && o.name === '203.0.113.9')!;
    expect(withPorts.pattern).toBe(
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 443] OR [network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 8443]",
    );
    expect(withPorts.labels).toBeUndefined();
    // valid_until written as STIX has it, and back on the fresh workspace's indicator.
    expect(bundle.objects.find((o) => o.type === 'indicator' && o.name === 'a'.repeat(32))).toMatchObject({ valid_until: '2031-01-02T02:04:05.000Z' });
    expect(sorted(await list(dst)).find((i) => i.type === 'md5')).toMatchObject({ validUntil: '2031-01-02T02:04:05.000Z' });
    expect(sorted(had).find((i) => i.type === 'domain')).toMatchObject({
      tlp: 'AMBER+STRICT',
      techniques: ['T1071.001', 'T1566'],
      sightingCount: 2,
      source: 'vendor report, p. 4',
    });

    const commentsOf = async (ws: string, key: string) => {
      const indicatorId = new Map((await list(ws)).map((i) => [`${i.type}|${i.value}`, i.id])).get(key);
      return ((await t.alice.api.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body.comments as any[])
        .map((c) => ({ body: c.body, tlp: c.tlp, releasableTo: [...c.releasableTo].sort() }))
        .sort((a, b) => a.body.localeCompare(b.body));
    };
    for (const key of ['domain|rt-evil.example.net', 'ip-src|198.51.100.10', 'cve|CVE-2024-3400', 'md5|' + 'a'.repeat(32)]) {
      expect(await commentsOf(dst, key), key).toEqual(await commentsOf(src, key));
    }
    expect((await commentsOf(dst, 'domain|rt-evil.example.net')).map((c) => c.tlp).sort()).toEqual(['AMBER+STRICT', 'RED']);
    expect(await commentsOf(dst, 'ip-src|198.51.100.10')).toEqual([{ body: 'Only for the US desk.', tlp: 'AMBER', releasableTo: ['US'] }]);

    // The same file through the import route, as the dialog and scripts commit it: the same result.
    const viaRoute = await makeWorkspace(t.alice.api, 'stix-rt-route');
    const imported = await t.alice.api.post(`/api/workspaces/${viaRoute}/indicators/import`, { format: 'stix', content: JSON.stringify(bundle), keepBenign: true });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toMatchObject({ created: SENT.length, merged: 0, sightings: 3, rejected: [], skipped: [] });
    expect(sorted(await list(viaRoute))).toEqual(sorted(had));
    for (const key of ['domain|rt-evil.example.net', 'ip-src|198.51.100.10', 'cve|CVE-2024-3400']) {
      expect(await commentsOf(viaRoute, key), key).toEqual(await commentsOf(src, key));
    }
    // Imported again: every value merges, and neither the comments nor the sightings are added a second time.
    const again = await t.alice.api.post(`/api/workspaces/${viaRoute}/indicators/import`, { format: 'stix', content: JSON.stringify(bundle), keepBenign: true });
    expect(again.body).toMatchObject({ created: 0, merged: SENT.length, sightings: 0, rejected: [] });
    expect(sorted(await list(viaRoute))).toEqual(sorted(had));
    expect(await commentsOf(viaRoute, 'domain|rt-evil.example.net')).toEqual(await commentsOf(src, 'domain|rt-evil.example.net'));
    alice.close();
    into.close();
  });

  it("a foreign bundle's notes through the import route: each its own marking, an unknown team refuses that note alone", async () => {
    const ws = await makeWorkspace(t.alice.api, 'stix-notes-route');
    const ext = (teams: string[]) => ({ extensions: { [HUNTROOM_EXTENSION_ID]: { extension_type: 'property-extension', releasable_to: teams } } });
    const file = {
      type: 'bundle',
      id: 'bundle--5e0c7d2a-1f3b-4c5d-8e9f-0a1b2c3d4e5f',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--1',
          created: '2024-01-01T00:00:00Z',
          modified: '2024-01-01T00:00:00Z',
          pattern: "[domain-name:value = 'notes-c2.bad-actor.net']",
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
        },
        {
          type: 'note',
          spec_version: '2.1',
          id: 'note--1',
          content: 'RED detail',
          object_refs: ['indicator--1'],
          object_marking_refs: ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'],
        },
        { type: 'note', spec_version: '2.1', id: 'note--2', content: 'for a team nobody has', object_refs: ['indicator--1'], ...ext(['ZZ']) },
        { type: 'opinion', spec_version: '2.1', id: 'opinion--1', opinion: 'agree', object_refs: ['indicator--1'], ...ext(['US']) },
      ],
    };
    const res = await t.alice.api.post(`/api/workspaces/${ws}/indicators/import`, { format: 'stix', content: JSON.stringify(file) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: 1, rejected: [{ value: 'comment on notes-c2.bad-actor.net', reason: expect.stringMatching(/ZZ/) }] });
    const [indicator] = (await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=10`)).body.items as any[];
    const comments = ((await t.alice.api.get(`/api/workspaces/${ws}/indicators/${indicator.id}`)).body.comments as any[]).map((c) => ({
      body: c.body,
      tlp: c.tlp,
      releasableTo: c.releasableTo,
    }));
    expect(comments).toEqual(
      expect.arrayContaining([
        { body: 'RED detail', tlp: 'RED', releasableTo: [] },
        { body: 'Opinion: agree', tlp: indicator.tlp, releasableTo: ['US'] },
      ]),
    );
    expect(comments).toHaveLength(2);
  });
});
