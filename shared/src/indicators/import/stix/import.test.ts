import { describe, expect, it } from 'vitest';
import { importStix } from './index.js';
import { HUNTROOM_EXTENSION_ID } from './extension.js';
import type { Candidate } from '../../candidates.js';

const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: 'bundle--1', objects });
const keys = (c: Candidate[]) => c.filter((x) => !x.error).map((x) => `${x.type}|${x.value}`);
const find = (c: Candidate[], value: string) => {
  const hit = c.find((x) => x.value === value);
  if (!hit) throw new Error(`${value} not among ${c.map((x) => x.value).join(', ')}`);
  return hit;
};
const indicator = (id: string, pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${id}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
});

const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
const TLP1_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const TLP2_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const TLP2_CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const OPENCTI_AMBER_STRICT = 'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37';

describe('STIX import: observables', () => {
  it('reads every SCO type that maps to an indicator type', () => {
    const c = importStix(
      bundle(
        { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.1' },
        { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '223.166.0.0/15' },
        { type: 'ipv6-addr', id: 'ipv6-addr--1', value: '2001:db8::5' },
        { type: 'domain-name', id: 'domain-name--1', value: 'evil.example' },
        { type: 'url', id: 'url--1', value: 'http://evil.example/a' },
        { type: 'email-addr', id: 'email-addr--1', value: 'boss@evil.example' },
        { type: 'mutex', id: 'mutex--1', name: 'Global\\m1' },
        { type: 'autonomous-system', id: 'autonomous-system--1', number: 64500 },
        { type: 'directory', id: 'directory--1', path: 'C:\\Users\\Public' },
        {
          type: 'file',
          id: 'file--1',
          name: 'drop.exe',
          parent_directory_ref: 'directory--1',
          hashes: { 'SHA-256': 'a'.repeat(64), MD5: 'b'.repeat(32), 'SHA-512': 'c'.repeat(128), SSDEEP: '3:abc:def', 'SHA3-256': 'ignored' },
        },
        { type: 'file', id: 'file--2', name: 'invoice.pdf', hashes: { 'SHA-1': 'd'.repeat(40) } },
        { type: 'windows-registry-key', id: 'windows-registry-key--1', key: 'HKEY_CURRENT_USER\\Software\\Run', values: [{ name: 'updater', data: 'C:\\x.exe' }] },
        { type: 'x509-certificate', id: 'x509-certificate--1', hashes: { 'SHA-1': 'e'.repeat(40) } },
        { type: 'cryptocurrency-wallet', id: 'cryptocurrency-wallet--1', value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' },
        { type: 'user-agent', id: 'user-agent--1', value: 'Evil/2.0' },
      ),
    );
    expect(keys(c).sort()).toEqual(
      [
        'ip-dst|198.51.100.1',
        'cidr|223.166.0.0/15',
        'ip-dst|2001:db8::5',
        'domain|evil.example',
        'url|http://evil.example/a',
        'email|boss@evil.example',
        'mutex|Global\\m1',
        'as|AS64500',
        `sha256|${'a'.repeat(64)}`,
        `md5|${'b'.repeat(32)}`,
        `sha512|${'c'.repeat(128)}`,
        'ssdeep|3:abc:def',
        'filepath|C:\\Users\\Public\\drop.exe',
        'filename|invoice.pdf',
        `sha1|${'d'.repeat(40)}`,
        'regkey|HKCU\\Software\\Run',
        `sha1|${'e'.repeat(40)}`,
        'btc|1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
        'user-agent|Evil/2.0',
      ].sort(),
    );
    expect(find(c, 'HKCU\\Software\\Run').comment).toBe('Registry values: updater = C:\\x.exe');
    expect(find(c, 'e'.repeat(40)).tags).toEqual(['x509-certificate']);
  });

  it('follows references: a connection gives its addresses with ports, a message its sender (not its recipients)', () => {
    const c = importStix(
      bundle(
        { type: 'ipv4-addr', id: 'ipv4-addr--src', value: '10.1.1.1' },
        { type: 'ipv4-addr', id: 'ipv4-addr--dst', value: '203.0.113.9' },
        {
          type: 'network-traffic',
          id: 'network-traffic--1',
          src_ref: 'ipv4-addr--src',
          dst_ref: 'ipv4-addr--dst',
          dst_port: 8443,
          protocols: ['tcp'],
          extensions: { 'http-request-ext': { request_method: 'get', request_value: '/', request_header: { 'User-Agent': 'Beacon/1' } } },
        },
        { type: 'email-addr', id: 'email-addr--from', value: 'phish@evil.example' },
        { type: 'email-addr', id: 'email-addr--to', value: 'victim@corp.example' },
        { type: 'email-message', id: 'email-message--1', is_multipart: false, from_ref: 'email-addr--from', to_refs: ['email-addr--to'], subject: 'Invoice' },
      ),
    );
    expect(keys(c).sort()).toEqual(['email|phish@evil.example', 'ip-dst|203.0.113.9', 'ip-src|10.1.1.1', 'user-agent|Beacon/1'].sort());
    // The address is the value; the connection's port is its port tag (no src_port: no tag).
    expect(find(c, '203.0.113.9')).toMatchObject({ port: 8443, tags: ['port:8443'] });
    expect(find(c, '10.1.1.1').tags).toBeUndefined();
  });

  it('an address in patterns with two ports and without one is one indicator keeping both ports', () => {
    const dst = (port: number) => `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.30' AND network-traffic:dst_port = ${port}]`;
    const c = importStix(
      bundle(
        { type: 'indicator', id: 'indicator--1', pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', pattern: `${dst(443)} OR ${dst(8443)}` },
        { type: 'indicator', id: 'indicator--2', pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.30']" },
        {
          type: 'indicator',
          id: 'indicator--3',
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
          pattern: "[network-traffic:src_ref.value = '198.51.100.31' AND network-traffic:src_port = 70000]",
        },
      ),
    );
    expect(keys(c)).toEqual(['ip-dst|198.51.100.30']);
    expect(find(c, '198.51.100.30')).toMatchObject({ count: 3, tags: ['port:443', 'port:8443'] });
    // A port out of range is that row's error, never a silently dropped port.
    expect(c.find((x) => x.value.startsWith('198.51.100.31'))?.error).toMatch(/port 70000/);
  });

  it('reads observed-data: referenced observables take its marking and labels; STIX 2.0 inline objects too', () => {
    const c = importStix(
      bundle(
        { type: 'domain-name', id: 'domain-name--1', value: 'seen.example' },
        {
          type: 'observed-data',
          id: 'observed-data--1',
          object_refs: ['domain-name--1'],
          labels: ['c2'],
          object_marking_refs: [TLP1_AMBER],
          first_observed: '2024-03-01T00:00:00Z',
          last_observed: '2024-03-01T00:00:00Z',
          number_observed: 1,
        },
        {
          type: 'observed-data',
          id: 'observed-data--2',
          first_observed: '2024-03-02T00:00:00Z',
          last_observed: '2024-03-02T00:00:00Z',
          number_observed: 1,
          objects: {
            '0': { type: 'ipv4-addr', value: '198.51.100.20' },
            '1': { type: 'network-traffic', dst_ref: '0', dst_port: 443 },
            '2': { type: 'file', hashes: { MD5: 'f'.repeat(32) } },
          },
        },
      ),
    );
    expect(keys(c).sort()).toEqual(['domain|seen.example', 'ip-dst|198.51.100.20', `md5|${'f'.repeat(32)}`].sort());
    expect(find(c, 'seen.example')).toMatchObject({ tlp: 'AMBER', tags: ['c2'], firstSeen: '2024-03-01T00:00:00Z' });
    expect(find(c, '198.51.100.20').tags).toEqual(['port:443']);
  });

  it('skips software with its reason', () => {
    const [s] = importStix(bundle({ type: 'software', id: 'software--1', name: 'Word' }));
    expect(s).toMatchObject({ skipped: true, error: expect.stringMatching(/software names a product/) });
  });
});

describe('STIX import: indicators', () => {
  it('takes every exact value of a pattern and reports what it skips, per comparison', () => {
    const c = importStix(
      bundle(indicator('1', "[domain-name:value = 'a.example' OR domain-name:value LIKE '%.b.example'] AND [ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]")),
    );
    expect(keys(c)).toEqual(['domain|a.example', 'ip-dst|198.51.100.1', 'ip-dst|198.51.100.2']);
    expect(c.filter((x) => x.error)).toEqual([
      expect.objectContaining({
        value: "domain-name:value LIKE '%.b.example'",
        skipped: true,
        error: expect.stringMatching(/LIKE matches many values; Huntroom keeps exact values: skipped/),
      }),
    ]);
  });

  it('skips a pattern with nothing to keep, and refuses one that does not parse, without failing the bundle', () => {
    const c = importStix(
      bundle(
        indicator('1', "[email-message:subject MATCHES '^Invoice']"),
        indicator('2', '[file:size > 1000]'),
        indicator('3', "[url:value = 'http://ok.example/'"),
        indicator('4', "[url:value = 'http://fine.example/']"),
      ),
    );
    expect(keys(c)).toEqual(['url|http://fine.example/']);
    const errors = c.filter((x) => x.error);
    expect(errors.map((x) => x.error)).toEqual([
      expect.stringMatching(/indicator--1: the pattern holds no value Huntroom keeps as an indicator \(\[email-message:subject MATCHES '\^Invoice'\]\): skipped/),
      expect.stringMatching(/indicator--2: the pattern holds no value Huntroom keeps as an indicator .*: skipped/),
      expect.stringMatching(/indicator--3: the pattern does not parse: expected "]"/),
    ]);
    expect(errors.map((x) => x.skipped ?? false)).toEqual([true, true, false]);
  });

  it('keeps YARA rules as yara indicators, skips Sigma and Snort with a reason', () => {
    const rule = 'rule evil_dropper { strings: $a = "x" condition: $a }';
    const c = importStix(
      bundle(
        indicator('1', rule, { pattern_type: 'yara', name: 'Dropper family' }),
        indicator('2', 'title: x\ndetection: y', { pattern_type: 'sigma', name: 'Sigma rule' }),
        indicator('3', 'alert tcp any any -> any any (msg:"x";)', { pattern_type: 'snort' }),
      ),
    );
    expect(find(c, rule)).toMatchObject({ type: 'yara', comment: 'Dropper family' });
    expect(find(c, 'Sigma rule')).toMatchObject({ skipped: true, error: expect.stringMatching(/pattern_type "sigma" is skipped/) });
    expect(find(c, 'indicator--3')).toMatchObject({ skipped: true, error: expect.stringMatching(/"snort"/) });
  });

  it('reads confidence, valid_from, labels and indicator_types as tags, the creator as source, the description as comment', () => {
    const c = importStix(
      bundle(
        { type: 'identity', id: 'identity--1', name: 'ACME CERT', identity_class: 'organization' },
        indicator('1', "[url:value = 'http://x.example/']", {
          confidence: 85,
          valid_from: '2024-02-03T04:05:06Z',
          valid_until: '2025-01-01T00:00:00Z',
          labels: ['phishing'],
          indicator_types: ['malicious-activity'],
          created_by_ref: 'identity--1',
          description: 'Landing page',
          name: 'Phish URL',
        }),
      ),
    );
    expect(c[0]).toMatchObject({
      confidence: 85,
      firstSeen: '2024-02-03T04:05:06Z',
      validUntil: '2025-01-01T00:00:00.000Z',
      tags: ['phishing', 'malicious-activity'],
      source: 'ACME CERT',
      comment: 'Landing page',
    });
  });

  it('reads a timestamp without its Z as UTC (as STIX says), and refuses one that is no timestamp', () => {
    const c = importStix(
      bundle(
        indicator('1', "[url:value = 'http://t.example.org/']", { valid_from: '2024-02-03T04:05:06' }),
        indicator('2', "[url:value = 'http://u.example.org/']", { valid_from: 'last week' }),
      ),
    );
    expect(find(c, 'http://t.example.org/').firstSeen).toBe('2024-02-03T04:05:06Z');
    expect(c.find((x) => x.error)?.error).toMatch(/indicator--2: valid_from "last week" is not a timestamp/);
  });

  it('reads valid_until in UTC, and refuses an indicator whose valid_until is not after its valid_from (STIX 2.1 4.2)', () => {
    const c = importStix(
      bundle(
        indicator('1', "[url:value = 'http://ok.example/']", { valid_from: '2024-02-03T04:05:06Z', valid_until: '2030-01-01T02:00:00+02:00' }),
        indicator('2', "[url:value = 'http://same.example/']", { valid_from: '2024-02-03T04:05:06Z', valid_until: '2024-02-03T04:05:06Z' }),
        indicator('3', "[url:value = 'http://before.example/']", { valid_from: '2024-02-03T04:05:06Z', valid_until: '2023-12-31T00:00:00Z' }),
        indicator('4', "[url:value = 'http://garbled.example/']", { valid_from: '2024-02-03T04:05:06Z', valid_until: 'soon' }),
        indicator('5', "[url:value = 'http://none.example/']", { valid_from: '2024-02-03T04:05:06Z' }),
      ),
    );
    expect(keys(c)).toEqual(['url|http://ok.example/', 'url|http://none.example/']);
    expect(find(c, 'http://ok.example/').validUntil).toBe('2030-01-01T00:00:00.000Z');
    expect(find(c, 'http://none.example/').validUntil).toBeUndefined();
    expect(c.filter((x) => x.error).map((x) => x.error)).toEqual([
      expect.stringMatching(/indicator--2: valid_until 2024-02-03T04:05:06Z is not later than valid_from/),
      expect.stringMatching(/indicator--3: valid_until .* is not later than valid_from/),
      expect.stringMatching(/indicator--4: valid_until "soon" is not a timestamp/),
    ]);
  });

  it("judges metadata per object: a bad confidence or label is that object's error", () => {
    const c = importStix(
      bundle(
        indicator('1', "[url:value = 'http://a.example/']", { confidence: 150 }),
        indicator('2', "[url:value = 'http://b.example/']", { labels: ['bad\u0007tag'] }),
        indicator('3', "[url:value = 'http://c.example/']"),
      ),
    );
    expect(keys(c)).toEqual(['url|http://c.example/']);
    expect(c.filter((x) => x.error).map((x) => x.error)).toEqual([
      expect.stringMatching(/indicator--1: confidence must be/),
      expect.stringMatching(/indicator--2: label .* cannot be a tag/),
    ]);
  });

  it('reads vulnerabilities as CVE ids, from the cve reference or the name', () => {
    const c = importStix(
      bundle(
        { type: 'vulnerability', id: 'vulnerability--1', name: 'PAN-OS flaw', external_references: [{ source_name: 'cve', external_id: 'CVE-2024-3400' }] },
        { type: 'vulnerability', id: 'vulnerability--2', name: 'cve-2021-44228' },
        { type: 'vulnerability', id: 'vulnerability--3', name: 'Unnamed flaw' },
      ),
    );
    expect(keys(c)).toEqual(['cve|CVE-2024-3400', 'cve|CVE-2021-44228']);
    expect(find(c, 'Unnamed flaw')).toMatchObject({ skipped: true });
  });
});

describe('STIX import: markings', () => {
  const defs = [
    { type: 'marking-definition', id: 'marking-definition--own-red', definition_type: 'tlp', definition: { tlp: 'red' } },
    {
      type: 'marking-definition',
      id: 'marking-definition--octi-amber',
      definition_type: 'TLP',
      definition: { TLP: 'TLP:AMBER' },
      x_opencti_definition_type: 'TLP',
      x_opencti_definition: 'TLP:AMBER',
    },
    { type: 'marking-definition', id: 'marking-definition--pap', definition_type: 'PAP', definition: { PAP: 'PAP:RED' }, name: 'PAP:RED' },
  ];
  const marked = (refs: string[]) => importStix(bundle(...defs, indicator('1', "[url:value = 'http://m.example/']", { object_marking_refs: refs })))[0]!.tlp;

  it('reads TLP 1.0, OASIS TLP 2.0 and OpenCTI ids and definitions; PAP is not TLP; the strictest wins', () => {
    expect(marked([TLP1_GREEN])).toBe('GREEN');
    expect(marked([TLP2_CLEAR])).toBe('CLEAR');
    expect(marked([TLP2_RED])).toBe('RED');
    expect(marked([OPENCTI_AMBER_STRICT])).toBe('AMBER+STRICT');
    expect(marked(['marking-definition--octi-amber'])).toBe('AMBER');
    expect(marked(['marking-definition--pap'])).toBeUndefined();
    expect(marked([TLP1_GREEN, 'marking-definition--pap', OPENCTI_AMBER_STRICT, TLP1_AMBER])).toBe('AMBER+STRICT');
    expect(marked([TLP2_CLEAR, 'marking-definition--own-red'])).toBe('RED');
  });

  it('takes granular markings into account (never looser than any part)', () => {
    const [c] = importStix(
      bundle(
        indicator('1', "[url:value = 'http://g.example/']", { object_marking_refs: [TLP1_GREEN], granular_markings: [{ marking_ref: TLP1_AMBER, selectors: ['description'] }] }),
      ),
    );
    expect(c!.tlp).toBe('AMBER');
  });
});

describe('STIX import: relationships, sightings, notes', () => {
  const ap = (id: string, ext: string) => ({
    type: 'attack-pattern',
    id: `attack-pattern--${id}`,
    name: id,
    external_references: [{ source_name: 'mitre-attack', external_id: ext }],
  });

  it('gives an indicator the ATT&CK techniques it indicates; malware and CAPEC-only patterns give none', () => {
    const c = importStix(
      bundle(
        indicator('1', "[domain-name:value = 'c2.example']"),
        ap('a', 'T1071.001'),
        ap('b', 'T1059'),
        { type: 'attack-pattern', id: 'attack-pattern--capec', name: 'Phishing', external_references: [{ source_name: 'capec', external_id: 'CAPEC-98' }] },
        { type: 'malware', id: 'malware--1', name: 'x', is_family: true },
        ...['a', 'b', 'capec'].map((t) => ({
          type: 'relationship',
          id: `relationship--${t}`,
          relationship_type: 'indicates',
          source_ref: 'indicator--1',
          target_ref: `attack-pattern--${t}`,
        })),
        { type: 'relationship', id: 'relationship--m', relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'malware--1' },
      ),
    );
    expect(c[0]!.techniques).toEqual(['T1071.001', 'T1059']);
  });

  it('records sightings with their counts; an OpenCTI negative sighting makes it a false positive', () => {
    const c = importStix(
      bundle(
        indicator('1', "[domain-name:value = 'seen.example']"),
        indicator('2', "[domain-name:value = 'fp.bad-actor.net']"),
        {
          type: 'sighting',
          id: 'sighting--1',
          sighting_of_ref: 'indicator--1',
          count: 3,
          first_seen: '2024-01-01T00:00:00Z',
          last_seen: '2024-01-05T00:00:00Z',
          description: 'proxy logs',
        },
        { type: 'sighting', id: 'sighting--2', sighting_of_ref: 'indicator--1' },
        { type: 'sighting', id: 'sighting--3', sighting_of_ref: 'indicator--2', count: 1, x_opencti_negative: true },
      ),
    );
    expect(find(c, 'seen.example').sightings).toEqual([{ count: 3, seenAt: '2024-01-05T00:00:00Z', context: 'proxy logs' }, { count: 1 }]);
    expect(find(c, 'fp.bad-actor.net')).toMatchObject({ status: 'false-positive', benign: expect.stringMatching(/false positive/) });
  });

  it('turns notes and opinions on an indicator into comments with their own marking', () => {
    const c = importStix(
      bundle(
        indicator('1', "[domain-name:value = 'n.example']", { object_marking_refs: [TLP1_GREEN] }),
        { type: 'note', id: 'note--1', abstract: 'Triage', content: 'Seen beaconing every 60 s.', object_refs: ['indicator--1'], object_marking_refs: [TLP2_RED] },
        { type: 'opinion', id: 'opinion--1', opinion: 'strongly-agree', explanation: 'Confirmed in our sandbox.', object_refs: ['indicator--1'] },
        { type: 'note', id: 'note--2', content: 'About something else', object_refs: ['malware--9'] },
      ),
    );
    expect(c[0]!.comments).toEqual([{ body: 'Triage\n\nSeen beaconing every 60 s.', tlp: 'RED' }, { body: 'Opinion: strongly-agree\n\nConfirmed in our sandbox.' }]);
  });
});

describe("STIX import: Huntroom's extension", () => {
  const ext = (e: Record<string, unknown>) => ({ extensions: { [HUNTROOM_EXTENSION_ID]: { extension_type: 'property-extension', ...e } } });

  it('restores the exact type, status, releasability and source; indicator_types are then not tags', () => {
    const c = importStix(
      bundle(
        indicator('1', "[domain-name:value = 'host.evil.example']", {
          indicator_types: ['benign'],
          ...ext({ type: 'hostname', status: 'benign', releasable_to: ['CA', 'US'], source: 'sandbox run 7' }),
        }),
        indicator('2', "[ipv4-addr:value = '198.51.100.3']", ext({ type: 'ip-src', status: 'confirmed', releasable_to: [], source: '' })),
        indicator('3', "[file:name = '/tmp/evil']", ext({ type: 'filepath' })),
        // The extension cannot turn a URL into a hash: the found type stays.
        indicator('4', "[url:value = 'http://u.example/']", ext({ type: 'md5' })),
      ),
    );
    expect(find(c, 'host.evil.example')).toMatchObject({ type: 'hostname', status: 'benign', releasableTo: ['CA', 'US'], source: 'sandbox run 7' });
    expect(find(c, 'host.evil.example').tags).toBeUndefined();
    expect(find(c, '198.51.100.3')).toMatchObject({ type: 'ip-src', status: 'confirmed' });
    expect(find(c, '198.51.100.3').source).toBeUndefined();
    expect(find(c, '/tmp/evil').type).toBe('filepath');
    expect(find(c, 'http://u.example/').type).toBe('url');
  });

  it('refuses an object whose extension is broken (never read as every team), the rest imports', () => {
    const c = importStix(
      bundle(
        indicator('1', "[domain-name:value = 'a.example']", ext({ releasable_to: 'CA' })),
        indicator('2', "[domain-name:value = 'b.example']", ext({ status: 'pwned' })),
        indicator('3', "[domain-name:value = 'c.example']", ext({ type: 'domain' })),
      ),
    );
    expect(keys(c)).toEqual(['domain|c.example']);
    expect(c.filter((x) => x.error).map((x) => x.error)).toEqual([expect.stringMatching(/releasable_to must be a list/), expect.stringMatching(/unknown status "pwned"/)]);
  });

  it("refuses what is not a bundle, and an entry that is not an object is that entry's error", () => {
    expect(() => importStix([])).toThrow(/bundle/);
    expect(() => importStix({ type: 'bundle', objects: 'x' })).toThrow(/"objects" array/);
    const c = importStix(bundle(null, 42, { type: 'url', id: 'url--1', value: 'http://ok.example/' }));
    expect(keys(c)).toEqual(['url|http://ok.example/']);
    expect(c.filter((x) => x.error).map((x) => x.error)).toEqual(['STIX: objects[0] has no type', 'STIX: objects[1] has no type']);
  });
});
