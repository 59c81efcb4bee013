/**
 * CSV (RFC 4180) into candidates, as practitioners exchange it: a header row names the columns (any
 * case, common synonyms), a column mapping says what each column means (proposed from the header, the
 * caller may override it), and every row is judged on its own: a row with an unknown type, marking,
 * status or technique is reported with its reason, the others are kept. MISP's CSV export (uuid,
 * event_id, category, type, value, comment, to_ids, ...) is read with MISP's type table; rows with
 * `to_ids` off are skipped with a reason. Huntroom's own CSV export reads back without loss.
 */
import { CandidateSet, type Candidate, type CandidateExtra } from '../candidates.js';
import { extractIndicators } from '../extract.js';
import { isIndicatorType, INDICATOR_TYPES, type IndicatorType } from '../types.js';
import { tlpOfName } from '../../markings/stixTlp.js';
import { INDICATOR_LIMITS, INDICATOR_STATUSES, tagSchema, techniqueIdSchema, type IndicatorStatus } from '../../records/indicators.js';
import { mispSkipReason, mispValue } from './mispTypes.js';
import { ImportError } from './errors.js';
import { stixTime } from './stix/time.js';

/** What a column can mean. `value:<type>` is a column of values of one type (a "SHA256" or "C2" column). */
export const CSV_FIELDS = ['value', 'type', 'tlp', 'releasable-to', 'tags', 'source', 'techniques', 'comment', 'status', 'confidence', 'valid-until', 'ignore'] as const;
export type CsvField = (typeof CSV_FIELDS)[number] | `value:${IndicatorType}`;
/** One entry per column, in column order. */
export type CsvMapping = CsvField[];

export interface CsvSkipped {
  row: number;
  value: string;
  reason: string;
}

export interface CsvReading {
  /** The header row as written, or undefined when the first row holds data. */
  header: string[] | undefined;
  mapping: CsvMapping;
  /** True when the header is MISP's CSV export: types are MISP's and `to_ids` is honoured. */
  misp: boolean;
  candidates: Candidate[];
  skipped: CsvSkipped[];
}

/** Header names (lower case, spaces, dashes and dots as underscores) and what they mean. */
const SYNONYMS: Record<string, CsvField> = {
  value: 'value',
  indicator: 'value',
  indicator_value: 'value',
  ioc: 'value',
  ioc_value: 'value',
  observable: 'value',
  type: 'type',
  kind: 'type',
  indicator_type: 'type',
  ioc_type: 'type',
  tlp: 'tlp',
  marking: 'tlp',
  tlp_level: 'tlp',
  releasable_to: 'releasable-to',
  releasability: 'releasable-to',
  tags: 'tags',
  tag: 'tags',
  labels: 'tags',
  attribute_tag: 'tags',
  source: 'source',
  techniques: 'techniques',
  technique: 'techniques',
  attack: 'techniques',
  mitre: 'techniques',
  mitre_attack: 'techniques',
  attack_techniques: 'techniques',
  comment: 'comment',
  comments: 'comment',
  description: 'comment',
  notes: 'comment',
  note: 'comment',
  status: 'status',
  confidence: 'confidence',
  valid_until: 'valid-until',
  expires: 'valid-until',
  expiry: 'valid-until',
  expiration: 'valid-until',
  expiration_date: 'valid-until',
  // Columns of one indicator type, as vendor IOC lists name them.
  md5: 'value:md5',
  sha1: 'value:sha1',
  sha256: 'value:sha256',
  sha512: 'value:sha512',
  ssdeep: 'value:ssdeep',
  domain: 'value:domain',
  domains: 'value:domain',
  hostname: 'value:hostname',
  url: 'value:url',
  urls: 'value:url',
  ip: 'value:ip-dst',
  ip_address: 'value:ip-dst',
  ipv4: 'value:ip-dst',
  ipv6: 'value:ip-dst',
  // Command-and-control columns mix names and addresses: each cell's type is guessed from its value.
  c2: 'value:other',
  c2_server: 'value:other',
  c2_servers: 'value:other',
  filename: 'value:filename',
  file_name: 'value:filename',
  email: 'value:email',
  cve: 'value:cve',
};

