/** CSV import over the real files of test/fixtures/interop/csv (README.md there says where each comes from and what to expect). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCsv, proposeCsvMapping, readCsv } from './csv.js';

const fixture = (name: string) => readFileSync(new URL(`../../../../test/fixtures/interop/csv/${name}`, import.meta.url), 'utf8');
const ok = (r: ReturnType<typeof readCsv>) => r.candidates.filter((c) => !c.error);
const errors = (r: ReturnType<typeof readCsv>) => r.candidates.filter((c) => c.error).map((c) => c.error);
const count = (r: ReturnType<typeof readCsv>, type: string) => ok(r).filter((c) => c.type === type).length;

describe('CSV header detection and mapping', () => {
  it('reads the synonyms practitioners use, in any case', () => {
    expect(proposeCsvMapping(['Indicator', 'Kind', 'Marking', 'Releasable-To', 'Tags', 'MITRE', 'Description', 'Status', 'Confidence', 'Source', 'whatever'])).toEqual([
      'value',
      'type',
      'tlp',
      'releasable-to',
      'tags',
      'techniques',
      'comment',
      'status',
      'confidence',
      'source',
      'ignore',
    ]);
    expect(proposeCsvMapping(['IOC', 'type', 'notes'])).toEqual(['value', 'type', 'comment']);
    // A first row of data is not a header.
    expect(proposeCsvMapping(['evil-cdn.net', 'domain'])).toBeUndefined();
  });

  it('lets the caller override the mapping, and the rows follow it', () => {
    const text = 'a,b,c\nevil.example,domain,RED\n';
    expect(() => importCsv(text)).toThrow(/no column holds the values/);
    const [c] = importCsv(text, ['value', 'type', 'tlp']);
    expect(c).toMatchObject({ type: 'domain', value: 'evil.example', tlp: 'RED' });
    // The first row is data when it is not a header: with a mapping it is read too.
    expect(importCsv('evil-cdn.net,domain\nbad.example,domain', ['value', 'type'])).toHaveLength(2);
    // Ignoring the tlp column leaves the row to the workspace default.
    expect(importCsv('value,tlp\nevil.example,RED', ['value', 'ignore'])[0]!.tlp).toBeUndefined();
  });

  it('reads a one-column list without a header', () => {
    expect(importCsv('evil-cdn.net\n198.51.100.9\n').map((c) => c.type)).toEqual(['domain', 'ip-dst']);
  });

  it("a row's TLP wins over the default and is never widened: an unknown level refuses the row", () => {
    const c = importCsv('value,type,tlp\na.example,domain,RED\nb.example,domain,amber+strict\nc.example,domain,TLP:WHITE\nd.example,domain,SECRET\n');
    expect(c.map((x) => [x.value, x.tlp ?? null, x.error ?? null])).toEqual([
      ['a.example', 'RED', null],
      ['b.example', 'AMBER+STRICT', null],
      ['c.example', 'CLEAR', null],
      ['d.example', null, expect.stringMatching(/row 5: unknown TLP "SECRET"/)],
    ]);
  });

  it('a value on two rows keeps the stricter marking and the teams both rows allow, never the wider', () => {
    const c = importCsv(
      'value,type,tlp,releasable_to\na.example,domain,GREEN,\na.example,domain,RED,CA\nb.example,domain,AMBER,CA US\nb.example,domain,AMBER,US\nc.example,domain,AMBER,CA\nc.example,domain,AMBER,US\n',
    );
    expect(c.map((x) => [x.value, x.tlp, x.releasableTo, x.error ?? null])).toEqual([
      ['a.example', 'RED', ['CA'], null],
      ['b.example', 'AMBER', ['US'], null],
      ['c.example', 'AMBER', ['CA'], expect.stringMatching(/none in common/)],
    ]);
  });
});

describe('CSV valid_until column', () => {
  it('maps the header names to valid-until and reads a timestamp or a bare date in UTC; a bad one refuses that row only', () => {
    expect(proposeCsvMapping(['value', 'Valid Until'])).toEqual(['value', 'valid-until']);
    expect(proposeCsvMapping(['value', 'Expires'])).toEqual(['value', 'valid-until']);
    const r = readCsv('value,type,valid_until\na.example,domain,2030-01-02T03:04:05+01:00\nb.example,domain,2030-06-30\nc.example,domain,\nd.example,domain,next tuesday\n');
    expect(ok(r).map((c) => [c.value, c.validUntil])).toEqual([
      ['a.example', '2030-01-02T02:04:05.000Z'],
      ['b.example', '2030-06-30T00:00:00.000Z'],
      ['c.example', undefined],
    ]);
    expect(errors(r)).toEqual([expect.stringMatching(/row 5: valid_until "next tuesday" is not a date or timestamp/)]);
  });
});

describe('CSV fixtures (real files)', () => {
  it("Huntroom's own export reads back without loss", () => {
    const r = readCsv(fixture('huntroom-export.csv'));
    expect(errors(r)).toEqual([]);
    expect(r.candidates).toEqual([
      expect.objectContaining({
        type: 'domain',
        value: 'evil-cdn.example',
        status: 'confirmed',
        confidence: 90,
        tlp: 'RED',
        tags: ['apt-x', 'c2 infra'],
        techniques: ['T1071.001', 'T1105'],
        source: 'vendor report 2026-11',
      }),
      expect.objectContaining({
        type: 'ip-dst',
        value: '198.51.100.23',
        status: 'investigating',
        tlp: 'AMBER',
        releasableTo: ['CA', 'US'],
        tags: ['scanner'],
        source: 'firewall logs',
      }),
      expect.objectContaining({ type: 'sha256', tlp: 'AMBER+STRICT', techniques: ['T1204.002'], status: 'new', confidence: 50 }),
      expect.objectContaining({ type: 'url', tlp: 'GREEN', tags: ['say "hi"'], source: 'a, b', status: 'benign' }),
      // The export's apostrophe against spreadsheet formulas is taken off again.
      expect.objectContaining({ type: 'filename', value: '-rf.sh', tlp: 'CLEAR', status: 'false-positive', confidence: 0 }),
    ]);
  });

  it("MISP's CSV export: MISP types, tlp: tags, to_ids off and context types skipped with a reason", () => {
    const r = readCsv(fixture('misp-csv-export.csv'));
    expect(r.misp).toBe(true);
    expect(errors(r)).toEqual([]);
    expect(ok(r).map((c) => `${c.type}:${c.value.slice(0, 20)}:${c.tlp ?? ''}`)).toEqual([
      'md5:00da4e95f955eaae3566:AMBER',
      'sha1:f7cea25e5ed038fa566b:',
      'sha256:f516ee82660137a6d56f:',
      'url:https://dc541.4sync.:RED',
      'domain:dc541.4sync.example:',
      'ip-dst:203.0.113.9:',
    ]);
    expect(ok(r)[0]!.tags).toEqual(['circl:incident-classification=malware']);
    expect(ok(r)[2]!.comment).toBe('dropper');
    expect(r.skipped.map((s) => [s.row, s.reason.replace(/:.*/, '')])).toEqual([
      [8, 'MISP to_ids is off'],
      [9, 'MISP to_ids is off'],
      [10, 'MISP to_ids is off'],
      [11, 'MISP to_ids is off'],
      [12, 'MISP type "link" is context, not an indicator'],
    ]);
  });

  it('a practitioner list with synonyms: markings, releasability, tags, techniques and comments per row; bad rows refused alone', () => {
    const r = readCsv(fixture('practitioner-synonyms.csv'));
    expect(ok(r)).toEqual([
      expect.objectContaining({
        type: 'domain',
        value: 'evil-update.example',
        tlp: 'RED',
        tags: ['phishing', 'apt-x'],
        techniques: ['T1566.001'],
        comment: 'Landing page, seen 2026-10-30',
        confidence: 80,
      }),
      expect.objectContaining({ type: 'ip-dst', value: '203.0.113.77', tlp: 'AMBER', releasableTo: ['US', 'CA'], techniques: ['T1071'] }),
      expect.objectContaining({ type: 'md5', tlp: 'GREEN', comment: 'empty file hash' }),
      expect.objectContaining({ type: 'url', value: 'http://defanged.example/path', tlp: 'CLEAR' }),
    ]);
    expect(errors(r)).toEqual([expect.stringMatching(/row 5: unknown TLP/), expect.stringMatching(/row 6: technique "T99"/), expect.stringMatching(/row 7: confidence "high"/)]);
  });

  it('Unit 42 bitter: hash columns and a defanged C2 column; "Unknown" and "[CORRUPT]" refused', () => {
    const r = readCsv(fixture('unit42-bitter-iocs.csv'));
    expect([count(r, 'sha256'), count(r, 'sha1'), count(r, 'md5')]).toEqual([7, 7, 7]);
    expect(
      ok(r)
        .filter((c) => ['domain', 'hostname', 'ip-dst'].includes(c.type))
        .map((c) => c.value),
    ).toEqual(['frameworksupport.net', 'hewle.kielsoservice.net', 'nethosttalk.com', '192.168.137.102']);
    expect(errors(r)).toEqual([expect.stringMatching(/row 6: .*"Unknown"/), expect.stringMatching(/row 7: .*"\[CORRUPT\]"/)]);
  });

  it('Unit 42 SquirtDanger: a C2 column of addresses next to a date', () => {
    const r = readCsv(fixture('unit42-squirtdanger-c2.csv'));
    expect(r.mapping).toEqual(['ignore', 'value:other']);
    expect([ok(r).length, count(r, 'ip-dst'), errors(r).length]).toEqual([12, 12, 0]);
  });

  it('Unit 42 VenomRAT: hashes and C2 names or address:port; a ":None" port refused', () => {
    const r = readCsv(fixture('unit42-venomrat-iocs.csv'));
    // Six address:port rows, one address with two ports: five addresses, the ports kept as tags.
    expect([count(r, 'sha256'), count(r, 'hostname'), count(r, 'ip-dst')]).toEqual([14, 7, 5]);
    expect(ok(r).find((c) => c.value === '3.127.59.75')).toMatchObject({ count: 2, port: 11670, tags: ['port:11670', 'port:4824'] });
    expect(r.candidates.filter((c) => c.error).map((c) => c.value)).toEqual(['95.214.26.97:None']);
  });

  it('Unit 42 xHunt: hashes, file names, C2 domains and notes as comments', () => {
    const r = readCsv(fixture('unit42-xhunt-iocs.csv'));
    expect([count(r, 'sha256'), count(r, 'filename'), count(r, 'domain'), errors(r).length]).toEqual([7, 4, 7, 0]);
    expect(ok(r).find((c) => c.value === 'sakabota.com')?.comment).toBe('2018 infrastructure overlap');
  });
});
