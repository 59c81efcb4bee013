/**
 * Huntroom's STIX 2.1 property extension: what an indicator holds that STIX has no property for (its
 * exact type, status, releasability to teams, source). The export writes it on each indicator and
 * vulnerability with the extension-definition object below; the import reads it back; a bundle without
 * it imports by the plain STIX rules. Its JSON schema is docs/schemas/huntroom-indicator-extension.json.
 */
import { indicatorStatusSchema, INDICATOR_LIMITS, sightingInputSchema, type IndicatorStatus } from '../../../records/indicators.js';
import { isIndicatorType, type IndicatorType } from '../../types.js';

export const HUNTROOM_EXTENSION_ID = 'extension-definition--4c6a1f5e-8a2b-5d1e-9c3f-6b7e2a1d0f47';
/**
 * STIX lets `schema` be a URL or plain text. Huntroom has no fixed public address (each deployment has
 * its own), so the definition names the JSON Schema file of the source tree, which is normative.
 */
export const HUNTROOM_EXTENSION_SCHEMA = 'JSON Schema docs/schemas/huntroom-indicator-extension.json of the Huntroom source (draft 2020-12)';

/** Who defined the extension (STIX requires a creator for an extension-definition): Huntroom itself. */
export const HUNTROOM_IDENTITY: Record<string, unknown> = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--0b4c7f0e-3a5d-5e8f-9b1a-2c6d4e8f0a13',
  created: '2026-11-28T00:00:00.000Z',
  modified: '2026-11-28T00:00:00.000Z',
  name: 'Huntroom',
  identity_class: 'system',
};

/** The extension-definition SDO an export carries when it uses the extension (with HUNTROOM_IDENTITY). */
export function huntroomExtensionDefinition(): Record<string, unknown> {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: HUNTROOM_EXTENSION_ID,
    created_by_ref: HUNTROOM_IDENTITY.id,
    created: '2026-11-28T00:00:00.000Z',
    modified: '2026-11-28T00:00:00.000Z',
    name: 'Huntroom indicator',
    description: 'What a Huntroom indicator holds that STIX 2.1 has no property for: its exact type, status, releasability to teams and source.',
    schema: HUNTROOM_EXTENSION_SCHEMA,
    version: '1.0.0',
    extension_types: ['property-extension'],
  };
}

export interface HuntroomExtension {
  type?: IndicatorType;
  status?: IndicatorStatus;
  releasableTo?: string[];
  source?: string;
  /** When Huntroom first saw it: a vulnerability has no valid_from to carry it. */
  firstSeen?: string;
}

/** The extension's content as written by the export. */
export function huntroomExtension(e: { type: string; status: string; releasableTo: string[]; source: string; firstSeen: string }): Record<string, unknown> {
  return {
    [HUNTROOM_EXTENSION_ID]: {
      extension_type: 'property-extension',
      type: e.type,
      status: e.status,
      // STIX forbids empty lists and empty strings mean nothing: left out, they read back as every team and no source.
      ...(e.releasableTo.length ? { releasable_to: e.releasableTo } : {}),
      ...(e.source ? { source: e.source } : {}),
      first_seen: e.firstSeen,
    },
  };
}

/**
 * Reads the extension of a STIX object, or undefined when it has none. A field that is not as the
 * schema says is an error of that object (thrown as a sentence), never silently widened: a broken
 * `releasable_to` must not read as "every team".
 */
export function readHuntroomExtension(o: Record<string, unknown>): HuntroomExtension | undefined {
  const ext = (o.extensions as Record<string, unknown> | undefined)?.[HUNTROOM_EXTENSION_ID];
  if (ext === undefined) return undefined;
  if (!ext || typeof ext !== 'object') throw new Error('the Huntroom extension is not an object');
  const e = ext as Record<string, unknown>;
  const out: HuntroomExtension = {};
  if (e.type !== undefined) {
    if (typeof e.type !== 'string' || !isIndicatorType(e.type)) throw new Error(`the Huntroom extension names an unknown type ${JSON.stringify(e.type).slice(0, 40)}`);
    out.type = e.type;
  }
  if (e.status !== undefined) {
    const s = indicatorStatusSchema.safeParse(e.status);
    if (!s.success) throw new Error(`the Huntroom extension names an unknown status ${JSON.stringify(e.status).slice(0, 40)}`);
    out.status = s.data;
  }
  if (e.releasable_to !== undefined) {
    if (!Array.isArray(e.releasable_to) || !e.releasable_to.every((t) => typeof t === 'string' && t.trim()))
      throw new Error("the Huntroom extension's releasable_to must be a list of team codes");
    out.releasableTo = e.releasable_to as string[];
  }
  if (e.source !== undefined) {
    if (typeof e.source !== 'string' || e.source.length > INDICATOR_LIMITS.sourceMax)
      throw new Error(`the Huntroom extension's source must be text of at most ${INDICATOR_LIMITS.sourceMax} characters`);
    out.source = e.source;
  }
  if (e.first_seen !== undefined) {
    if (typeof e.first_seen !== 'string' || !sightingInputSchema.shape.seenAt.safeParse(e.first_seen).success)
      throw new Error("the Huntroom extension's first_seen must be a timestamp");
    out.firstSeen = e.first_seen;
  }
  return out;
}