/** Type names other tools write, beyond Huntroom's own and MISP's. */
const TYPE_ALIASES: Record<string, IndicatorType> = {
  ip: 'ip-dst',
  ipv4: 'ip-dst',
  ipv6: 'ip-dst',
  'ipv4-addr': 'ip-dst',
  'ipv6-addr': 'ip-dst',
  'ip-address': 'ip-dst',
  fqdn: 'hostname',
  'domain-name': 'domain',
  'sha-1': 'sha1',
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  'email-addr': 'email',
  'email-address': 'email',
  'registry-key': 'regkey',
  'user agent': 'user-agent',
  'file-name': 'filename',
  'file-path': 'filepath',
};

const headerKey = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_');

const isMispHeader = (keys: string[]) => ['uuid', 'event_id', 'category', 'type', 'value', 'to_ids'].every((k) => keys.includes(k));

/**
 * The mapping a header row suggests, or undefined when the row does not name a value column (then it
 * is data). Unknown columns are ignored; a second column of the same meaning is ignored too.
 */
export function proposeCsvMapping(header: readonly string[]): CsvMapping | undefined {
  // A row holding an indicator is data, even when another of its cells reads like a column name ("domain").
  if (header.some((h) => h.trim() && extractIndicators(h).candidates.length > 0)) return undefined;
  const keys = header.map(headerKey);
  const misp = isMispHeader(keys);
  const seen = new Set<CsvField>();
  const mapping = keys.map((k): CsvField => {
    if (misp && k === 'category') return 'ignore';
    const f = SYNONYMS[k] ?? 'ignore';
    if (f === 'ignore' || (seen.has(f) && !f.startsWith('value:'))) return 'ignore';
    seen.add(f);
    return f;
  });
  // A column of one type next to a generic value column is data of its row, not the indicator.
  if (seen.has('value')) return mapping.map((f) => (f.startsWith('value:') ? 'ignore' : f));
  return mapping.some((f) => f.startsWith('value:')) ? mapping : undefined;
}

const splitList = (cell: string, sep: RegExp) =>
  cell
    .split(sep)
    .map((t) => t.trim())
    .filter(Boolean);

/** The type a row names: Huntroom's, MISP's, or a common alias; undefined when none of them. */
function typeOf(raw: string, value: string): [IndicatorType, string, number?] | string {
  const t = raw.trim();
  if (!t) {
    // No type: the one indicator the extractor finds in the cell names it (a C2 column holds names and addresses).
    const found = extractIndicators(value).candidates;
    const guess = found.length === 1 ? found[0] : undefined;
    return guess && isIndicatorType(guess.type) ? [guess.type, value] : `no type given and "${value.slice(0, 80)}" is not recognised as one indicator`;
  }
  const lower = t.toLowerCase();
  if (isIndicatorType(lower)) return [lower, value];
  const alias = TYPE_ALIASES[lower];
  if (alias) return [alias, value];
  const [mapped, v, port] = mispValue(t, value);
  if (isIndicatorType(mapped)) return port === undefined ? [mapped, v] : [mapped, v, port];
  return `unknown type "${t.slice(0, 64)}" (expected one of ${INDICATOR_TYPES.join(', ')})`;
}

type RowFields = CandidateExtra & { tlp?: ReturnType<typeof tlpOfName> };

