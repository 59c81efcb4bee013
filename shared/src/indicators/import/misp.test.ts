import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importMisp, MISP_TO_IDS_OFF_TAG } from './misp.js';
import { tagSchema } from '../../records/indicators.js';
import type { Candidate } from '../candidates.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/interop/misp/${name}`, import.meta.url)), 'utf8'));
const ok = (c: Candidate[]) => c.filter((x) => !x.error);
const skipped = (c: Candidate[]) => c.filter((x) => x.error);
const by = (c: Candidate[], value: string) => c.find((x) => x.value === value)!;

/** Each file of test/fixtures/interop/misp with the outcome its README.md writes down. */
describe('MISP fixtures (test/fixtures/interop/misp)', () => {
  it('attribute.json (PyMISP, bare event): one filename with its tag', () => {
    const c = importMisp(fixture('attribute.json'));
    expect(c).toMatchObject([{ type: 'filename', value: 'bar.exe', tags: ['osint'] }]);
  });

  it('event_obj_attr_tag.json: attributes inside a file and a url object', () => {
    const c = importMisp(fixture('event_obj_attr_tag.json'));
    expect(c.map((x) => `${x.type}:${x.value}`)).toEqual(['filename:bar', 'url:https://www.circl.lu/']);
    expect(by(c, 'bar')).toMatchObject({ tags: ['blah'] });
  });

  it('event_obj_def_param.json: two file objects, two filenames', () => {
    expect(ok(importMisp(fixture('event_obj_def_param.json'))).map((x) => x.value)).toEqual(['bar', 'baz']);
  });

  it('event_tags.json: an event without attributes imports nothing and is not an error', () => {
    expect(importMisp(fixture('event_tags.json'))).toEqual([]);
  });

  it('malware.json: a malware-sample without its hash is skipped (the file is not imported)', () => {
    const c = importMisp(fixture('malware.json'));
    expect(ok(c)).toEqual([]);
    expect(skipped(c)[0]!.error).toMatch(/malware sample/);
  });

  it('misp_event.json (PyMISP, bare event as MISP serves it): a url with to_ids off is unticked and tagged, text is skipped; event tags with quotes', () => {
    const c = importMisp(fixture('misp_event.json'));
    expect(c).toHaveLength(2);
    const url = by(c, 'http://fake.website.com/malware/is/here');
    expect(url).toMatchObject({
      benign: expect.stringMatching(/to_ids is off \(not for automated detection\)/),
      tags: ['ecsirt:malicious-code="ransomware"', 'for_intelmq_processing', MISP_TO_IDS_OFF_TAG],
    });
    // Not for detection is not benign: ticked, it is saved with the default status.
    expect(url.status).toBeUndefined();
    expect(by(c, 'Locky').error).toMatch(/"text" is context/);
  });

  it('sighting_1.json (PyMISP, a real Ursnif event): 5 indicators, 3 reported as false positives by a sighting, the banker galaxy tag on each', () => {
    const c = importMisp(fixture('sighting_1.json'));
    expect(c.map((x) => x.type)).toEqual(['domain', 'domain', 'domain', 'domain', 'url']);
    expect(c.filter((x) => x.status === 'false-positive').map((x) => x.value)).toEqual(['eqowiesajenqweasd.com', 'dquohwdihaewqdcas.com', 'diqjwhebseqhbasdh.com']);
    expect(by(c, 'ooiasjdnqjwbeasdasd.com')).toMatchObject({
      comment: 'Ursnif',
      source: 'MISP event: Ursnif, MALWAREMESSIAGH',
      tags: ['PasteBin: MALWAREMESSIAGH', 'misp-galaxy:banker="Gozi"'],
    });
    expect(by(c, 'ooiasjdnqjwbeasdasd.com').status).toBeUndefined();
    expect(by(c, 'http://sistemait.it/softaculous/backup/client.rar').benign).toBeUndefined();
  });

  it('restsearch_two_events.json: both events of the response, objects, to_ids, context types, tags with quotes, galaxies, TLP', () => {
    const c = importMisp(fixture('restsearch_two_events.json'));
    expect(ok(c).map((x) => `${x.type}:${x.value}`)).toEqual([
      'domain:login-portal-update.example',
      'ip-dst:91.214.124.11',
      'url:http://login-portal-update.example/doc.php',
      'filename:invoice.docm',
      'md5:d41d8cd98f00b204e9800998ecf8427e',
      'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
      'domain:c2.bad-actor.example',
      'ip-dst:91.214.124.12',
    ]);
    expect(skipped(c).map((x) => x.type)).toEqual(['link', 'text', 'comment', 'size-in-bytes', 'mime-type', 'float', 'counter', 'datetime']);
    for (const s of skipped(c)) expect(s.error).toMatch(/context, not an indicator: skipped/);
    // A machine tag with quotes is kept as a tag; the event's galaxy becomes the technique.
    expect(by(c, 'login-portal-update.example')).toMatchObject({ tags: ['osint:source-type="blog-post"'], tlp: 'AMBER', techniques: ['T1566.001'] });
    expect(by(c, 'http://login-portal-update.example/doc.php').tlp).toBe('RED');
    expect(by(c, 'c2.bad-actor.example')).toMatchObject({ tlp: 'GREEN', techniques: ['T1071.001'] });
    // Context in the first event (to_ids off), for detection in the second: one malicious row.
    const ip = by(c, '91.214.124.11');
    expect(ip.count).toBe(2);
    expect(ip.status).toBeUndefined();
    expect(ip.benign).toBeUndefined();
    expect(ip.tags ?? []).not.toContain(MISP_TO_IDS_OFF_TAG);
  });

  it("ESET's event with to_ids off everywhere: its malware hash stays a malware hash (default status, tagged), never benign", () => {
    const c = importMisp(fixture('eset-sshdoor-coruscant.json'));
    const sha1 = by(c, '2d767d0ede311cf3a853e90d18f50ae102358590');
    expect(sha1.benign).toMatch(/to_ids is off/);
    expect(sha1.status).toBeUndefined();
    expect(sha1.tags).toEqual(['SSHDoor', MISP_TO_IDS_OFF_TAG]);
    expect(c.filter((x) => x.status === 'benign')).toEqual([]);
  });
});

