import { describe, expect, it } from 'vitest';
import { ImportError, importCsv, importMisp, importStix, parseCsvRows } from './importFormats.js';

describe('CSV import', () => {
  it('reads RFC 4180 quoting (commas, quotes and newlines inside fields)', () => {
    expect(parseCsvRows('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('takes type, value, comment and tags columns and normalizes values', () => {
    const c = importCsv('type,value,comment,tags\ndomain,Evil[.]COM,seen by CA,apt;phishing\nip-dst,198.51.100.7,,\n');
    expect(c).toHaveLength(2);
    expect(c[0]).toMatchObject({ type: 'domain', value: 'evil.com', comment: 'seen by CA', tags: ['apt', 'phishing'] });
    expect(c[1]).toMatchObject({ type: 'ip-dst', value: '198.51.100.7', benign: expect.stringMatching(/documentation/) });
  });

  it('refuses malformed files with the place of the problem', () => {
    expect(() => importCsv('')).toThrow(ImportError);
    expect(() => importCsv('foo,bar\n1,2')).toThrow(/no column holds the values/);
    expect(() => importCsv('type,value\ndomain,"evil.com')).toThrow(/never closed/);
  });

  it('judges every row on its own: an unknown type is that row error, the others are kept', () => {
    const c = importCsv('type,value\nipv9,1.2.3.4\ndomain,evil.com');
    expect(c).toEqual([expect.objectContaining({ type: 'domain', value: 'evil.com' }), expect.objectContaining({ error: expect.stringMatching(/row 2: unknown type "ipv9"/) })]);
  });

  it('keeps invalid values as candidates with their error, for the preview to show', () => {
    const [c] = importCsv('type,value\nmd5,nothex');
    expect(c).toMatchObject({ type: 'md5', error: expect.stringMatching(/32 hexadecimal/) });
  });
});

describe('STIX 2.1 import', () => {
  const bundle = {
    type: 'bundle',
    id: 'bundle--1',
    objects: [
      {
        type: 'indicator',
        id: 'indicator--1',
        name: 'C2',
        labels: ['c2'],
        pattern: "[ipv4-addr:value = '203.0.113.9'] OR [domain-name:value = 'Evil.Example.com']",
        pattern_type: 'stix',
      },
      { type: 'indicator', id: 'indicator--2', pattern: "[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']" },
      { type: 'url', id: 'url--1', value: 'http://a.example.net/x' },
      { type: 'file', id: 'file--1', hashes: { MD5: '5f4dcc3b5aa765d61d8327deb882cf99' } },
      { type: 'identity', id: 'identity--1', name: 'ignored' },
    ],
  };

  it('reads indicator patterns and observables', () => {
    const c = importStix(bundle);
    expect(c.map((x) => `${x.type}:${x.value}`).sort()).toEqual([
      'domain:evil.example.com',
      'ip-dst:203.0.113.9',
      'md5:5f4dcc3b5aa765d61d8327deb882cf99',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'url:http://a.example.net/x',
    ]);
    expect(c.find((x) => x.type === 'domain')).toMatchObject({ comment: 'C2', tags: ['c2'] });
  });

  it("refuses what is not a bundle; an indicator without a pattern is that object's error, the rest imports", () => {
    expect(() => importStix({ type: 'indicator' })).toThrow(/bundle/);
    const c = importStix({
      type: 'bundle',
      objects: [
        { type: 'indicator', id: 'indicator--x' },
        { type: 'url', id: 'url--1', value: 'http://a.example.net/' },
      ],
    });
    expect(c.find((x) => x.error)?.error).toMatch(/indicator--x: the indicator has no pattern/);
    expect(c.filter((x) => !x.error).map((x) => x.value)).toEqual(['http://a.example.net/']);
  });
});

describe('MISP event import', () => {
  it('reads attributes of the event and of its objects, with composite types and tags', () => {
    const c = importMisp({
      Event: {
        info: 'x',
        Attribute: [
          { type: 'ip-dst|port', value: '185.220.101.45|8443', to_ids: true, Tag: [{ name: 'tlp:amber' }] },
          { type: 'filename|sha256', value: 'svc.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
          { type: 'link', value: 'https://report.example.org/a' },
        ],
        Object: [{ name: 'domain-ip', Attribute: [{ type: 'domain', value: 'bad.example.com', comment: 'from sandbox' }] }],
      },
    });
    expect(c.map((x) => `${x.type}:${x.value}`).sort()).toEqual([
      'domain:bad.example.com',
      'ip-dst:185.220.101.45',
      'link:https://report.example.org/a',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
    // A link is the event's reference, not a malicious URL: skipped with the reason.
    expect(c.find((x) => x.type === 'link')!.error).toMatch(/context, not an indicator/);
    // A tlp: tag is the marking, not a tag; the port of ip-dst|port is kept as the port tag.
    expect(c.find((x) => x.type === 'ip-dst')!.tags).toEqual(['port:8443']);
    expect(c.find((x) => x.type === 'ip-dst')!.port).toBe(8443);
    expect(c.find((x) => x.type === 'ip-dst')!.tlp).toBe('AMBER');
    expect(c.find((x) => x.type === 'domain')!.comment).toBe('from sandbox');
  });

  it('an address or host with ports is one indicator per value keeping every port as a port:<n> tag', () => {
    const c = importMisp({
      Event: {
        Attribute: [
          { type: 'ip-dst|port', value: '198.51.100.40|443', to_ids: true },
          { type: 'ip-dst|port', value: '198.51.100.40|8443', to_ids: true, Tag: [{ name: 'c2' }] },
          { type: 'ip-dst', value: '198.51.100.40', to_ids: true },
          { type: 'ip-src|port', value: '2001:db8::7|22', to_ids: true },
          { type: 'hostname|port', value: 'c2.evil.example|8080', to_ids: true },
          { type: 'hostname|port', value: 'c3.evil.example|http', to_ids: true },
          { type: 'ip-dst|port', value: '198.51.100.41|0', to_ids: true },
        ],
      },
    });
    const byValue = (v: string) => c.find((x) => x.value === v);
    expect(byValue('198.51.100.40')).toMatchObject({ type: 'ip-dst', count: 3, port: 443, tags: ['port:443', 'port:8443'] });
    expect(byValue('2001:db8::7')).toMatchObject({ type: 'ip-src', tags: ['port:22'] });
    expect(byValue('c2.evil.example')).toMatchObject({ type: 'hostname', port: 8080, tags: ['port:8080'] });
    // A port that is not one is the row's error, never dropped in silence.
    expect(byValue('c3.evil.example')!.error).toBe('the port is not a number');
    expect(byValue('198.51.100.41')!.error).toMatch(/port 0 is out of range/);
  });

  it('refuses malformed events with the path of the bad attribute', () => {
    expect(() => importMisp({})).toThrow(/Event/);
    // A broken attribute is that row's error; the others still import.
    expect(importMisp({ Event: { Attribute: [{ type: 'domain' }] } })[0]!.error).toMatch(/Event.Attribute\[0\]/);
    expect(importMisp({ Event: { Object: [{ Attribute: 'x' }] } })[0]!.error).toMatch(/Event.Object\[0\].Attribute must be a list/);
  });
});
