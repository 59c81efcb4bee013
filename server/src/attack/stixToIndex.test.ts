/**
 * The shipped ATT&CK data (server/data/attack) and the converter that builds it. Counts are those of
 * the bundles shipped today (enterprise and ICS v18.1, mobile v17.1); a regeneration from newer
 * bundles updates them here on purpose.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttackCatalog } from './catalog.js';
import { StixImportError, shortDescription, stixToIndex } from './stixToIndex.js';

const catalog = new AttackCatalog(mkdtempSync(join(tmpdir(), 'huntroom-attack-')));

describe.each([
  {
    domain: 'enterprise-attack',
    version: '18.1',
    tactics: 14,
    techniques: 691,
    subs: 475,
    groups: 172,
    software: 784,
    gone: ['T1066', 'T1156', 'T1153', 'T1062'],
    goneGroups: ['G0014', 'G0116'],
  },
  { domain: 'ics-attack', version: '18.1', tactics: 12, techniques: 83, subs: 0, groups: 14, software: 23, gone: ['T0850', 'T0810'], goneGroups: ['G0074', 'G0057'] },
  { domain: 'mobile-attack', version: '17.1', tactics: 12, techniques: 121, subs: 46, groups: 15, software: 118, gone: ['T1540', 'T1454', 'T1470', 'T1453'], goneGroups: [] },
] as const)('shipped $domain', (e) => {
  const index = catalog.get(e.domain).index();

  it('has the release, tactics in matrix order, techniques, groups and software', () => {
    expect(index.domain).toBe(e.domain);
    expect(index.version).toBe(e.version);
    expect(index.tactics).toHaveLength(e.tactics);
    expect(index.techniques).toHaveLength(e.techniques);
    expect(index.techniques.filter((t) => t.parent)).toHaveLength(e.subs);
    expect(index.groups).toHaveLength(e.groups);
    expect(index.software).toHaveLength(e.software);
  });

  it('skips revoked and deprecated techniques and groups', () => {
    const ids = new Set(index.techniques.map((t) => t.id));
    for (const id of e.gone) expect(ids.has(id)).toBe(false);
    const groups = new Set(index.groups.map((g) => g.id));
    for (const id of e.goneGroups) expect(groups.has(id)).toBe(false);
  });

  it('links every technique to known tactics and every group technique to a known technique', () => {
    const tactics = new Set(index.tactics.map((t) => t.shortname));
    const ids = new Set(index.techniques.map((t) => t.id));
    for (const t of index.techniques) {
      expect(t.tactics.length).toBeGreaterThan(0);
      for (const s of t.tactics) expect(tactics.has(s)).toBe(true);
      if (t.parent) expect(ids.has(t.parent)).toBe(true);
      expect(t.description).not.toMatch(/Citation:/);
    }
    for (const g of index.groups) for (const id of g.techniques) expect(ids.has(id)).toBe(true);
  });
});

describe('enterprise specifics', () => {
  const index = catalog.get('enterprise-attack').index();
  it('starts the matrix with Reconnaissance and ends with Impact, and knows T1059.001 and APT28', () => {
    expect(index.tactics[0]!.name).toBe('Reconnaissance');
    expect(index.tactics.at(-1)!.name).toBe('Impact');
    expect(index.techniques.find((t) => t.id === 'T1059.001')).toMatchObject({ name: 'PowerShell', parent: 'T1059', tactics: ['execution'] });
    const apt28 = index.groups.find((g) => g.id === 'G0007')!;
    expect(apt28.name).toBe('APT28');
    expect(apt28.techniques).toContain('T1059.001');
  });
});

describe('converter', () => {
  const matrix = {
    type: 'x-mitre-matrix',
    id: 'x-mitre-matrix--1',
    name: 'Mini',
    tactic_refs: ['x-mitre-tactic--1'],
    external_references: [{ source_name: 'mitre-attack', external_id: 'ics-attack' }],
  };
  const tactic = {
    type: 'x-mitre-tactic',
    id: 'x-mitre-tactic--1',
    name: 'Impact',
    x_mitre_shortname: 'impact-ics',
    external_references: [{ source_name: 'mitre-attack', external_id: 'TA0105' }],
  };
  const tech = (id: string, extra: object = {}) => ({
    type: 'attack-pattern',
    id: `attack-pattern--${id}`,
    name: `Tech ${id}`,
    description: 'Does a thing. (Citation: Someone 2020) More detail.',
    kill_chain_phases: [{ kill_chain_name: 'mitre-ics-attack', phase_name: 'impact-ics' }],
    external_references: [{ source_name: 'mitre-attack', external_id: id, url: `https://x/${id}` }],
    ...extra,
  });

  it('reads STIX 2.1 objects and 2.0 bundles alike, skipping revoked and deprecated', () => {
    const objects = [matrix, tactic, tech('T0800'), tech('T0801', { revoked: true }), tech('T0802', { x_mitre_deprecated: true })];
    for (const bundle of [
      { type: 'bundle', id: 'bundle--1', objects: objects.map((o) => ({ ...o, spec_version: '2.1' })) },
      { type: 'bundle', id: 'bundle--2', spec_version: '2.0', objects },
    ]) {
      const index = stixToIndex(bundle, '1.0');
      expect(index.techniques.map((t) => t.id)).toEqual(['T0800']);
      expect(index.techniques[0]!.description).toBe('Does a thing.');
      expect(index.version).toBe('1.0');
    }
  });

  it('refuses a file that is not an ATT&CK bundle, saying why', () => {
    expect(() => stixToIndex({ hello: 1 })).toThrow(StixImportError);
    expect(() => stixToIndex({ type: 'bundle', objects: [tactic] })).toThrow(/no x-mitre-matrix/);
    expect(() => stixToIndex({ type: 'bundle', objects: [{ ...matrix, external_references: [{ source_name: 'mitre-attack', external_id: 'pre-attack' }] }] })).toThrow(
      /unknown ATT&CK domain/,
    );
    expect(() => stixToIndex({ type: 'bundle', objects: [matrix, tactic] })).toThrow(/no live techniques/);
  });

  it('shortens descriptions to one sentence without citations', () => {
    expect(shortDescription('First (Citation: A) sentence. Second one.')).toBe('First sentence.');
    expect(shortDescription('x'.repeat(400))).toHaveLength(298);
  });
});
