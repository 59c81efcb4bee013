/**
 * MISP event JSON into candidates. Accepts the forms MISP and its libraries write: the bare event,
 * `{"Event": ...}`, restSearch's `{"response": [{"Event": ...}, ...]}` (several events a file) and
 * restSearch's attribute answer `{"response": {"Attribute": [...]}}`.
 * Every attribute is judged on its own: one that is broken, not an indicator (`link`, `text`,
 * `size-in-bytes`...) or carries a tag Huntroom cannot keep becomes a candidate with `error` (the
 * preview shows the reason and it cannot be committed); the rest still import.
 */
import { CandidateSet, type Candidate, type CandidateComment, type CandidateSighting } from '../candidates.js';
import { isIndicatorType } from '../types.js';
import { strictestTlp, tlpOfName } from '../../markings/stixTlp.js';
import type { TlpLevel } from '../../markings/tlp.js';
import { INDICATOR_LIMITS, indicatorStatusSchema, tagSchema, type IndicatorStatus } from '../../records/indicators.js';
import { ImportError } from './errors.js';
import { domainIp, mispSkipReason, mispValue } from './mispTypes.js';

interface MispTag {
  name?: unknown;
}
interface MispSighting {
  type?: unknown;
  date_sighting?: unknown;
  source?: unknown;
  Organisation?: { name?: unknown };
}
/** What MISP's distribution and sharing group fields of an event, object or attribute say. */
interface MispShared {
  distribution?: unknown;
  SharingGroup?: { name?: unknown };
}
interface MispAttribute {
  type?: unknown;
  value?: unknown;
  comment?: unknown;
  to_ids?: unknown;
  deleted?: unknown;
  Tag?: unknown;
  Galaxy?: unknown;
  Sighting?: unknown;
  Note?: unknown;
  first_seen?: unknown;
  /** restSearch's attribute answer names each attribute's event (its title, its distribution). */
  Event?: MispShared & { info?: unknown };
}
interface MispEvent {
  info?: unknown;
  Attribute?: unknown;
  Object?: unknown;
  Tag?: unknown;
  Galaxy?: unknown;
}

const tagNames = (tags: unknown): string[] => (Array.isArray(tags) ? tags.map((t: MispTag) => t?.name).filter((n): n is string => typeof n === 'string') : []);
const tlpOfTags = (names: string[]) => strictestTlp(names.flatMap((n) => (/^tlp:/i.test(n) && tlpOfName(n) ? [tlpOfName(n)!] : [])));

/** MISP's mitre-attack-pattern clusters are "<Name> - <ID>"; the id is what Huntroom keeps. */
const ATTACK_TAG = /^misp-galaxy:mitre-(?:enterprise-attack-|mobile-attack-|ics-)?attack-pattern="[^"]*?\b(T\d{4}(?:\.\d{3})?)"$/i;
/**
 * What MISP has no field for, Huntroom's export writes as machine tags of its own namespace, so a round
 * trip keeps it: the status, the exact type when MISP's is only the nearest (cidr, filepath, other),
 * the teams a marking is releasable to, the confidence, the end of validity and the source.
 */
const STATUS_TAG = /^huntroom:status="([a-z-]+)"$/;
const TYPE_TAG = /^huntroom:type="([a-z0-9-]+)"$/;
const RELEASABLE_TAG = /^huntroom:releasable-to="([^"]*)"$/;
const CONFIDENCE_TAG = /^huntroom:confidence="(\d{1,3})"$/;
const SOURCE_TAG = /^huntroom:source="([\s\S]*)"$/;
const VALID_UNTIL_TAG = /^huntroom:valid-until="([^"]*)"$/;
const HUNTROOM_TAGS = [STATUS_TAG, TYPE_TAG, RELEASABLE_TAG, CONFIDENCE_TAG, SOURCE_TAG, VALID_UNTIL_TAG];
/**
 * MISP's to_ids off kept on the indicator: "not for automated detection" (a vendor's whole event, a CVE,
 * a victim's address), which is not "benign". The export writes `to_ids: false` again for it.
 */
export const MISP_TO_IDS_OFF_TAG = 'misp:to_ids="false"';
const tagValue = (names: string[], re: RegExp) => names.map((n) => re.exec(n)?.[1]).find((v) => v !== undefined);

