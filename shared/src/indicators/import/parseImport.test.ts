/**
 * The import pipeline's shared steps: recognizing the format, reading and judging candidates as the
 * commit will (so the preview shows what the server does), and applying the user's choices.
 */
import { describe, expect, it } from 'vitest';
import { candidateKey, detectFormat, parseImport, planImport } from './parseImport.js';
import { importRequestSchema } from './request.js';
import { ImportError } from './errors.js';

describe('detectFormat', () => {
  it('reads the file name, then the first characters', () => {
    expect(detectFormat('list.CSV', '1.2.3.4')).toBe('csv');
    expect(detectFormat('', '  {"type": "bundle", "id": "bundle--1", "objects": []}')).toBe('stix');
    expect(detectFormat('', '{"response": [{"Event": {}}]}')).toBe('misp');
    expect(detectFormat('', '{"Event": {"info": "x"}}')).toBe('misp');
    expect(detectFormat('', '{"info": "x", "Attribute": []}')).toBe('misp');
    expect(detectFormat('', 'value,type,tlp\nevil.top,domain,RED')).toBe('csv');
    // A report's first sentence with a comma stays free text: it names fewer than two columns.
    expect(detectFormat('', 'IOC, seen today: evil.top')).toBe('text');
    expect(detectFormat('report.json', 'C2 at evil.top')).toBe('text');
  });
});

