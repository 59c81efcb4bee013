/**
 * The shape every import path produces (free text, CSV, STIX, MISP): one candidate per distinct
 * type + normalized value, with how often it was seen and why it may not be worth keeping. The preview
 * shows these; nothing is saved until the user commits.
 */
import { normalizeIndicator, indicatorKey } from './normalize.js';
import { benignReason } from './benign.js';
import type { TlpLevel } from '../markings/tlp.js';
import { strictestTlp } from '../markings/stixTlp.js';
import { INDICATOR_LIMITS, type IndicatorItemInput, type IndicatorStatus } from '../records/indicators.js';
import { isValidPort, PORT_TYPES, withPortTag } from './portTags.js';

export interface Candidate {
  /** An IndicatorType when the input named a known one, else the type as written (and `error` says why). */
  type: string;
  /** Normalized value, or the raw value when invalid. */
  value: string;
  /** The value as first found in the input. */
  original: string;
  count: number;
  /** Free text: the line the value was first found on (trimmed, at most 200 characters), for the preview. */
  line?: string;
  /**
   * The first port the value was written with (198.51.100.20:8443, MISP `ip-dst|port`, STIX `dst_port`),
   * for the preview; the address alone is the value and every port seen is a `port:<n>` tag in `tags`.
   */
  port?: number;
  /** Free text: the path written after a host or address without a scheme (the value is then the URL). */
  path?: string;
  /** Set when the value is probably benign: the reason in words. */
  benign?: string;
  /** Set when the value is not valid for its type: the reason in words. */
  error?: string;
  comment?: string;
  tags?: string[];
  /** The TLP level the source marked it with (STIX marking refs, MISP tlp: tags); the strictest wins. */
  tlp?: TlpLevel;
  /** Team codes the source limited it to (CSV `releasable_to`); checked by the server's marking normalization. */
  releasableTo?: string[];
  source?: string;
  techniques?: string[];
  status?: IndicatorStatus;
  confidence?: number;
  /** Set with `error` when the input held this on purpose not as an indicator (a STIX LIKE comparison, a Sigma rule): reported as skipped, not rejected. */
  skipped?: boolean;
  /** When the source says it was first seen or became valid (STIX valid_from): the new indicator's first_seen. */
  firstSeen?: string;
  /** When the source says it stops being valid (STIX valid_until, CSV valid_until, MISP huntroom:valid-until tag), ISO UTC. */
  validUntil?: string;
  /**
   * Comments with their own marking (STIX notes and opinions); absent fields take the indicator's. Not
   * part of the bulk item: the importer adds them with `comment:add` once the indicator exists, so each
   * keeps its own marking and the comment command's checks apply.
   */
  comments?: CandidateComment[];
  /** Sightings the source recorded (STIX sighting objects): `count` times, the last seen at `seenAt`. */
  sightings?: CandidateSighting[];
}

export interface CandidateComment {
  body: string;
  tlp?: TlpLevel;
  releasableTo?: string[];
}

export interface CandidateSighting {
  count: number;
  seenAt?: string;
  context?: string;
}

/** Collects candidates, normalizing and de-duplicating as they come. */
export interface CandidateExtra {
  comment?: string | undefined;
  tags?: string[];
  tlp?: TlpLevel | undefined;
  releasableTo?: string[] | undefined;
  source?: string | undefined;
  techniques?: string[] | undefined;
  status?: IndicatorStatus | undefined;
  confidence?: number | undefined;
  firstSeen?: string | undefined;
  validUntil?: string | undefined;
  /** A port the value was written with apart from it (MISP `hostname|port`, a free-text match). */
  port?: number | undefined;
}

export class CandidateSet {
  private readonly byKey = new Map<string, Candidate>();
  found = 0;

