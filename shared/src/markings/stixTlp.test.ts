import { describe, expect, it } from 'vitest';
import { importMisp, importStix } from '../indicators/importFormats.js';
import { TLP_LEVELS } from './tlp.js';
import { stixMarkingDefinition, stixMarkingId, strictestTlp, tlpOfMarkingId, tlpOfMarkingObject, tlpOfName } from './stixTlp.js';

const STIX21_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
const OASIS_AMBER_STRICT = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
const OASIS_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const OPENCTI_AMBER_STRICT = 'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37';

describe('STIX TLP marking definitions', () => {
  it('exports STIX 2.1 ids for CLEAR/GREEN/AMBER/RED and the OASIS object for AMBER+STRICT', () => {
    expect(stixMarkingId('CLEAR')).toBe(STIX21_WHITE);
    expect(stixMarkingId('AMBER')).toBe('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82');
    expect(stixMarkingId('AMBER+STRICT')).toBe(OASIS_AMBER_STRICT);
    expect(stixMarkingDefinition('GREEN')).toMatchObject({ definition_type: 'tlp', definition: { tlp: 'green' }, name: 'TLP:GREEN' });
    expect(stixMarkingDefinition('AMBER+STRICT')).toMatchObject({
      id: OASIS_AMBER_STRICT,
      extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { tlp_2_0: 'amber+strict' } },
    });
    // Every exported definition reads back as its own level.
    for (const level of TLP_LEVELS) {
      expect(tlpOfMarkingId(stixMarkingId(level))).toBe(level);
      expect(tlpOfMarkingObject(stixMarkingDefinition(level))).toBe(level);
    }
  });

  it('reads all three id sets and names', () => {
    expect(tlpOfMarkingId(OASIS_RED)).toBe('RED');
    expect(tlpOfMarkingId(OPENCTI_AMBER_STRICT)).toBe('AMBER+STRICT');
    expect(tlpOfMarkingId('marking-definition--00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(tlpOfName('tlp:white')).toBe('CLEAR');
    expect(tlpOfName('TLP:AMBER+STRICT')).toBe('AMBER+STRICT');
    expect(tlpOfName('amber_strict')).toBe('AMBER+STRICT');
    expect(tlpOfName('tlp:ex:chr')).toBeUndefined();
    expect(strictestTlp(['GREEN', 'RED', 'AMBER'])).toBe('RED');
    expect(strictestTlp([])).toBeUndefined();
  });
});

describe('imports keep markings', () => {
  const indicator = (id: string, value: string, refs: string[]) => ({
    type: 'indicator',
    id,
    pattern: `[domain-name:value = '${value}']`,
    pattern_type: 'stix',
    object_marking_refs: refs,
  });

  it('STIX: marking refs of any known set, and a bundle-defined marking, the strictest winning', () => {
    const c = importStix({
      type: 'bundle',
      objects: [
        {
          type: 'marking-definition',
          id: 'marking-definition--11111111-1111-4111-8111-111111111111',
          name: 'TLP:RED',
          x_opencti_definition: 'TLP:RED',
          definition_type: 'statement',
          definition: { statement: 'x' },
        },
        indicator('indicator--1', 'white.example.org', [STIX21_WHITE]),
        indicator('indicator--2', 'strict.example.org', [OASIS_AMBER_STRICT]),
        indicator('indicator--3', 'octi.example.org', [OPENCTI_AMBER_STRICT, STIX21_WHITE]),
        indicator('indicator--4', 'own.example.org', ['marking-definition--11111111-1111-4111-8111-111111111111']),
        indicator('indicator--5', 'none.example.org', []),
        indicator('indicator--6', 'white.example.org', [OASIS_RED]),
      ],
    });
    const tlp = Object.fromEntries(c.map((x) => [x.value, x.tlp]));
    expect(tlp).toEqual({
      'white.example.org': 'RED',
      'strict.example.org': 'AMBER+STRICT',
      'octi.example.org': 'AMBER+STRICT',
      'own.example.org': 'RED',
      'none.example.org': undefined,
    });
  });

  it("MISP: an attribute's tlp: tag, else the event's, becomes the marking, not a tag", () => {
    const c = importMisp({
      Event: {
        Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { type: 'domain', value: 'a.example.org', Tag: [{ name: 'tlp:amber+strict' }, { name: 'apt-x' }] },
          { type: 'domain', value: 'b.example.org' },
        ],
      },
    });
    expect(c.map((x) => [x.value, x.tlp, x.tags ?? []])).toEqual([
      ['a.example.org', 'AMBER+STRICT', ['apt-x']],
      ['b.example.org', 'GREEN', []],
    ]);
  });
});
