/**
 * Structured imports into candidates: CSV (RFC 4180), STIX 2.1 bundles (indicator patterns and
 * observables) and MISP event JSON. A malformed input is refused with where it went wrong; nothing
 * partial is returned.
 */
import { CandidateSet, type Candidate } from './candidates.js';
import { isIndicatorType } from './types.js';
import type { TlpLevel } from '../markings/tlp.js';
import { strictestTlp, tlpOfMarkingId, tlpOfMarkingObject, tlpOfName } from '../markings/stixTlp.js';

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        field += ch;
        if (ch === '\n') line++;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += ch;
  }
  if (quoted) throw new ImportError(`CSV: a quoted field opened before line ${line} is never closed`);
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** CSV with a header naming `type` and `value` (and optionally comment, tags), or one value column. */
export function importCsv(text: string): Candidate[] {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new ImportError('CSV: the file is empty');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const set = new CandidateSet();
  const col = (name: string) => header.indexOf(name);
  if (col('value') === -1) throw new ImportError('CSV: the first row must name the columns, with at least "value" (and "type")');
  const [ti, vi, ci, gi] = [col('type'), col('value'), col('comment'), col('tags')];
  rows.slice(1).forEach((r, i) => {
    const value = r[vi]?.trim();
    if (!value) return;
    const type = ti === -1 ? 'other' : (r[ti]?.trim().toLowerCase() ?? '');
    if (!isIndicatorType(type)) throw new ImportError(`CSV row ${i + 2}: unknown type "${type}"`);
    const tags =
      gi === -1
        ? []
        : (r[gi] ?? '')
            .split(/[;|]/)
            .map((t) => t.trim())
            .filter(Boolean);
    set.add(type, value, { comment: ci === -1 ? undefined : r[ci]?.trim() || undefined, tags });
  });
  return set.list();
}

// STIX object paths to our types. Patterns: [ipv4-addr:value = '1.2.3.4'] AND/OR ...
const STIX_PATHS: Record<string, string> = {
  'ipv4-addr:value': 'ip-dst',
  'ipv6-addr:value': 'ip-dst',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  "file:hashes.'md5'": 'md5',
  "file:hashes.'sha-1'": 'sha1',
  "file:hashes.'sha1'": 'sha1',
  "file:hashes.'sha-256'": 'sha256',
  "file:hashes.'sha256'": 'sha256',
  "file:hashes.'sha-512'": 'sha512',
  "file:hashes.'ssdeep'": 'ssdeep',
  'file:hashes.md5': 'md5',
  'file:hashes.sha256': 'sha256',
  'file:name': 'filename',
  'mutex:name': 'mutex',
  'windows-registry-key:key': 'regkey',
  'autonomous-system:number': 'as',
};

