/**
 * TLP in STIX 2.1 and MISP. Exports use the marking definitions the STIX 2.1 specification predefines
 * for CLEAR (its TLP:WHITE), GREEN, AMBER and RED, and the OASIS TLP 2.0 extension's object for
 * AMBER+STRICT, which STIX 2.1 does not predefine. Imports accept all three id sets seen in the wild:
 * STIX 2.1's, OASIS TLP 2.0's, and OpenCTI's (STIX 2.1's plus its own AMBER+STRICT), and a bundle's
 * own marking-definition objects that state a level.
 */
import { TLP_LEVELS, type TlpLevel } from './tlp.js';

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** STIX 2.1 section 7.2.1.4 (TLP 1.0: WHITE is TLP 2.0's CLEAR). */
const STIX21: Partial<Record<TlpLevel, string>> = {
  CLEAR: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/** The OASIS TLP 2.0 marking definitions (cti-stix-common-objects). */
const OASIS_TLP2: Record<TlpLevel, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const OPENCTI_AMBER_STRICT = 'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37';

const BY_ID = new Map<string, TlpLevel>([
  ...Object.entries(STIX21).map(([level, id]) => [id, level as TlpLevel] as const),
  ...Object.entries(OASIS_TLP2).map(([level, id]) => [id, level as TlpLevel] as const),
  [OPENCTI_AMBER_STRICT, 'AMBER+STRICT'],
]);

/** The level a known TLP marking-definition id stands for. */
export const tlpOfMarkingId = (id: string): TlpLevel | undefined => BY_ID.get(id.toLowerCase());

/** A level from a name such as "amber+strict", "TLP:WHITE" or a MISP tag "tlp:clear". */
export function tlpOfName(name: string): TlpLevel | undefined {
  const bare = name
    .trim()
    .toUpperCase()
    .replace(/^TLP:\s*/, '')
    .replace(/_/g, '+');
  if (bare === 'WHITE') return 'CLEAR';
  return (TLP_LEVELS as readonly string[]).includes(bare) ? (bare as TlpLevel) : undefined;
}

/** The most restrictive of some levels (CLEAR < GREEN < AMBER < AMBER+STRICT < RED). */
export function strictestTlp(levels: readonly TlpLevel[]): TlpLevel | undefined {
  return levels.reduce<TlpLevel | undefined>((a, b) => (a === undefined || TLP_LEVELS.indexOf(b) > TLP_LEVELS.indexOf(a) ? b : a), undefined);
}

/** The id an export references for a level. */
export const stixMarkingId = (level: TlpLevel): string => STIX21[level] ?? OASIS_TLP2[level];

/** The marking-definition object an export includes for a level, as its standard publishes it. */
export function stixMarkingDefinition(level: TlpLevel): Record<string, unknown> {
  if (level === 'AMBER+STRICT') {
    return {
      type: 'marking-definition',
      spec_version: '2.1',
      id: OASIS_TLP2[level],
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } },
    };
  }
  const tlp1 = level === 'CLEAR' ? 'white' : level.toLowerCase();
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: STIX21[level],
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${tlp1.toUpperCase()}`,
    definition: { tlp: tlp1 },
  };
}

/** A bundle's own marking-definition object, if it states a TLP level (TLP 1.0 style or the extension). */
export function tlpOfMarkingObject(o: Record<string, unknown>): TlpLevel | undefined {
  if (o.type !== 'marking-definition') return undefined;
  // STIX writes definition_type "tlp" and {"tlp": "amber"}; OpenCTI "TLP" and {"TLP": "TLP:AMBER"}.
  const def = o.definition && typeof o.definition === 'object' ? Object.entries(o.definition as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'tlp')?.[1] : undefined;
  if (typeof o.definition_type === 'string' && o.definition_type.toLowerCase() === 'tlp' && typeof def === 'string') return tlpOfName(def);
  const ext = (o.extensions as Record<string, { tlp_2_0?: unknown }> | undefined)?.[TLP2_EXTENSION_ID];
  if (typeof ext?.tlp_2_0 === 'string') return tlpOfName(ext.tlp_2_0);
  // OpenCTI's statement-style definitions name the level.
  const named = typeof o.x_opencti_definition === 'string' ? o.x_opencti_definition : typeof o.name === 'string' && /^TLP:/i.test(o.name) ? o.name : undefined;
  return named ? tlpOfName(named) : undefined;
}