/**
 * The least strict TLP a MISP distribution level allows, so that an import is never looser than its
 * source meant. Your organisation only is TLP 2.0's AMBER+STRICT (in Huntroom: nobody outside the
 * importing team). A sharing group names organisations Huntroom cannot match to the workspace's teams,
 * so it stays with the importing team too. This community only is a closed set of organisations, the
 * recipients' circle of AMBER; connected communities are every organisation of the synchronised
 * instances, TLP's community (GREEN); all communities set no floor (the tlp: tag, else the workspace
 * default, decides). 5 (inherit) defers to the object, then the event. A value MISP does not define is
 * read as the strictest.
 */
function distributionFloor(d: unknown): TlpLevel | undefined {
  if (d === undefined || d === null || d === '') return undefined;
  switch (typeof d === 'string' || typeof d === 'number' ? String(d) : 'not a level') {
    case '0':
      return 'AMBER+STRICT';
    case '1':
      return 'AMBER';
    case '2':
      return 'GREEN';
    case '3':
    case '5':
      return undefined;
    case '4':
      return 'AMBER+STRICT';
    default:
      return 'AMBER+STRICT';
  }
}

const sharingGroupTag = (...levels: (MispShared | undefined)[]) => {
  const name = levels.map((l) => ((l?.distribution === '4' || l?.distribution === 4) && typeof l?.SharingGroup?.name === 'string' ? l.SharingGroup.name.trim() : '')).find(Boolean);
  // eslint-disable-next-line no-control-regex
  return name ? `misp:sharing-group="${name.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]/g, ' ')}"`.slice(0, INDICATOR_LIMITS.tagMax) : undefined;
};