const COMPARISON = /([a-z0-9-]+:[a-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'/gi;

export function importStix(json: unknown): Candidate[] {
  const bundle = json as { type?: unknown; objects?: unknown };
  if (!bundle || bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) throw new ImportError('STIX: expected a bundle with an "objects" array');
  const set = new CandidateSet();
  // The bundle's own marking definitions that state a level, besides the well-known ids.
  const ownMarkings = new Map<string, TlpLevel>();
  for (const o of bundle.objects as Record<string, unknown>[]) {
    const level = o && typeof o === 'object' && typeof o.id === 'string' ? tlpOfMarkingObject(o) : undefined;
    if (level) ownMarkings.set((o.id as string).toLowerCase(), level);
  }
  const tlpOf = (o: Record<string, unknown>): TlpLevel | undefined => {
    const refs = Array.isArray(o.object_marking_refs) ? o.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
    return strictestTlp(
      refs.flatMap((r) => {
        const l = tlpOfMarkingId(r) ?? ownMarkings.get(r.toLowerCase());
        return l ? [l] : [];
      }),
    );
  };
  bundle.objects.forEach((o: Record<string, unknown>, i: number) => {
    if (!o || typeof o !== 'object' || typeof o.type !== 'string') throw new ImportError(`STIX: object ${i} has no type`);
    const tlp = tlpOf(o);
    const labels = Array.isArray(o.labels) ? (o.labels as unknown[]).filter((l): l is string => typeof l === 'string') : [];
    if (o.type === 'indicator') {
      if (typeof o.pattern !== 'string') throw new ImportError(`STIX: indicator ${typeof o.id === 'string' ? o.id : i} has no pattern`);
      for (const m of o.pattern.matchAll(COMPARISON)) {
        const type = STIX_PATHS[m[1]!.toLowerCase()];
        if (type) set.add(type, m[2]!.replace(/\\(.)/g, '$1'), { comment: typeof o.name === 'string' ? o.name : undefined, tags: labels, tlp });
      }
    } else if (o.type === 'ipv4-addr' || o.type === 'ipv6-addr' || o.type === 'domain-name' || o.type === 'url' || o.type === 'email-addr') {
      if (typeof o.value === 'string') set.add(STIX_PATHS[`${o.type}:value`]!, o.value, { tlp });
    } else if (o.type === 'file' && o.hashes && typeof o.hashes === 'object') {
      for (const [alg, v] of Object.entries(o.hashes as Record<string, unknown>)) {
        const type = STIX_PATHS[`file:hashes.'${alg.toLowerCase()}'`];
        if (type && typeof v === 'string') set.add(type, v, { tlp });
      }
    }
  });
  return set.list();
}

const MISP_TYPES: Record<string, string> = {
  'ip-dst|port': 'ip-dst',
  'ip-src|port': 'ip-src',
  'domain|ip': 'domain',
  'email-src': 'email',
  'email-dst': 'email',
  'filename|md5': 'md5',
  'filename|sha1': 'sha1',
  'filename|sha256': 'sha256',
  link: 'url',
  AS: 'as',
  vulnerability: 'cve',
  btc: 'btc',
  'ja3-fingerprint-md5': 'ja3',
  'windows-registry-key': 'regkey',
};

interface MispAttribute {
  type?: unknown;
  value?: unknown;
  comment?: unknown;
  Tag?: { name?: unknown }[];
}

function mispValue(type: string, value: string): [string, string] {
  const mapped = MISP_TYPES[type] ?? type;
  if (type.includes('|')) {
    const [a = '', b = ''] = value.split('|');
    if (type.endsWith('|port')) return [mapped, `${a}:${b}`];
    return type.startsWith('filename|') ? [mapped, b] : [mapped, a];
  }
  return [mapped, value];
}

const tlpOfTags = (names: string[]) => strictestTlp(names.flatMap((n) => (/^tlp:/i.test(n) && tlpOfName(n) ? [tlpOfName(n)!] : [])));

export function importMisp(json: unknown): Candidate[] {
  const root = json as { Event?: { Attribute?: unknown; Object?: unknown; Tag?: unknown } };
  const event = root?.Event;
  if (!event || typeof event !== 'object') throw new ImportError('MISP: expected an object with an "Event"');
  const set = new CandidateSet();
  const eventTags = Array.isArray(event.Tag) ? (event.Tag as { name?: unknown }[]).map((t) => t?.name).filter((n): n is string => typeof n === 'string') : [];
  const take = (attrs: unknown, where: string) => {
    if (attrs === undefined) return;
    if (!Array.isArray(attrs)) throw new ImportError(`MISP: ${where} must be a list`);
    attrs.forEach((a: MispAttribute, i) => {
      if (typeof a?.type !== 'string' || typeof a.value !== 'string') throw new ImportError(`MISP: ${where}[${i}] needs a string type and value`);
      const [type, value] = mispValue(a.type, a.value);
      const own = (a.Tag ?? []).map((t) => t?.name).filter((n): n is string => typeof n === 'string');
      // tlp: tags become the marking, not tags: the attribute's own (the strictest if several), else
      // the event's, as in MISP, where an attribute's tag is the more specific.
      const tlp = tlpOfTags(own) ?? tlpOfTags(eventTags);
      const tags = own.filter((n) => !/^tlp:/i.test(n));
      set.add(isIndicatorType(type) ? type : 'other', value, { comment: typeof a.comment === 'string' && a.comment ? a.comment : undefined, tags, tlp });
    });
  };
  take(event.Attribute, 'Event.Attribute');
  if (event.Object !== undefined) {
    if (!Array.isArray(event.Object)) throw new ImportError('MISP: Event.Object must be a list');
    event.Object.forEach((o: { Attribute?: unknown }, i: number) => take(o?.Attribute, `Event.Object[${i}].Attribute`));
  }
  return set.list();
}
