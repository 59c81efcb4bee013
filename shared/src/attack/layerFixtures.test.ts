/**
 * Every Navigator layer of test/fixtures/interop/navigator imports as its README says: MITRE's own
 * examples of the layer formats 3.0 (converted) and 4.0 to 4.5, and MITRE's Bear_APT sample layer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportLayer, importLayer } from './layer.js';

const dir = new URL('../../../test/fixtures/interop/navigator/', import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

/** The examples of the 4.3 to 4.5 specs add T1098 to the five techniques of the older ones; T1078 is disabled. */
const OLD_EXAMPLE = [
  { techniqueId: 'T1110', team: 'US', status: 'suspected', comment: 'This is a comment for technique T1110' },
  { techniqueId: 'T1110.001', team: 'US', status: 'suspected', comment: 'This is a comment for T1110.001 - the first subtechnique of technique T1110.001' },
  { techniqueId: 'T1134', team: 'US', status: 'observed', score: 75, comment: 'this is a comment for T1134 which is only applied on the defense-evasion tactic' },
  { techniqueId: 'T1053', team: 'US', status: 'suspected' },
];
const NEW_EXAMPLE = [
  { ...OLD_EXAMPLE[0], score: 0 },
  { ...OLD_EXAMPLE[1], status: 'observed', score: 100 },
  OLD_EXAMPLE[2],
  OLD_EXAMPLE[3],
  { techniqueId: 'T1098', team: 'US', status: 'observed', score: 80 },
];

describe('Navigator layer fixtures', () => {
  it.each([
    ['layer-3.0-spec-example.json', OLD_EXAMPLE],
    ['layer-4.0-spec-example.json', OLD_EXAMPLE],
    ['layer-4.1-spec-example.json', OLD_EXAMPLE],
    ['layer-4.2-spec-example.json', OLD_EXAMPLE],
    ['layer-4.3-spec-example.json', NEW_EXAMPLE],
    ['layer-4.4-spec-example.json', NEW_EXAMPLE],
    ['layer-4.5-spec-example.json', NEW_EXAMPLE],
  ])('%s imports its enabled techniques with score and comment', (name, expected) => {
    expect(importLayer(load(name), 'us', 'enterprise-attack')).toEqual({ ok: true, marks: expected });
  });

  it('Bear_APT.json (MITRE sample, 4.5): 126 techniques, each suspected with its comment', () => {
    const r = importLayer(load('Bear_APT.json'), 'CA', 'enterprise-attack');
    if (!r.ok) throw new Error(r.error);
    expect(r.marks).toHaveLength(126);
    expect(new Set(r.marks.map((m) => m.status))).toEqual(new Set(['suspected']));
    expect(r.marks[0]).toEqual({ techniqueId: 'T1001.001', team: 'CA', status: 'suspected', comment: 'used by Fancy Bear' });
  });

  it('the older formats name the domain mitre-enterprise, which is enterprise-attack', () => {
    expect(importLayer(load('layer-4.0-spec-example.json'), 'US', 'mobile-attack')).toEqual({ ok: false, error: 'this layer is for enterprise-attack, not mobile-attack' });
  });

  it('a list of one layer (the Navigator saves all open layers as a list) imports; of several, is refused', () => {
    const one = load('layer-4.5-spec-example.json');
    expect(importLayer([one], 'US', 'enterprise-attack')).toEqual({ ok: true, marks: NEW_EXAMPLE });
    expect(importLayer([one, one], 'US', 'enterprise-attack')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^this file holds 2 Navigator layers; Huntroom imports one layer at a time/),
    });
  });

  it('a technique listed once per tactic becomes one mark: strongest status, highest score, both comments', () => {
    const layer = {
      versions: { layer: '4.5' },
      domain: 'enterprise-attack',
      techniques: [
        { techniqueID: 'T1053', tactic: 'execution', score: 20, comment: 'cron' },
        { techniqueID: 'T1053', tactic: 'persistence', score: 70, comment: 'at' },
        { techniqueID: 'T1053', tactic: 'privilege-escalation', score: 70, comment: 'at' },
      ],
    };
    expect(importLayer(layer, 'US', 'enterprise-attack')).toEqual({ ok: true, marks: [{ techniqueId: 'T1053', team: 'US', status: 'observed', score: 70, comment: 'cron\nat' }] });
  });

  it('a layer without versions (optional in 4.x) is read as 4.5; unknown fields are ignored', () => {
    const layer = { name: 'x', domain: 'enterprise-attack', somethingNew: { a: 1 }, techniques: [{ techniqueID: 'T1110', score: 60, futureField: true }] };
    expect(importLayer(layer, 'US', 'enterprise-attack')).toEqual({ ok: true, marks: [{ techniqueId: 'T1110', team: 'US', status: 'observed', score: 60 }] });
  });

  it('errors say where: a bad metadata entry, a score out of range, a layer that is not an object', () => {
    const base = load('layer-4.5-spec-example.json') as { techniques: Record<string, unknown>[] };
    const badMeta = structuredClone(base);
    badMeta.techniques[4]!.metadata = [{ name: 'x' }];
    expect(importLayer(badMeta, 'US', 'enterprise-attack')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a usable Navigator layer: techniques\.4\.metadata\.0: /),
    });
    const badScore = structuredClone(base);
    badScore.techniques[2]!.score = 250;
    expect(importLayer(badScore, 'US', 'enterprise-attack')).toEqual({ ok: false, error: 'not a usable Navigator layer: techniques.2.score: Huntroom scores are 0 to 100' });
    expect(importLayer('layer', 'US', 'enterprise-attack')).toEqual({ ok: false, error: 'not a usable Navigator layer: (layer): expected a layer object' });
  });

  it('round trip: every team exported one at a time and imported back gives the same marks', () => {
    const marks = [
      { techniqueId: 'T1059.001', team: 'US', status: 'observed' as const, score: 80, comment: 'PowerShell on DC01\nsecond line' },
      { techniqueId: 'T1071', team: 'US', status: 'not-found' as const },
      { techniqueId: 'T1110', team: 'US', status: 'suspected' as const, score: 0, comment: 'spray' },
      { techniqueId: 'T1059.001', team: 'CA', status: 'suspected' as const, comment: 'CA view' },
    ];
    for (const team of ['US', 'CA']) {
      const layer = exportLayer(marks, { domain: 'enterprise-attack', attackVersion: '18.1', name: team, team });
      const back = importLayer(JSON.parse(JSON.stringify(layer)), team, 'enterprise-attack');
      const own = marks.filter((m) => m.team === team).sort((a, b) => a.techniqueId.localeCompare(b.techniqueId, 'en', { numeric: true }));
      expect(back).toEqual({ ok: true, marks: own });
    }
    // The all-teams layer gives each team its own status and comment back too.
    const all = JSON.parse(JSON.stringify(exportLayer(marks, { domain: 'enterprise-attack', attackVersion: '18.1', name: 'all' }))) as unknown;
    const ca = importLayer(all, 'CA', 'enterprise-attack');
    expect(ca.ok && ca.marks.find((m) => m.techniqueId === 'T1059.001')).toEqual({ techniqueId: 'T1059.001', team: 'CA', status: 'suspected', score: 80, comment: 'CA view' });
  });
});