  add(type: string, raw: string, extra: CandidateExtra = {}): Candidate {
    this.found++;
    const n = normalizeIndicator(type, raw);
    const key = n.ok ? indicatorKey(n.type, n.value) : `invalid|${type}|${raw}`;
    const existing = this.byKey.get(key);
    if (existing) {
      existing.count++;
      // Seen twice with two markings: keep the stricter, never loosen.
      if (extra.tlp) existing.tlp = strictestTlp(existing.tlp ? [existing.tlp, extra.tlp] : [extra.tlp]);
      // The same address seen with another port: one indicator that keeps every port.
      keepPort(existing, n.ok ? (n.port ?? extra.port) : undefined);
      // Same for releasability: the teams both rows allow (no list is every team); none in common refuses it.
      if (extra.releasableTo?.length) {
        const both: string[] = existing.releasableTo?.length ? existing.releasableTo.filter((t) => extra.releasableTo!.includes(t)) : extra.releasableTo;
        if (both.length) existing.releasableTo = both;
        else existing.error = `seen twice, releasable to teams with none in common (${existing.releasableTo!.join(' ')} / ${extra.releasableTo.join(' ')})`;
      }
      return existing;
    }
    const c: Candidate = n.ok ? { type: n.type, value: n.value, original: raw, count: 1 } : { type, value: raw.trim(), original: raw, count: 1, error: n.error };
    if (n.ok) {
      const why = benignReason(n.type, n.value);
      if (why) c.benign = why;
    }
    if (extra.comment) c.comment = extra.comment;
    if (extra.tags?.length) c.tags = extra.tags;
    if (extra.tlp) c.tlp = extra.tlp;
    if (extra.releasableTo?.length) c.releasableTo = extra.releasableTo;
    if (extra.source) c.source = extra.source;
    if (extra.techniques?.length) c.techniques = extra.techniques;
    if (extra.status) c.status = extra.status;
    if (extra.confidence !== undefined) c.confidence = extra.confidence;
    if (extra.firstSeen) c.firstSeen = extra.firstSeen;
    if (extra.validUntil) c.validUntil = extra.validUntil;
    if (n.ok) keepPort(c, n.port ?? extra.port);
    this.byKey.set(key, c);
    return c;
  }

  list(): Candidate[] {
    return [...this.byKey.values()];
  }
}

/**
 * Keeps a port seen with a candidate's value as its `port:<n>` tag (portTags.ts), within the tag limit
 * (a row over it would be refused whole). Only for the types whose value may carry a port; a port out
 * of range is the candidate's error, as `1.2.3.4:70000` is.
 */
function keepPort(c: Candidate, port: number | undefined): void {
  if (port === undefined || !PORT_TYPES.has(c.type)) return;
  if (!isValidPort(port)) {
    c.error ??= Number.isNaN(port) ? 'the port is not a number' : `port ${port} is out of range (1-65535)`;
    return;
  }
  c.port ??= port;
  const tags = withPortTag(c.tags, port);
  if (tags.length <= INDICATOR_LIMITS.tagsMax) c.tags = tags;
}

/**
 * What an import commits for a chosen candidate (`indicator:bulkCreate` items): the browser's dialog
 * and the tests that commit as it does share this one mapping. The source is the source; a comment is
 * the new indicator's first comment, never also its source (a re-imported export would gain a source
 * it did not have). A MISP attribute with `to_ids` off comes unticked; ticked, it keeps its status and its
 * `misp:to_ids="false"` tag.
 */
export function candidateToItem(c: Candidate, defaultTlp: TlpLevel): IndicatorItemInput {
  return {
    type: c.type,
    value: c.value,
    tlp: c.tlp ?? defaultTlp,
    ...(c.tags?.length ? { tags: c.tags } : {}),
    ...(c.status ? { status: c.status } : {}),
    ...(c.techniques?.length ? { techniques: c.techniques } : {}),
    ...(c.releasableTo?.length ? { releasableTo: c.releasableTo } : {}),
    ...(c.confidence !== undefined ? { confidence: c.confidence } : {}),
    ...(c.validUntil ? { validUntil: c.validUntil } : {}),
    ...(c.source ? { source: c.source } : {}),
    ...(c.comment ? { comment: c.comment } : {}),
    ...(c.firstSeen ? { sighting: { seenAt: c.firstSeen } } : {}),
  };
}

/**
 * Items that record a candidate's sightings after its item (a STIX sighting with `count` 3 is three):
 * the bulk command records a later item of the same value as a sighting by the importing team. At most
 * SIGHTINGS_PER_IMPORT per indicator: a feed's count of 100,000 is a number, not rows to write.
 */
export const SIGHTINGS_PER_IMPORT = 100;
export function candidateSightingItems(c: Candidate, defaultTlp: TlpLevel): IndicatorItemInput[] {
  const out: IndicatorItemInput[] = [];
  for (const s of c.sightings ?? []) {
    for (let i = 0; i < s.count && out.length < SIGHTINGS_PER_IMPORT; i++) {
      // The same marking as the candidate's item, teams included: were that item refused (an unknown
      // team), this one must be refused too, not create the indicator with a wider marking.
      out.push({
        type: c.type,
        value: c.value,
        tlp: c.tlp ?? defaultTlp,
        ...(c.releasableTo?.length ? { releasableTo: c.releasableTo } : {}),
        sighting: { ...(s.seenAt ? { seenAt: s.seenAt } : {}), ...(s.context ? { context: s.context } : {}) },
      });
    }
  }
  return out;
}