/** The row's own fields (marking, tags, source, techniques, comment, status, confidence), or why it is refused. */
function rowFields(cells: Map<CsvField, string>, misp: boolean): RowFields | string {
  const out: RowFields = {};
  const tags: string[] = [];
  const tagCell = cells.get('tags');
  // MISP joins tags with commas; Huntroom's export and most lists with semicolons or bars.
  for (const t of tagCell ? splitList(tagCell, misp ? /[,;|]/ : /[;|]/) : []) {
    if (/^tlp:/i.test(t)) {
      const level = tlpOfName(t);
      if (!level) return `unknown TLP tag "${t.slice(0, 64)}"`;
      out.tlp = level;
      continue;
    }
    const ok = tagSchema.safeParse(t);
    if (!ok.success) return `tag "${t.slice(0, 64)}": ${ok.error.issues[0]?.message ?? 'invalid'}`;
    tags.push(ok.data);
  }
  if (tags.length > INDICATOR_LIMITS.tagsMax) return `more than ${INDICATOR_LIMITS.tagsMax} tags`;
  if (tags.length) out.tags = [...new Set(tags)];
  const tlp = cells.get('tlp')?.trim();
  if (tlp) {
    // A row's marking wins over the workspace default; one that cannot be read is refused, never widened.
    const level = tlpOfName(tlp);
    if (!level) return `unknown TLP "${tlp.slice(0, 32)}" (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)`;
    out.tlp = level;
  }
  const rel = cells.get('releasable-to');
  if (rel?.trim()) out.releasableTo = splitList(rel, /[\s,;|]+/).map((c) => c.toUpperCase());
  const source = cells.get('source')?.trim();
  if (source) {
    if (source.length > INDICATOR_LIMITS.sourceMax) return `source longer than ${INDICATOR_LIMITS.sourceMax} characters`;
    out.source = source;
  }
  const tech = cells.get('techniques');
  if (tech?.trim()) {
    const ids: string[] = [];
    for (const t of splitList(tech, /[\s,;|]+/)) {
      const ok = techniqueIdSchema.safeParse(t);
      if (!ok.success) return `technique "${t.slice(0, 32)}": use an ATT&CK id such as T1059 or T1059.001`;
      ids.push(ok.data);
    }
    if (ids.length > INDICATOR_LIMITS.techniquesMax) return `more than ${INDICATOR_LIMITS.techniquesMax} techniques`;
    out.techniques = [...new Set(ids)];
  }
  const comment = cells.get('comment')?.trim();
  if (comment) out.comment = comment.slice(0, INDICATOR_LIMITS.commentMax);
  const status = cells.get('status')?.trim().toLowerCase();
  if (status) {
    if (!(INDICATOR_STATUSES as readonly string[]).includes(status)) return `unknown status "${status.slice(0, 32)}" (${INDICATOR_STATUSES.join(', ')})`;
    out.status = status as IndicatorStatus;
  }
  const conf = cells.get('confidence')?.trim();
  if (conf) {
    const n = Number(conf);
    if (!Number.isInteger(n) || n < 0 || n > 100) return `confidence "${conf.slice(0, 16)}" is not a whole number from 0 to 100`;
    out.confidence = n;
  }
  const until = cells.get('valid-until')?.trim();
  if (until) {
    // A timestamp (UTC when no offset is written, as STIX reads it) or a bare date (its midnight UTC).
    const t = stixTime(/^\d{4}-\d\d-\d\d$/.test(until) ? `${until}T00:00:00Z` : until);
    if (t === undefined) return `valid_until "${until.slice(0, 40)}" is not a date or timestamp (2025-06-30 or 2025-06-30T12:00:00Z)`;
    out.validUntil = new Date(t).toISOString();
  }
  return out;
}

const MISP_TO_IDS_OFF = new Set(['0', 'false', 'no', 'n']);

/**
 * Reads a CSV: detects the header, proposes a mapping (or uses the caller's, one entry per column)
 * and judges every row on its own. Throws only when the file as a whole cannot be read.
 */