describe('parseImport', () => {
  it('judges each candidate as bulkCreate will: an over-long value is refused with the same reason', () => {
    const p = parseImport(`see http://long-url.top/${'a'.repeat(9_000)} and fine-host.top`, 'auto');
    expect(p.format).toBe('text');
    const long = p.candidates.find((c) => c.value.startsWith('http://long-url.top/'))!;
    expect(long.error).toMatch(/^value: .*8192/);
    expect(p.candidates.find((c) => c.value === 'fine-host.top')).toMatchObject({ type: 'domain' });
    expect(p.candidates.find((c) => c.value === 'fine-host.top')!.error).toBeUndefined();
  });

  it('marks MISP context attributes as skipped (not refused), by the MISP importer’s own rule', () => {
    const event = {
      Event: {
        Attribute: [
          { type: 'domain', value: 'misp-parse.top' },
          { type: 'link', value: 'https://blog.example/x' },
        ],
      },
    };
    const p = parseImport(JSON.stringify(event), 'misp');
    expect(p.candidates.find((c) => c.value === 'https://blog.example/x')!.skip).toMatch(/context, not an indicator/);
    expect(p.candidates.find((c) => c.value === 'misp-parse.top')!.skip).toBeUndefined();
  });

  it('refuses a malformed file as a whole with where it broke', () => {
    expect(() => parseImport('{"Event": ', 'misp')).toThrow(ImportError);
    expect(() => parseImport('{"Event": ', 'misp')).toThrow(/^MISP: the file is not valid JSON/);
    expect(() => parseImport('value\n"open', 'csv')).toThrow(/never closed/);
  });

  it('reports progress through the whole content', () => {
    const seen: [number, number][] = [];
    const text = Array.from({ length: 40_000 }, (_, i) => `host-${i}.progress.top`).join('\n');
    parseImport(text, 'text', { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([text.length, text.length]);
  });
});

describe('planImport', () => {
  const parsed = parseImport(
    ['value,type,tlp,releasable_to,status', 'own-tlp.top,domain,RED,CA,', 'bare.top,domain,,,', 'doc.example.com,domain,,,', 'x,ip-dst,,,'].join('\n'),
    'csv',
  );

  it('applies exclusions, leaves probably benign values out unless kept, and lists refusals', () => {
    const plan = planImport(parsed, { exclude: [candidateKey({ type: 'domain', value: 'bare.top' })] }, 'AMBER');
    expect(plan.items.map((i) => i.item.value)).toEqual(['own-tlp.top']);
    expect(plan.skipped).toEqual([
      { value: 'bare.top', reason: 'left out by the user' },
      { value: 'doc.example.com', reason: expect.stringMatching(/^probably benign: /) },
    ]);
    expect(plan.rejected).toEqual([{ value: 'x', reason: expect.stringMatching(/not an IPv4 or IPv6 address/) }]);
    expect(planImport(parsed, { keepBenign: true }, 'AMBER').items.map((i) => i.item.value)).toEqual(['own-tlp.top', 'bare.top', 'doc.example.com']);
  });

  it("fills only what a row leaves empty with the defaults; the row's own marking wins", () => {
    const plan = planImport(parsed, { keepBenign: true, defaults: { marking: { tlp: 'GREEN', releasableTo: ['LV'] }, status: 'investigating' } }, 'AMBER');
    const byValue = Object.fromEntries(plan.items.map((i) => [i.item.value, i.item]));
    expect(byValue['own-tlp.top']).toMatchObject({ tlp: 'RED', releasableTo: ['CA'], status: 'investigating' });
    expect(byValue['bare.top']).toMatchObject({ tlp: 'GREEN', releasableTo: ['LV'], status: 'investigating' });
    // Without defaults, the workspace's level.
    expect(planImport(parsed, { keepBenign: true }, 'AMBER').items.find((i) => i.item.value === 'bare.top')!.item.tlp).toBe('AMBER');
  });

  it('adds the default tags to every row, beside its own', () => {
    const rows = parseImport(['value,type,tags', 'tagged.top,domain,c2', 'untagged.top,domain,'].join('\n'), 'csv');
    const plan = planImport(rows, { defaults: { tags: ['op-nightfall', 'c2'] } }, 'AMBER');
    const byValue = Object.fromEntries(plan.items.map((i) => [i.item.value, i.item.tags]));
    expect(byValue['tagged.top']).toEqual(['c2', 'op-nightfall']);
    expect(byValue['untagged.top']).toEqual(['op-nightfall', 'c2']);
  });

  it('with the teams known, a row naming an unknown team is refused with the reason the server gives', () => {
    const teams = [
      { id: 't-ca', code: 'CA' },
      { id: 't-us', code: 'US' },
    ];
    const rows = parseImport(['value,type,releasable_to', 'to-ca.top,domain,ca', 'to-zz.top,domain,ZZ', 'to-all.top,domain,'].join('\n'), 'csv');
    const plan = planImport(rows, { teams }, 'AMBER');
    expect(plan.items.map((i) => i.item.value)).toEqual(['to-ca.top', 'to-all.top']);
    expect(plan.rejected).toEqual([{ value: 'to-zz.top', reason: 'unknown team: ZZ' }]);
    // Without the teams (the server), the item goes on and bulkCreate's normalization judges it.
    expect(planImport(rows, {}, 'AMBER').items.map((i) => i.item.value)).toEqual(['to-ca.top', 'to-zz.top', 'to-all.top']);
  });

  it("appends a file's sightings as sighting items after every indicator, with the indicator's marking", () => {
    const stix = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--11111111-1111-4111-8111-111111111111',
          created: '2020-01-01T00:00:00Z',
          modified: '2020-01-01T00:00:00Z',
          pattern: "[domain-name:value = 'sighted-plan.top']",
          pattern_type: 'stix',
          valid_from: '2020-01-01T00:00:00Z',
        },
        {
          type: 'sighting',
          spec_version: '2.1',
          id: 'sighting--22222222-2222-4222-8222-222222222222',
          created: '2020-01-02T00:00:00Z',
          modified: '2020-01-02T00:00:00Z',
          sighting_of_ref: 'indicator--11111111-1111-4111-8111-111111111111',
          count: 2,
        },
      ],
    };
    const plan = planImport(parseImport(JSON.stringify(stix), 'stix'), { defaults: { marking: { tlp: 'RED', releasableTo: ['CA'] } } }, 'AMBER');
    expect(plan.items.map((i) => [i.item.value, i.sighting ?? false, i.item.tlp, i.item.releasableTo])).toEqual([
      ['sighted-plan.top', false, 'RED', ['CA']],
      ['sighted-plan.top', true, 'RED', ['CA']],
      ['sighted-plan.top', true, 'RED', ['CA']],
    ]);
  });
});

describe('importRequestSchema', () => {
  it('takes the documented fields and nothing else', () => {
    expect(importRequestSchema.safeParse({ format: 'auto', content: 'x', exclude: ['domain|a.top'], dryRun: true, keepBenign: false }).success).toBe(true);
    expect(importRequestSchema.safeParse({ format: 'csv', content: 'x', mapping: ['value', 'value:domain', 'ignore'] }).success).toBe(true);
    for (const bad of [
      { content: 'x' },
      { format: 'yaml', content: 'x' },
      { format: 'csv', content: 'x', mapping: ['value:nope'] },
      { format: 'text', content: 'x', defaults: { marking: { tlp: 'PURPLE' } } },
      { format: 'text', content: 'x', extra: 1 },
    ])
      expect(importRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
