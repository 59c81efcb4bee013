import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importMisp } from './misp.js';
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

  it('misp_event.json (PyMISP, bare event as MISP serves it): a url with to_ids off is context, text is skipped; event tags with quotes', () => {
    const c = importMisp(fixture('misp_event.json'));
    expect(c).toHaveLength(2);
    expect(by(c, 'http://fake.website.com/malware/is/here')).toMatchObject({
      status: 'benign',
      benign: expect.stringMatching(/to_ids is off/),
      tags: ['ecsirt:malicious-code="ransomware"', 'for_intelmq_processing'],
    });
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

  it('to_ids off: context, unticked, saved as benign if ticked; never a second malicious row', () => {
    const [c] = importMisp({ Event: { Attribute: [{ type: 'domain', value: 'cdn.example-victim.net', to_ids: false }] } });
    expect(c).toMatchObject({ status: 'benign', benign: expect.stringMatching(/to_ids is off/) });
    const both = importMisp({
      Event: {
        Attribute: [
          { type: 'domain', value: 'bad.example.net', to_ids: true },
          { type: 'domain', value: 'bad.example.net', to_ids: '0' },
        ],
      },
    });
    expect(both).toHaveLength(1);
    expect(both[0]!.status).toBeUndefined();
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
          { type: 'domain', value: 'ok.example.net', Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' }] },
        ],
      },
    });
    expect(c[0]!.error).toMatch(/longer than 8192/);
    expect(by(c, 'ok.example.net')).toMatchObject({ techniques: ['T1566.001', 'T1059.001'] });
    expect(by(c, 'ok.example.net').tags).toBeUndefined();
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
});