export function readCsv(text: string, mapping?: readonly CsvField[]): CsvReading {
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''));
  if (rows.length === 0) throw new ImportError('CSV: the file is empty');
  const proposed = proposeCsvMapping(rows[0]!);
  const header: string[] | undefined = proposed ? rows[0] : undefined;
  const misp = !!header && isMispHeader(header.map(headerKey));
  // reduce, not Math.max(...rows): a file of a million rows would overflow the call stack.
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  // Without a header or a mapping, a one-column file is a list of values; anything wider needs a header.
  const used: CsvMapping = mapping ? [...mapping] : (proposed ?? (width === 1 ? ['value'] : []));
  if (!used.some((f) => f === 'value' || f.startsWith('value:')))
    throw new ImportError('CSV: no column holds the values: name the columns in the first row (value, type, tlp, tags, ...) or choose a mapping');
  const set = new CandidateSet();
  const rejected: Candidate[] = [];
  const skipped: CsvSkipped[] = [];
  const toIds = misp && header ? header.map(headerKey).indexOf('to_ids') : -1;
  (header ? rows.slice(1) : rows).forEach((raw, i) => {
    // Huntroom's export (and careful spreadsheets) put an apostrophe before a cell a spreadsheet would run as a formula.
    const r = raw.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell));
    const rowNo = i + (header ? 2 : 1);
    const cells = new Map<CsvField, string>();
    used.forEach((f, c) => f !== 'ignore' && !f.startsWith('value:') && !cells.has(f) && cells.set(f, r[c] ?? ''));
    const values: [string, string][] = [];
    used.forEach((f, c) => {
      const v = r[c]?.trim();
      if (!v) return;
      if (f === 'value') values.push([cells.get('type') ?? '', v]);
      else if (f === 'value:other') values.push(['', v]);
      else if (f.startsWith('value:')) values.push([f.slice(6), v]);
    });
    if (!values.length) return;
    if (toIds >= 0 && MISP_TO_IDS_OFF.has((r[toIds] ?? '').trim().toLowerCase())) {
      for (const [, v] of values) skipped.push({ row: rowNo, value: v, reason: 'MISP to_ids is off: context, not an indicator to detect' });
      return;
    }
    const fields = rowFields(cells, misp);
    for (const [t, v] of values) {
      // MISP's context types (link, text, sizes...) are never indicators, whatever to_ids says: the MISP importer's rule.
      const context = misp ? mispSkipReason(t, v) : undefined;
      if (context) {
        skipped.push({ row: rowNo, value: v, reason: context });
        continue;
      }
      const typed = typeOf(t, v);
      const reason = typeof fields === 'string' ? fields : typeof typed === 'string' ? typed : undefined;
      if (reason !== undefined) {
        rejected.push({ type: typeof typed === 'string' ? t || 'other' : typed[0], value: v, original: v, count: 1, error: `row ${rowNo}: ${reason}` });
        continue;
      }
      const [type, value, port] = typed as [IndicatorType, string, number?];
      set.add(type, value, port === undefined ? (fields as RowFields) : { ...(fields as RowFields), port });
    }
  });
  return { header, mapping: used, misp, candidates: [...set.list(), ...rejected], skipped };
}

/** The characters that end an unquoted stretch of a field. */
const FIELD_END = /[,\r\n]/g;

/**
 * RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines. A quote opens a quoted field
 * only at the start of a field (elsewhere it is a character of the field). Rows with no content are
 * left out. One linear pass that copies stretches between delimiters (indexOf and a sticky search)
 * rather than one character at a time: a 20 MB super-timeline is read several times faster.
 */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endRow = () => {
    if (row.some((f) => f !== '')) rows.push(row);
    row = [];
  };
  for (;;) {
    if (field === '' && text.charCodeAt(i) === 34 /* " */) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          const line = text.slice(0, i).split('\n').length;
          throw new ImportError(`CSV: a quoted field opened on line ${line} is never closed`);
        }
        field += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // A quoted field that was empty ("") may open another quoted stretch, as before.
      if (field === '' && text.charCodeAt(i) === 34) continue;
    }
    FIELD_END.lastIndex = i;
    const m = FIELD_END.exec(text);
    const k = m ? m.index : n;
    field += text.slice(i, k);
    row.push(field);
    field = '';
    if (k >= n) break;
    if (text.charCodeAt(k) === 44 /* , */) {
      i = k + 1;
      continue;
    }
    i = text.charCodeAt(k) === 13 && text.charCodeAt(k + 1) === 10 ? k + 2 : k + 1;
    endRow();
  }
  endRow();
  return rows;
}

/** Candidates of a CSV, with the mapping proposed from its header unless one is given. */
export function importCsv(text: string, mapping?: readonly CsvField[]): Candidate[] {
  return readCsv(text, mapping).candidates;
}
