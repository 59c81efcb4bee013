/**
 * STIX 2.1 bundles into candidates. Read: indicators (STIX patterns, YARA rules), vulnerabilities (CVE
 * ids), observables on their own or through observed-data (object_refs or the older inline `objects`),
 * with their TLP markings (STIX 2.1, OASIS TLP 2.0 and OpenCTI ids or the bundle's own definitions; the
 * strictest wins), labels and indicator_types as tags, the creator's identity as source, confidence and
 * valid_from; ATT&CK techniques from `indicates` relationships; notes and opinions as comments;
 * sightings; and Huntroom's own extension (exact type, status, releasability, source).
 *
 * Every object is judged on its own: a broken one becomes a candidate with `error` (the preview shows
 * why, it is never committed), one Huntroom skips on purpose (a LIKE comparison, a Sigma rule, a
 * software product) also gets `skipped`; the rest of the bundle imports. Only input that is not a
 * bundle at all is refused as a whole.
 */
import { CandidateSet, type Candidate } from '../../candidates.js';
import { isIndicatorType } from '../../types.js';
import { INDICATOR_LIMITS, tagSchema } from '../../../records/indicators.js';
import { strictestTlp } from '../../../markings/stixTlp.js';
import { ImportError } from '../errors.js';
import { BundleIndex, strings } from './bundle.js';
import { readHuntroomExtension, type HuntroomExtension } from './extension.js';
import { CONSUMED_REFS, observableValues, SCO_TYPES, type Found, type StixObject } from './observables.js';
import { patternValues } from './patternValues.js';
import { relate } from './relations.js';
import { stixTime } from './time.js';

/** Huntroom types that are the same kind of value: the extension may say which one it was. */
const FAMILIES = [
  ['ip-src', 'ip-dst'],
  ['domain', 'hostname'],
  ['filename', 'filepath'],
];
const exactType = (found: string, ext: HuntroomExtension | undefined) =>
  ext?.type && (ext.type === found || FAMILIES.some((f) => f.includes(found) && f.includes(ext.type!))) ? ext.type : found;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const idOf = (o: StixObject, i: number) => (typeof o?.id === 'string' ? o.id : `objects[${i}]`);

/**
 * An indicator's `valid_until` in UTC, or undefined. STIX 2.1 (4.2 indicator) requires it to be later
 * than valid_from: one that is not is that object's error, as a bad timestamp is. An expired one is
 * kept: the preview flags it and the analyst decides.
 */
function validUntilOf(o: StixObject, from: string | undefined): string | undefined {
  const written = text(o.valid_until);
  if (written === undefined) return undefined;
  const until = stixTime(written);
  if (until === undefined) throw new Error(`valid_until "${written.slice(0, 40)}" is not a timestamp`);
  if (from !== undefined && Date.parse(until) <= Date.parse(from)) throw new Error(`valid_until ${until} is not later than valid_from ${from}`);
  return new Date(until).toISOString();
}

/** Properties an object gives each of its values: marking, tags, source, confidence, status... */
function metadataOf(index: BundleIndex, o: StixObject, ext: HuntroomExtension | undefined, containers: StixObject[] = []) {
  const all = [o, ...containers];
  // indicator_types are the export's own reading of the status when the extension is there: not tags then.
  const tags = [...new Set(all.flatMap((x) => [...strings(x.labels), ...(ext ? [] : strings(x.indicator_types))]).map((t) => t.trim()))].filter(Boolean);
  const badTag = tags.find((t) => !tagSchema.safeParse(t).success);
  if (badTag !== undefined) throw new Error(`label "${badTag.slice(0, 80)}" cannot be a tag (at most ${INDICATOR_LIMITS.tagMax} characters, no control characters)`);
  if (o.confidence !== undefined && (typeof o.confidence !== 'number' || !Number.isInteger(o.confidence) || o.confidence < 0 || o.confidence > 100))
    throw new Error('confidence must be a whole number from 0 to 100');
  const written = ext?.firstSeen ?? text(o.valid_from) ?? text(containers[0]?.first_observed);
  const from = stixTime(written);
  if (written !== undefined && from === undefined) throw new Error(`valid_from "${written.slice(0, 40)}" is not a timestamp`);
  const until = validUntilOf(o, stixTime(text(o.valid_from)));
  // With Huntroom's extension the source is its own (absent: none); otherwise the creator's name.
  const source = ext ? ext.source : (index.creatorName(o) ?? containers.map((c) => index.creatorName(c)).find(Boolean));
  return {
    // The observable's own marking and those of every observed-data holding it: the strictest wins.
    tlp: strictestTlp(all.flatMap((x) => index.tlpOf(x) ?? [])),
    tags: tags.slice(0, INDICATOR_LIMITS.tagsMax),
    source: source ? source.slice(0, INDICATOR_LIMITS.sourceMax) : undefined,
    confidence: o.confidence,
    status: ext?.status,
    releasableTo: ext?.releasableTo,
    firstSeen: from,
    validUntil: until,
    comment: text(o.description)?.slice(0, INDICATOR_LIMITS.commentMax),
  };
}