describe('MISP import', () => {
  it('accepts the bare event, {"Event": ...} and {"response": [...]}, and refuses anything else', () => {
    const event = { info: 'x', Attribute: [{ type: 'domain', value: 'evil.example.net', to_ids: true }] };
    for (const form of [event, { Event: event }, { response: [{ Event: event }] }]) expect(importMisp(form).map((x) => x.value)).toEqual(['evil.example.net']);
    expect(() => importMisp([])).toThrow(/expected an event/);
    expect(() => importMisp({ foo: 1 })).toThrow(/expected an event/);
    expect(() => importMisp({ response: [1] })).toThrow(/response\[0\]/);
  });

  it('to_ids off: unticked with its reason; ticked, saved with the status it would have and the misp:to_ids tag; never a second row', () => {
    const [c] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'cdn.victim-site.example', to_ids: false }] } });
    expect(c!.benign).toMatch(/to_ids is off .*saved as the default status with the tag misp:to_ids="false"/);
    expect(c!.status).toBeUndefined();
    expect(c!.tags).toEqual([MISP_TO_IDS_OFF_TAG]);
    // Seen for detection too, in either order: one row, for detection, without the tag or the reason.
    for (const flags of [
      [true, '0'],
      ['0', true],
    ]) {
      const both = importMisp({ Event: { Attribute: flags.map((to_ids) => ({ type: 'domain', value: 'c2.bad-actor.example', to_ids, Tag: [{ name: 'apt' }] })) } });
      expect(both, JSON.stringify(flags)).toHaveLength(1);
      expect(both[0]).toMatchObject({ count: 2, tags: ['apt'] });
      expect(both[0]!.status).toBeUndefined();
      expect(both[0]!.benign).toBeUndefined();
    }
  });

  it('to_ids off keeps the other rules: a false-positive sighting still decides the status; a huntroom:status tag wins', () => {
    const [fp] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'fp.bad-actor.example', to_ids: false, Sighting: [{ type: '1', date_sighting: '1700000000' }] }] } });
    expect(fp).toMatchObject({ status: 'false-positive', tags: [MISP_TO_IDS_OFF_TAG], benign: expect.stringMatching(/saved as false-positive with the tag/) });
    const [own] = importMisp({
      Event: { Attribute: [{ type: 'md5', value: 'a'.repeat(32), to_ids: false, Tag: [{ name: 'huntroom:status="investigating"' }, { name: MISP_TO_IDS_OFF_TAG }] }] },
    });
    expect(own).toMatchObject({ status: 'investigating', tags: [MISP_TO_IDS_OFF_TAG] });
  });

  it("Huntroom's export: to_ids off from a benign status adds no tag; a tag whose attribute MISP turned back on is dropped", () => {
    const [benign] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'ok.bad-actor.example', to_ids: false, Tag: [{ name: 'huntroom:status="benign"' }] }] } });
    expect(benign!.status).toBe('benign');
    expect(benign!.tags).toBeUndefined();
    const [on] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'on.bad-actor.example', to_ids: true, Tag: [{ name: MISP_TO_IDS_OFF_TAG }, { name: 'apt' }] }] } });
    expect(on!.tags).toEqual(['apt']);
    expect(on!.benign).toBeUndefined();
  });

  it('every tag MISP writes passes the tag schema; a tag Huntroom cannot keep makes that row an error, not the batch', () => {
    const tags = ['misp-galaxy:threat-actor="Sofacy"', 'misp:type="ip-dst"', 'osint:certainty="93"', 'circl:incident-classification="phishing"'];
    for (const t of tags) expect(tagSchema.safeParse(t).success).toBe(true);
    const c = importMisp({
      Event: {
        Attribute: [
          { type: 'domain', value: 'one.example.net', Tag: tags.map((name) => ({ name })) },
          { type: 'domain', value: 'two.example.net', Tag: [{ name: 'bad\u0001tag' }] },
          { type: 'domain', value: 'three.example.net', Tag: [{ name: 'x'.repeat(300) }] },
        ],
      },
    });
    expect(by(c, 'one.example.net')).toMatchObject({ tags });
    expect(by(c, 'one.example.net').error).toBeUndefined();
    expect(by(c, 'two.example.net').error).toMatch(/control characters/);
    expect(by(c, 'three.example.net').error).toMatch(/^tag "x+"/);
  });

  it('an over-long value is that row refused; galaxy clusters and attack-pattern tags become techniques', () => {
    const c = importMisp({
      Event: {
        Galaxy: [{ type: 'mitre-attack-pattern', GalaxyCluster: [{ value: 'PowerShell - T1059.001', meta: { external_id: ['T1059.001'] } }] }],
        Attribute: [
          { type: 'url', value: `http://a.example.net/${'a'.repeat(9000)}` },
          { type: 'domain', value: 'ok.bad-actor.example', Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' }] },
        ],
      },
    });
    expect(c[0]!.error).toMatch(/longer than 8192/);
    expect(by(c, 'ok.bad-actor.example')).toMatchObject({ techniques: ['T1566.001', 'T1059.001'] });
    expect(by(c, 'ok.bad-actor.example').tags).toBeUndefined();
  });

  it('an address with a prefix is a CIDR range, a file name with a directory a path', () => {
    const c = importMisp({
      Event: {
        Attribute: [
          { type: 'ip-dst', value: '223.166.0.0/15' },
          { type: 'filename', value: 'C:\\Users\\Public\\svc.exe' },
        ],
      },
    });
    expect(c.map((x) => [x.type, x.error])).toEqual([
      ['cidr', undefined],
      ['filepath', undefined],
    ]);
  });

  it('reads back the status Huntroom exports as a machine tag', () => {
    const [c] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'x.example.net', to_ids: true, Tag: [{ name: 'huntroom:status="investigating"' }] }] } });
    expect(c).toMatchObject({ status: 'investigating' });
    expect(c!.tags).toBeUndefined();
  });

  it('sightings: type 0 become sightings (newest first, first seen from first_seen else the earliest); type 1 a false positive; a passed type 2 expiration is context', () => {
    const day = (d: string) => String(Date.parse(`${d}T12:00:00Z`) / 1000);
    const c = importMisp(
      {
        Event: {
          Attribute: [
            {
              type: 'domain',
              value: 'seen.example.net',
              Sighting: [
                { type: '0', date_sighting: day('2024-03-01'), source: 'proxy logs' },
                { date_sighting: Number(day('2024-03-05')), Organisation: { name: 'CIRCL' } },
                { type: '0', date_sighting: 'never' },
              ],
            },
            { type: 'domain', value: 'window.example.net', first_seen: '2024-01-01T00:00:00.000000+00:00', Sighting: [{ type: '0', date_sighting: day('2024-02-01') }] },
            { type: 'domain', value: 'expired.rt-c2-infra.net', Sighting: [{ type: '2', date_sighting: day('2024-06-01') }] },
            { type: 'domain', value: 'expires-later.rt-c2-infra.net', Sighting: [{ type: '2', date_sighting: day('2031-01-01') }] },
          ],
        },
      },
      { now: Date.parse('2025-01-01T00:00:00Z') },
    );
    expect(by(c, 'seen.example.net')).toMatchObject({
      firstSeen: '2024-03-01T12:00:00.000Z',
      sightings: [
        { count: 1, seenAt: '2024-03-05T12:00:00.000Z', context: 'MISP sighting by CIRCL' },
        { count: 1, seenAt: '2024-03-01T12:00:00.000Z', context: 'proxy logs' },
      ],
    });
    expect(by(c, 'seen.example.net').status).toBeUndefined();
    expect(by(c, 'window.example.net')).toMatchObject({ firstSeen: '2024-01-01T00:00:00.000Z', sightings: [{ seenAt: '2024-02-01T12:00:00.000Z' }] });
    expect(by(c, 'expired.rt-c2-infra.net')).toMatchObject({ status: 'benign', benign: expect.stringMatching(/expired in MISP on 2024-06-01/) });
    expect(by(c, 'expired.rt-c2-infra.net').sightings).toBeUndefined();
    expect(by(c, 'expires-later.rt-c2-infra.net').status).toBeUndefined();
    expect(by(c, 'expires-later.rt-c2-infra.net').benign).toBeUndefined();
  });

  it('distribution: never looser than the source meant; every level set on the attribute, its object and its event applies', () => {
    const attr = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'domain', value, ...extra });
    const c = importMisp({
      Event: {
        distribution: '3',
        Attribute: [
          attr('org-only.example.net', { distribution: '0' }),
          attr('org-only-green.example.net', { distribution: 0, Tag: [{ name: 'tlp:green' }] }),
          attr('community.example.net', { distribution: '1' }),
          attr('connected.example.net', { distribution: '2' }),
          attr('all.example.net', { distribution: '3' }),
          attr('all-red.example.net', { distribution: '3', Tag: [{ name: 'tlp:red' }] }),
          attr('group.example.net', { distribution: '4', SharingGroup: { name: 'EU "CERT" network' } }),
          attr('unknown-level.example.net', { distribution: '9' }),
          attr('inherit.example.net', { distribution: '5' }),
        ],
        Object: [{ distribution: '1', Attribute: [attr('in-object.example.net', { distribution: '5' }), attr('in-object-wider.example.net', { distribution: '3' })] }],
      },
    });
    const tlp = Object.fromEntries(c.map((x) => [x.value, x.tlp]));
    expect(tlp).toEqual({
      'org-only.example.net': 'AMBER+STRICT',
      'org-only-green.example.net': 'AMBER+STRICT',
      'community.example.net': 'AMBER',
      'connected.example.net': 'GREEN',
      'all.example.net': undefined,
      'all-red.example.net': 'RED',
      'group.example.net': 'AMBER+STRICT',
      'unknown-level.example.net': 'AMBER+STRICT',
      'inherit.example.net': undefined,
      'in-object.example.net': 'AMBER',
      'in-object-wider.example.net': 'AMBER',
    });
    expect(by(c, 'group.example.net').tags).toEqual([`misp:sharing-group="EU 'CERT' network"`]);
    // An attribute cannot be wider than its event: the event's "your organisation only" caps it.
    const capped = importMisp({ Event: { distribution: '0', Attribute: [attr('wide.example.net', { distribution: '3', Tag: [{ name: 'tlp:clear' }] })] } });
    expect(capped[0]!.tlp).toBe('AMBER+STRICT');
  });

  it("Huntroom's own machine tags: exact type, releasable-to teams (not floored by distribution 0), confidence and source; none kept as tags", () => {
    const [other, limited] = importMisp({
      Event: {
        info: 'handoff',
        distribution: '3',
        Attribute: [
          { type: 'text', value: 'Global\\MsWinZonesCacheCounterMutexA0', Tag: [{ name: 'huntroom:type="other"' }, { name: 'huntroom:source="Unit 42 "Ursnif" report"' }] },
          {
            type: 'domain',
            value: 'limited.example.net',
            distribution: '0',
            Tag: [{ name: 'tlp:amber' }, { name: 'huntroom:releasable-to="CA LV"' }, { name: 'huntroom:confidence="85"' }, { name: 'keep' }],
          },
        ],
      },
    });
    expect(other).toMatchObject({ type: 'other', source: 'Unit 42 "Ursnif" report' });
    expect(other!.error).toBeUndefined();
    expect(other!.tags).toBeUndefined();
    expect(limited).toMatchObject({ tlp: 'AMBER', releasableTo: ['CA', 'LV'], confidence: 85, tags: ['keep'], source: 'MISP event: handoff' });
  });

  it("huntroom:valid-until tag: the end of validity in UTC, not kept as a tag; an unreadable one is that attribute's error", () => {
    const c = importMisp({
      Event: {
        Attribute: [
          { type: 'domain', value: 'until.example.net', Tag: [{ name: 'huntroom:valid-until="2031-01-02T03:04:05+01:00"' }, { name: 'keep' }] },
          { type: 'domain', value: 'garbled.example.net', Tag: [{ name: 'huntroom:valid-until="someday"' }] },
          { type: 'domain', value: 'plain.example.net' },
        ],
      },
    });
    expect(by(c, 'until.example.net')).toMatchObject({ validUntil: '2031-01-02T02:04:05.000Z', tags: ['keep'] });
    expect(by(c, 'until.example.net').error).toBeUndefined();
    expect(by(c, 'garbled.example.net').error).toMatch(/huntroom:valid-until="someday" is not a timestamp/);
    expect(by(c, 'plain.example.net').validUntil).toBeUndefined();
  });

  it("restSearch's attribute answer: each attribute's own event gives its source and caps its distribution", () => {
    const c = importMisp({
      response: {
        Attribute: [
          { type: 'domain', value: 'one.rt-c2-infra.net', distribution: '3', Event: { info: 'Wave 3', distribution: '0' } },
          { type: 'ip-dst', value: '91.214.124.30', distribution: '5', Event: { info: 'Wave 4', distribution: '2' } },
        ],
      },
    });
    expect(by(c, 'one.rt-c2-infra.net')).toMatchObject({ source: 'MISP event: Wave 3', tlp: 'AMBER+STRICT' });
    expect(by(c, '91.214.124.30')).toMatchObject({ source: 'MISP event: Wave 4', tlp: 'GREEN' });
    expect(() => importMisp({ response: { Event: 1 } })).toThrow(/neither events nor an "Attribute" list/);
  });

  it('analyst notes (MISP 2.5) are comments, a stricter distribution their floor; the attribute comment repeating them is not a second one', () => {
    const c = importMisp({
      Event: {
        Attribute: [
          {
            type: 'domain',
            value: 'notes.rt-c2-infra.net',
            Tag: [{ name: 'tlp:green' }],
            comment: 'first\n\nsecond',
            Note: [
              { note: 'first', distribution: '5' },
              { note: 'second', distribution: '0' },
            ],
          },
          { type: 'domain', value: 'both.rt-c2-infra.net', comment: 'C2 of wave 3', Note: [{ note: 'seen on the VPN' }, { note: 7 }] },
        ],
      },
    });
    expect(by(c, 'notes.rt-c2-infra.net').comments).toEqual([{ body: 'first' }, { body: 'second', tlp: 'AMBER+STRICT' }]);
    expect(by(c, 'notes.rt-c2-infra.net').comment).toBeUndefined();
    expect(by(c, 'both.rt-c2-infra.net')).toMatchObject({ comment: 'C2 of wave 3', comments: [{ body: 'seen on the VPN' }] });
  });
});
