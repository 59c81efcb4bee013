import { describe, expect, it } from 'vitest';
import { exportLayer, importLayer, STATUS_COLORS } from './layer.js';
import type { Mark } from './marks.js';

const marks: Mark[] = [
  { techniqueId: 'T1059.001', team: 'US', status: 'observed', score: 80, comment: 'PowerShell on DC01' },
  { techniqueId: 'T1059.001', team: 'CA', status: 'suspected' },
  { techniqueId: 'T1071', team: 'CA', status: 'not-found' },
];

describe('Navigator layers', () => {
  it('exports all teams: strongest status as colour, every team in the comment and metadata', () => {
    const layer = exportLayer(marks, { domain: 'enterprise-attack', attackVersion: '18.1', name: 'Op' });
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.techniques.map((t) => t.techniqueID)).toEqual(['T1059.001', 'T1071']);
    const ps = layer.techniques[0]!;
    expect(ps).toMatchObject({ score: 80, color: STATUS_COLORS.observed, showSubtechniques: true });
    expect(ps.comment).toBe('US: observed - PowerShell on DC01\nCA: suspected');
    expect(ps.metadata).toEqual([
      { name: 'US', value: 'observed' },
      { name: 'US comment', value: 'PowerShell on DC01' },
      { name: 'CA', value: 'suspected' },
    ]);
  });

  it('exports one team only', () => {
    const layer = exportLayer(marks, { domain: 'enterprise-attack', attackVersion: '18.1', name: 'CA', team: 'CA' });
    expect(layer.techniques.map((t) => [t.techniqueID, t.color])).toEqual([
      ['T1059.001', STATUS_COLORS.suspected],
      ['T1071', STATUS_COLORS['not-found']],
    ]);
  });

  it('round-trips a team through export and import', () => {
    const layer = exportLayer(marks, { domain: 'enterprise-attack', attackVersion: '18.1', name: 'US', team: 'US' });
    const back = importLayer(JSON.parse(JSON.stringify(layer)), 'us', 'enterprise-attack');
    expect(back).toEqual({ ok: true, marks: [{ techniqueId: 'T1059.001', team: 'US', status: 'observed', score: 80, comment: 'PowerShell on DC01' }] });
  });

  it('imports a plain Navigator layer by colour or score, and skips disabled techniques', () => {
    const r = importLayer(
      {
        versions: { layer: '4.5' },
        domain: 'enterprise-attack',
        techniques: [
          { techniqueID: 't1003', score: 90 },
          { techniqueID: 'T1021', color: '#F5A524' },
          { techniqueID: 'T1110', enabled: false },
        ],
      },
      'LV',
      'enterprise-attack',
    );
    expect(r).toEqual({
      ok: true,
      marks: [
        { techniqueId: 'T1003', team: 'LV', status: 'observed', score: 90 },
        { techniqueId: 'T1021', team: 'LV', status: 'suspected' },
      ],
    });
  });

  it('refuses bad layers with a clear reason', () => {
    expect(importLayer({ hello: 1 }, 'US', 'enterprise-attack')).toMatchObject({ ok: false, error: expect.stringMatching(/^not a usable Navigator layer: domain: /) });
    expect(importLayer({ versions: 4 }, 'US', 'enterprise-attack')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a usable Navigator layer: versions: expected an object/),
    });
    expect(importLayer({ versions: { layer: '2.2' }, domain: 'enterprise-attack', techniques: [] }, 'US', 'enterprise-attack')).toEqual({
      ok: false,
      error:
        'Navigator layer format 2.2 is not supported: Huntroom reads Navigator layer format 4.0 to 4.5 (3.0 is converted); open the layer in a current Navigator and save it again',
    });
    expect(importLayer({ versions: { layer: '4.5' }, domain: 'ics-attack', techniques: [] }, 'US', 'enterprise-attack')).toMatchObject({
      error: 'this layer is for ics-attack, not enterprise-attack',
    });
    expect(importLayer({ versions: { layer: '4.5' }, domain: 'enterprise-attack', techniques: [{ techniqueID: 'X1' }] }, 'US', 'enterprise-attack')).toMatchObject({
      error: expect.stringMatching(/techniques.0.techniqueID/),
    });
  });
});
