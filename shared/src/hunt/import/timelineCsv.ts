/**
 * Super-timeline CSV into timeline events, in the three shapes forensic tools write, recognised by the
 * header row:
 * - plaso's l2tcsv (log2timeline's 17 fixed columns: date,time,timezone,MACB,source,sourcetype,type,
 *   user,host,short,desc,version,filename,inode,notes,format,extra), times in the zone column;
 * - plaso's "dynamic" CSV (psort's default: datetime,timestamp_desc,source,source_long,message,parser,
 *   display_name,tag), ISO times with their offset;
 * - Timesketch's CSV (message, datetime, timestamp_desc, any other columns), with its `timestamp`
 *   column (microseconds) used when `datetime` is absent or cannot be read.
 * Every row is judged on its own: a row whose time or description cannot be read is reported with the
 * reason, the others are kept. One pass over the rows (linear), with progress for long files.
 */
import { ImportError } from '../../indicators/import/errors.js';
import { parseCsvRows } from '../../indicators/import/csv.js';
import { HUNT_LIMITS } from '../schema.js';
import { blank, headerKey, progressReporter, type ImportProblem, type ImportProgress } from './problems.js';
import { parseIsoInstant, parseL2tInstant, parseMicroseconds, type Instant } from './time.js';

export type TimelineCsvFormat = 'l2tcsv' | 'plaso-dynamic' | 'timesketch';

/** One event as read; `host` is the name the source wrote, for the caller to find among the hosts. */
export interface ImportedEvent extends Instant {
  /** CSV row (the header is row 1). */
  row: number;
  description: string;
  /** What produced the event: plaso's source and source type, or Timesketch's data type or parser. */
  source?: string;
  /** What the time means (`Content Modification Time`, `Last Access Time`...). */
  timestampDescription?: string;
  host?: string;
  user?: string;
}

export interface TimelineReading {
  format: TimelineCsvFormat;
  events: ImportedEvent[];
  problems: ImportProblem[];
}

export interface TimelineCsvOptions {
  /** The zone of times written without one (IANA name or offset); rows without a zone are refused without it. */
  timeZone?: string;
  onProgress?: ImportProgress;
}

const L2T = ['date', 'time', 'timezone', 'macb', 'source', 'sourcetype', 'type', 'user', 'host', 'short', 'desc'];
const DYNAMIC = ['datetime', 'timestamp_desc', 'source', 'source_long', 'message'];

type Cells = (k: string) => string;

/** The format a header names, or undefined. */
export function timelineFormatOf(header: readonly string[]): TimelineCsvFormat | undefined {
  const keys = header.map(headerKey);
  if (L2T.every((k, i) => keys[i] === k)) return 'l2tcsv';
  if (DYNAMIC.every((k) => keys.includes(k))) return 'plaso-dynamic';
  if ((keys.includes('message') || keys.includes('description')) && (keys.includes('datetime') || keys.includes('timestamp'))) return 'timesketch';
  return undefined;
}

/** Reads a super-timeline CSV; throws ImportError only when the file as a whole is not one. */
export function readTimelineCsv(text: string, options: TimelineCsvOptions = {}): TimelineReading {
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''));
  const header = rows[0];
  if (!header) throw new ImportError('timeline CSV: the file is empty');
  const format = timelineFormatOf(header);
  if (!format)
    throw new ImportError(
      'timeline CSV: the header is none of the known shapes: plaso l2tcsv (date,time,timezone,MACB,...), plaso dynamic (datetime,timestamp_desc,source,source_long,message,...) or Timesketch (message,datetime,timestamp_desc,...)',
    );
  const keys = header.map(headerKey);
  const index = new Map<string, number>();
  keys.forEach((k, i) => index.has(k) || index.set(k, i));
  const total = rows.length - 1;
  const report = progressReporter(total, options.onProgress);
  const events: ImportedEvent[] = [];
  const problems: ImportProblem[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const cell: Cells = (k) => {
      const i = index.get(k);
      return i === undefined ? '' : (row[i] ?? '').trim();
    };
    const read = format === 'l2tcsv' ? l2tEvent(cell, options) : format === 'plaso-dynamic' ? dynamicEvent(cell, options) : timesketchEvent(cell, options);
    if (typeof read === 'string') problems.push({ row: r + 1, reason: read });
    else {
      const checked = checkDescription(read);
      if (typeof checked === 'string') problems.push({ row: r + 1, reason: checked });
      else events.push({ row: r + 1, ...checked });
    }
    report(r);
  }
  return { format, events, problems };
}

type Draft = Omit<ImportedEvent, 'row'>;

const opt = (v: string) => (blank(v) ? undefined : v);
const joined = (...parts: string[]) => parts.filter((p) => !blank(p)).join(' / ') || undefined;

function l2tEvent(cell: Cells, o: TimelineCsvOptions): Draft | string {
  const at = parseL2tInstant(cell('date'), cell('time'), cell('timezone'), o.timeZone);
  if (typeof at === 'string') return at;
  // `desc` is the full message; `short` is plaso's abbreviation of it, kept only when desc is missing.
  return withOptional(at, opt(cell('desc')) ?? opt(cell('short')) ?? '', {
    source: joined(cell('source'), cell('sourcetype')),
    timestampDescription: opt(cell('type')),
    host: opt(cell('host')),
    user: opt(cell('user')),
  });
}

function dynamicEvent(cell: Cells, o: TimelineCsvOptions): Draft | string {
  const at = parseIsoInstant(cell('datetime'), o.timeZone);
  if (typeof at === 'string') return at;
  return withOptional(at, cell('message'), {
    source: joined(cell('source'), cell('source_long')),
    timestampDescription: opt(cell('timestamp_desc')),
    host: opt(cell('hostname')),
    user: opt(cell('username')),
  });
}

function timesketchEvent(cell: Cells, o: TimelineCsvOptions): Draft | string {
  // Timesketch reads `datetime` first and falls back to the microsecond `timestamp`; so do we.
  const iso = blank(cell('datetime')) ? undefined : parseIsoInstant(cell('datetime'), o.timeZone);
  let at: Instant | string | undefined = iso;
  if ((at === undefined || typeof at === 'string') && !blank(cell('timestamp'))) {
    const micro = parseMicroseconds(cell('timestamp'));
    at = typeof micro === 'string' && typeof iso === 'string' ? `${iso}; ${micro}` : micro;
  }
  if (at === undefined) return 'no datetime and no timestamp';
  if (typeof at === 'string') return at;
  return withOptional(at, opt(cell('message')) ?? cell('description'), {
    source: opt(cell('data_type')) ?? opt(cell('parser')) ?? opt(cell('source')),
    timestampDescription: opt(cell('timestamp_desc')),
    host: opt(cell('hostname')) ?? opt(cell('host')) ?? opt(cell('computer_name')),
    user: opt(cell('username')) ?? opt(cell('user')),
  });
}

function withOptional(at: Instant, description: string, extra: Record<string, string | undefined>): Draft {
  const draft: Draft = { ...at, description };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (draft as unknown as Record<string, string>)[k] = v;
  return draft;
}

function checkDescription(d: Draft): Draft | string {
  if (blank(d.description)) return 'no description (message)';
  if (d.description.length > HUNT_LIMITS.textMax) return `description longer than ${HUNT_LIMITS.textMax} characters`;
  if (d.source && d.source.length > HUNT_LIMITS.nameMax) d.source = d.source.slice(0, HUNT_LIMITS.nameMax);
  if (d.host && d.host.length > HUNT_LIMITS.hostnameMax) delete d.host;
  return d;
}