/** Adds to a candidate seen again what it did not have yet; never overwrites (the marking is merged by CandidateSet, stricter). */
function fillIn(c: Candidate, meta: ReturnType<typeof metadataOf>) {
  if (!c.source && meta.source) c.source = meta.source;
  if (c.confidence === undefined && meta.confidence !== undefined) c.confidence = meta.confidence;
  if (!c.firstSeen && meta.firstSeen) c.firstSeen = meta.firstSeen;
  if (!c.validUntil && meta.validUntil) c.validUntil = meta.validUntil;
  if (!c.status && meta.status) c.status = meta.status;
  if (!c.comment && meta.comment) c.comment = meta.comment;
  const tags = [...new Set([...(c.tags ?? []), ...meta.tags])].slice(0, INDICATOR_LIMITS.tagsMax);
  if (tags.length) c.tags = tags;
}

export function importStix(json: unknown): Candidate[] {
  const bundle = json as { type?: unknown; objects?: unknown };
  if (!bundle || typeof bundle !== 'object' || bundle.type !== 'bundle') throw new ImportError('STIX: expected a bundle with an "objects" array');
  // A bundle may leave `objects` out (an empty export does): nothing to import, not an error.
  if (bundle.objects === undefined) return [];
  if (!Array.isArray(bundle.objects)) throw new ImportError('STIX: expected a bundle with an "objects" array');
  const objects = bundle.objects as StixObject[];
  const index = new BundleIndex(objects.filter((o) => o && typeof o === 'object'));
  const set = new CandidateSet();
  /** The candidates each STIX object gave, for relationships, notes and sightings to reach them. */
  const produced = new Map<string, Candidate[]>();

  const refuse = (where: string, why: string, skipped = false) => {
    const c = set.add('stix', where);
    if (c.count === 1 || !c.error) c.error = why;
    if (skipped) c.skipped = true;
  };
  const addValues = (o: StixObject, found: Found[], ext: HuntroomExtension | undefined, meta: ReturnType<typeof metadataOf>) => {
    const out = found.map((f) => {
      const type = exactType(f.type, ext);
      const c = set.add(isIndicatorType(type) ? type : 'other', f.value, {
        ...meta,
        tags: f.tag ? [...new Set([...meta.tags, f.tag])].slice(0, INDICATOR_LIMITS.tagsMax) : meta.tags,
        comment: f.comment ?? (meta.comment && meta.comment !== f.value ? meta.comment : undefined),
      });
      if (!isIndicatorType(type)) c.error ??= `unknown type "${type}"`;
      // Seen before (a file observable beside the indicator of its hash): what the first copy lacked, a later one adds.
      if (c.count > 1) fillIn(c, meta);
      return c;
    });
    if (typeof o.id === 'string') produced.set(o.id, [...(produced.get(o.id) ?? []), ...out]);
    return out;
  };

  objects.forEach((o, i) => {
    if (!o || typeof o !== 'object' || typeof o.type !== 'string') return refuse(`objects[${i}]`, `STIX: objects[${i}] has no type`);
    const where = idOf(o, i);
    try {
      if (o.type === 'indicator') return indicator(o, where);
      if (o.type === 'vulnerability') return vulnerability(o, where);
      if (o.type === 'observed-data') return observedData(o, where);
      if (SCO_TYPES.has(o.type) && !index.consumed.has(o.id as string)) return observable(o, where, index.containers.get(o.id as string) ?? []);
    } catch (e) {
      refuse(where, `STIX ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  function indicator(o: StixObject, where: string) {
    const ext = readHuntroomExtension(o);
    const meta = metadataOf(index, o, ext);
    const kind = typeof o.pattern_type === 'string' ? o.pattern_type.toLowerCase() : 'stix';
    if (typeof o.pattern !== 'string' || !o.pattern.trim()) throw new Error('the indicator has no pattern');
    const name = text(o.name);
    if (kind === 'yara') {
      // The rule is the value; the indicator's name becomes its comment when the rule does not already say it.
      const comment = meta.comment ?? (name && name !== o.pattern && !o.pattern.includes(`rule ${name}`) ? name : undefined);
      const [c] = addValues(o, [{ type: 'yara', value: o.pattern }], ext, { ...meta, comment });
      if (c && o.pattern.length > INDICATOR_LIMITS.valueMax) c.error = `the YARA rule is longer than ${INDICATOR_LIMITS.valueMax} characters`;
      return;
    }
    if (kind !== 'stix')
      return refuse(name ?? where, `STIX ${where}: pattern_type "${String(o.pattern_type).slice(0, 40)}" is skipped (Huntroom keeps STIX patterns and YARA rules)`, true);
    const { values, skipped } = patternValues(o.pattern);
    for (const s of skipped) refuse(s.text, `STIX ${where}: ${s.reason}: skipped`, true);
    if (!values.length && !skipped.length)
      return refuse(where, `STIX ${where}: the pattern holds no value Huntroom keeps as an indicator (${o.pattern.slice(0, 120)}): skipped`, true);
    // Huntroom's own export names each indicator by its value; a foreign name describes it (a comment).
    addValues(o, values, ext, { ...meta, comment: meta.comment ?? (name && !values.some((v) => v.value === name) ? name : undefined) });
  }

  function vulnerability(o: StixObject, where: string) {
    const refs = Array.isArray(o.external_references) ? (o.external_references as StixObject[]) : [];
    const cve =
      refs.find((r) => r?.source_name === 'cve' && typeof r.external_id === 'string')?.external_id ??
      (typeof o.name === 'string' && /^CVE-\d{4}-\d+$/i.test(o.name.trim()) ? o.name : undefined);
    if (typeof cve !== 'string') return refuse(text(o.name) ?? where, `STIX ${where}: a vulnerability without a CVE id (name or cve external reference): skipped`, true);
    const ext = readHuntroomExtension(o);
    addValues(o, [{ type: 'cve', value: cve }], ext, metadataOf(index, o, ext));
  }

  function observable(o: StixObject, where: string, containers: StixObject[], resolve = (ref: unknown) => (typeof ref === 'string' ? index.byId.get(ref) : undefined)) {
    const r = observableValues(o, resolve);
    if (r.skipped) return refuse(text(o.name) ?? where, `STIX ${where}: ${r.skipped}: skipped`, true);
    const ext = readHuntroomExtension(o);
    const c = addValues(o, r.values, ext, metadataOf(index, o, ext, containers));
    for (const container of containers) if (typeof container.id === 'string') produced.set(container.id, [...(produced.get(container.id) ?? []), ...c]);
  }

  function observedData(o: StixObject, where: string) {
    // STIX 2.0's inline objects, keyed by a local id that their references use.
    if (o.objects === undefined) return;
    if (!o.objects || typeof o.objects !== 'object' || Array.isArray(o.objects)) throw new Error('"objects" must be a dictionary of observables');
    const inline = o.objects as Record<string, StixObject>;
    // Objects another inline object reads through (a connection's address, a file's directory) are not imported alone.
    const local = new Set(Object.values(inline).flatMap((x) => (CONSUMED_REFS[x?.type as string] ?? []).flatMap((k) => [x[k]].flat())));
    for (const [key, x] of Object.entries(inline)) {
      if (!x || typeof x !== 'object' || typeof x.type !== 'string' || local.has(key)) continue;
      observable(x, `${where}.objects.${key}`, [o], (ref) => (typeof ref === 'string' ? inline[ref] : undefined));
    }
  }

  relate(objects, index, produced);
  return set.list();
}