/** MISP times are epoch seconds (as a string or a number) or, for first_seen, ISO 8601 with microseconds. */
function isoOf(v: unknown): string | undefined {
  const ms = typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/**
 * An attribute's MISP sightings: type 0 (or none) are sightings, newest first; type 1 false positives;
 * type 2 expirations, of which the latest counts.
 */
function sightingsOf(list: unknown): { seen: CandidateSighting[]; falsePositive: boolean; expiredAt?: string } {
  const out: { seen: CandidateSighting[]; falsePositive: boolean; expiredAt?: string } = { seen: [], falsePositive: false };
  if (!Array.isArray(list)) return out;
  for (const x of list as MispSighting[]) {
    const type = x?.type === undefined || x.type === null ? '0' : typeof x.type === 'string' || typeof x.type === 'number' ? String(x.type) : 'not a type';
    const at = isoOf(x?.date_sighting);
    if (type === '1') out.falsePositive = true;
    else if (type === '2' && at) out.expiredAt = out.expiredAt && out.expiredAt > at ? out.expiredAt : at;
    else if (type === '0' && at) {
      const by =
        typeof x.source === 'string' && x.source.trim() ? x.source.trim() : typeof x.Organisation?.name === 'string' ? `MISP sighting by ${x.Organisation.name}` : 'MISP sighting';
      out.seen.push({ count: 1, seenAt: at, context: by.slice(0, INDICATOR_LIMITS.contextMax) });
    }
  }
  out.seen.sort((a, b) => (a.seenAt! < b.seenAt! ? 1 : a.seenAt! > b.seenAt! ? -1 : 0));
  return out;
}

/**
 * An attribute's MISP analyst notes (MISP 2.5 `Note`) as comments. A note's own distribution, when
 * stricter than the indicator's marking would be, is its floor (as for an attribute); otherwise the
 * comment takes the indicator's marking (as it does when the indicator's marking is Huntroom's exact one).
 */
function notesOf(list: unknown, indicatorTlp: TlpLevel | undefined, exactMarking: boolean): CandidateComment[] {
  if (!Array.isArray(list)) return [];
  return (list as { note?: unknown; distribution?: unknown }[]).flatMap((n) => {
    if (typeof n?.note !== 'string' || !n.note.trim()) return [];
    const floor = exactMarking ? undefined : distributionFloor(n.distribution);
    const stricter = floor && (!indicatorTlp || strictestTlp([floor, indicatorTlp]) !== indicatorTlp);
    return [{ body: n.note, ...(stricter ? { tlp: floor } : {}) }];
  });
}

function techniquesOf(tagList: string[], galaxies: unknown): string[] {
  const ids = tagList.flatMap((n) => ATTACK_TAG.exec(n)?.[1] ?? []);
  if (Array.isArray(galaxies)) {
    for (const g of galaxies as { type?: unknown; GalaxyCluster?: unknown }[]) {
      if (typeof g?.type !== 'string' || !/attack-pattern$/.test(g.type) || !Array.isArray(g.GalaxyCluster)) continue;
      for (const cl of g.GalaxyCluster as { value?: unknown; meta?: { external_id?: unknown } }[]) {
        const ext = Array.isArray(cl?.meta?.external_id) ? (cl.meta.external_id as unknown[])[0] : cl?.meta?.external_id;
        const id = typeof ext === 'string' ? ext : typeof cl?.value === 'string' ? /\b(T\d{4}(?:\.\d{3})?)$/.exec(cl.value)?.[1] : undefined;
        if (id && /^T\d{4}(\.\d{3})?$/.test(id)) ids.push(id);
      }
    }
  }
  return ids;
}

/** Where the events are: restSearch's response list, {"Event": ...}, or the bare event. */
function eventsOf(json: unknown): MispEvent[] {
  if (!json || typeof json !== 'object') throw new ImportError('MISP: expected a JSON object');
  const root = json as { response?: unknown; Event?: unknown };
  // restSearch on attributes answers {"response": {"Attribute": [...]}}: one list, read as an event's.
  if (root.response && typeof root.response === 'object' && !Array.isArray(root.response)) {
    const attrs = (root.response as { Attribute?: unknown }).Attribute;
    if (attrs === undefined) throw new ImportError('MISP: "response" holds neither events nor an "Attribute" list');
    return [{ Attribute: attrs }];
  }
  if (Array.isArray(root.response)) {
    return root.response.map((r: { Event?: unknown }, i) => {
      const e = r?.Event ?? r;
      if (!e || typeof e !== 'object') throw new ImportError(`MISP: response[${i}] is not an event`);
      return e;
    });
  }
  if (root.Event !== undefined) {
    if (!root.Event || typeof root.Event !== 'object') throw new ImportError('MISP: "Event" must be an object');
    return [root.Event];
  }
  const bare = json as Record<string, unknown>;
  if ('Attribute' in bare || 'Object' in bare || 'info' in bare) return [bare];
  throw new ImportError('MISP: expected an event, {"Event": ...} or a restSearch {"response": [...]}');
}

const isOff = (v: unknown) => v === false || v === 0 || v === '0' || v === 'false';

export interface MispImportOptions {
  /** The time an expiration sighting is compared with (milliseconds); now by default. */
  now?: number;
}

export function importMisp(json: unknown, opts: MispImportOptions = {}): Candidate[] {
  const now = new Date(opts.now ?? Date.now()).toISOString();
  const set = new CandidateSet();
  /** Keys seen with to_ids on: such a value is an indicator, whatever other copies of it say. */
  const detect = new Set<Candidate>();
  /** Candidates whose benign reason is MISP's (to_ids off, a false-positive sighting), lifted when seen for detection. */
  const ours = new Set<Candidate>();
  /** Candidates tagged misp:to_ids="false" by their first attribute, untagged when seen for detection. */
  const offTagged = new Set<Candidate>();
  const events = eventsOf(json);
  const multi = events.length > 1;
  events.forEach((event, e) => {
    const at = multi ? `response[${e}].Event` : 'Event';
    const eventTags = tagNames(event.Tag);
    // Where a value came from, for the analyst reading it later: the event's title.
    const source = typeof event.info === 'string' && event.info.trim() ? `MISP event: ${event.info.trim()}`.slice(0, INDICATOR_LIMITS.sourceMax) : undefined;
    const eventTechniques = techniquesOf(eventTags, event.Galaxy);
    const reject = (where: string, type: string, value: string, why: string) => {
      // Not an indicator: the candidate stays for the preview to say why, with the reason as its error.
      const c = set.add(type || 'misp', value || `(${where})`);
      if (c.count === 1 || !c.error) c.error = why;
    };
    const take = (attrs: unknown, where: string, object?: MispShared) => {
      if (attrs === undefined) return;
      if (!Array.isArray(attrs)) return reject(where, 'misp', where, `MISP: ${where} must be a list`);
      attrs.forEach((a: MispAttribute, i) => {
        const here = `${where}[${i}]`;
        if (typeof a?.type !== 'string' || typeof a.value !== 'string')
          return reject(here, 'misp', typeof a?.value === 'string' ? a.value : '', `MISP: ${here} needs a string type and value`);
        if (a.deleted === true) return;
        const own = tagNames(a.Tag);
        // Huntroom's own type when its export wrote MISP's nearest (an `other` indicator as `text`).
        const typeTag = tagValue(own, TYPE_TAG);
        const exact = typeTag && isIndicatorType(typeTag) ? typeTag : undefined;
        const skip = exact ? undefined : mispSkipReason(a.type, a.value);
        if (skip) return reject(here, a.type, a.value, `${skip}: skipped`);
        if (a.value.length > INDICATOR_LIMITS.valueMax) return reject(here, a.type, a.value.slice(0, 200), `value longer than ${INDICATOR_LIMITS.valueMax} characters: refused`);
        // tlp: tags become the marking, not tags: the attribute's own (the strictest if several), else
        // the event's, as in MISP, where an attribute's tag is the more specific.
        const tagged = tlpOfTags(own) ?? tlpOfTags(eventTags);
        // Releasable to named teams: Huntroom's own export, which wrote the distribution from the same
        // marking (0, as MISP cannot name teams); that exact list is the marking, not the floor.
        const releasable = tagValue(own, RELEASABLE_TAG);
        const releasableTo = releasable?.split(/\s+/).filter(Boolean);
        // Distribution: the attribute's own, its object's, the event's; each set level applies, since MISP
        // never distributes an attribute beyond its object or event. Never looser than the source meant.
        const parent: MispShared = a.Event && typeof a.Event === 'object' ? a.Event : (event as MispShared);
        const floors = releasableTo?.length ? [] : [a as MispShared, object, parent].map((l) => distributionFloor(l?.distribution)).filter((l): l is TlpLevel => !!l);
        const tlp = strictestTlp([...(tagged ? [tagged] : []), ...floors]);
        const sharingGroup = releasableTo?.length ? undefined : sharingGroupTag(a as MispShared, object, parent);
        const techniques = [...new Set([...techniquesOf(own, a.Galaxy), ...eventTechniques])].slice(0, INDICATOR_LIMITS.techniquesMax);
        const statusTag = own.map((n) => STATUS_TAG.exec(n)?.[1]).find((s) => s && indicatorStatusSchema.safeParse(s).success) as IndicatorStatus | undefined;
        const confidenceTag = tagValue(own, CONFIDENCE_TAG);
        const confidence = confidenceTag !== undefined && Number(confidenceTag) <= 100 ? Number(confidenceTag) : undefined;
        const sourceTag = tagValue(own, SOURCE_TAG)?.trim();
        const validUntilTag = tagValue(own, VALID_UNTIL_TAG);
        const validUntil = validUntilTag !== undefined ? isoOf(validUntilTag) : undefined;
        // The event's tags describe each of its attributes (MISP's own exports include them): own first.
        const toIds = !isOff(a.to_ids);
        // to_ids off is kept as a tag, but only from the flag itself: an attribute MISP users turned back
        // on drops an old tag. Huntroom's export sets to_ids from the status too (benign, false-positive):
        // with its status tag, the tag comes back only if the indicator had it.
        const offTag = !toIds && (!statusTag || own.includes(MISP_TO_IDS_OFF_TAG));
        const others = [...new Set([...own, ...eventTags, ...(sharingGroup ? [sharingGroup] : [])])].filter(
          (n) => !/^tlp:/i.test(n) && !ATTACK_TAG.test(n) && !HUNTROOM_TAGS.some((re) => re.test(n)) && n !== MISP_TO_IDS_OFF_TAG,
        );
        const tags = offTag ? [...others.slice(0, INDICATOR_LIMITS.tagsMax - 1), MISP_TO_IDS_OFF_TAG] : others.slice(0, INDICATOR_LIMITS.tagsMax);
        const badTag = tags.map((n) => [n, tagSchema.safeParse(n)] as const).find(([, r]) => !r.success);
        // MISP sightings: type 0 become Huntroom sightings (count, last seen); a false positive (type 1)
        // is someone saying so of their traffic; an expiration (type 2) passed means no longer for detection.
        const sighted = sightingsOf(a.Sighting);
        const expired = sighted.expiredAt !== undefined && sighted.expiredAt <= now;
        // A false positive or an expiration reported in MISP decides the status; it stays visible, unticked.
        const sightingStatus: [IndicatorStatus, string] | undefined = sighted.falsePositive
          ? ['false-positive', 'reported as a false positive in MISP (sighting): saved as false-positive if ticked']
          : expired
            ? ['benign', `expired in MISP on ${sighted.expiredAt!.slice(0, 10)} (expiration sighting), no longer for detection: saved as benign if ticked`]
            : undefined;
        // to_ids off: MISP's "not for automated detection", not "benign" (vendors set it on whole events,
        // malware hashes included). Unticked, the user chooses; ticked, it keeps the status it would have.
        const offReason = toIds
          ? undefined
          : `MISP to_ids is off (not for automated detection): if ticked, saved as ${sightingStatus?.[0] ?? 'the default status'} with the tag ${MISP_TO_IDS_OFF_TAG}`;
        const context = offReason ?? sightingStatus?.[1];
        // With Huntroom's team list the notes carry the attribute's distribution, written from the same marking.
        const notes = notesOf(a.Note, tlp, !!releasableTo?.length);
        // Huntroom's export writes the notes once more, joined, as the attribute comment (for MISP before
        // analyst data): that copy is not a comment of its own.
        const joined = notes.map((n) => n.body).join('\n\n');
        const comment = typeof a.comment === 'string' && a.comment.trim() && !(notes.length && a.comment.trim() === joined.trim()) ? a.comment : undefined;
        // First seen: the attribute's own (MISP's first_seen), else its earliest sighting.
        const firstSeen = isoOf(a.first_seen) ?? sighted.seen.at(-1)?.seenAt;
        // A domain|ip pair is two indicators, the domain and its address; other types are one.
        for (const [mapped, value, port] of a.type === 'domain|ip' ? domainIp(a.value) : [mispValue(a.type, a.value)]) {
          // MISP has no CIDR or path type: an address with a prefix is a range, a file name with a
          // directory is a path (also how Huntroom's export writes its cidr and filepath indicators).
          const type = exact ?? (/^ip-(src|dst)$/.test(mapped) && value.includes('/') ? 'cidr' : mapped === 'filename' && /[\\/]/.test(value) ? 'filepath' : mapped);
          const c = set.add(isIndicatorType(type) ? type : 'other', value, {
            comment,
            // Huntroom's own tag, even empty (the indicator had none), wins over the event's title.
            source: sourceTag ?? (typeof a.Event?.info === 'string' && a.Event.info.trim() ? `MISP event: ${a.Event.info.trim()}`.slice(0, INDICATOR_LIMITS.sourceMax) : source),
            tags,
            tlp,
            releasableTo,
            techniques,
            status: statusTag ?? sightingStatus?.[0],
            confidence,
            firstSeen,
            validUntil,
            port,
          });
          if (sighted.seen.length) c.sightings = [...(c.sightings ?? []), ...sighted.seen];
          const known = new Set((c.comments ?? []).map((x) => x.body));
          const fresh = notes.filter((n) => !known.has(n.body));
          if (fresh.length) c.comments = [...(c.comments ?? []), ...fresh];
          if (badTag) c.error ??= `tag "${badTag[0].slice(0, 80)}": ${badTag[1].error?.issues[0]?.message ?? 'invalid'}`;
          if (validUntilTag !== undefined && !validUntil) c.error ??= `tag huntroom:valid-until="${validUntilTag.slice(0, 40)}" is not a timestamp`;
          if (offTag && c.count === 1) offTagged.add(c);
          if (statusTag) continue;
          if (!context) {
            // The same value seen once for detection and once as context is one row, for detection.
            detect.add(c);
            if (offTagged.delete(c) && c.tags) {
              c.tags = c.tags.filter((t) => t !== MISP_TO_IDS_OFF_TAG);
              if (!c.tags.length) delete c.tags;
            }
            if (ours.has(c)) {
              ours.delete(c);
              delete c.status;
              if (c.benign?.startsWith('MISP') || c.benign?.includes('in MISP')) delete c.benign;
            }
          } else if (c.count === 1) {
            ours.add(c);
            c.benign ??= context;
          }
        }
      });
    };
    take(event.Attribute, `${at}.Attribute`);
    if (event.Object !== undefined) {
      if (!Array.isArray(event.Object)) return reject(`${at}.Object`, 'misp', `${at}.Object`, `MISP: ${at}.Object must be a list`);
      // An object's attributes carry their own MISP types (a file object's md5, sha256, filename; a
      // domain-ip object's domain and ip-dst): each is read as a lone attribute would be.
      event.Object.forEach((o: { Attribute?: unknown } & MispShared, i: number) => take(o?.Attribute, `${at}.Object[${i}].Attribute`, o ?? undefined));
    }
  });
  return set.list();
}
