/**
 * Times as forensic tools write them, turned into a UTC instant while keeping the zone the source was
 * written in (issue 18: "a UTC timestamp, the source time zone kept"):
 * - ISO 8601 with an offset (`2012-01-22T08:52:33+01:00`, `+0100`, `Z`; a space for the `T`; any
 *   number of fraction digits, kept to the millisecond);
 * - a date and a time of day with a zone column, as plaso's l2tcsv writes them (`01/22/2012`,
 *   `08:52:33`, `CET`): the zone is an abbreviation plaso writes, an IANA name, or an offset;
 * - a local time without any zone, read in the zone the person gave for the whole file.
 */

export interface Instant {
  /** UTC, ISO 8601 with milliseconds and `Z`. */
  at: string;
  /** The zone the source wrote the time in: an IANA name (`Europe/Riga`, `UTC`) or an offset (`+02:00`). */
  sourceTimeZone: string;
}

/**
 * Abbreviations pytz gives for the zones plaso users pick most (plaso's l2tcsv writes the output zone's
 * `tzname()`), each a fixed offset in minutes. Ambiguous ones (IST, BST outside Europe, CST in China)
 * take their most common meaning in this field: the European and North American one.
 */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  AST: -240,
  ADT: -180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
};

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** `+02:00` for 120 minutes; `UTC` for 0 (what Huntroom shows for UTC sources). */
export function offsetName(minutes: number): string {
  if (minutes === 0) return 'UTC';
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

/** Wall-clock fields that name a real moment (no 31 February, no hour 25); leap seconds are refused. */
function validFields(f: Fields): boolean {
  if (f.y < 1 || f.y > 9999 || f.mo < 1 || f.mo > 12 || f.h > 23 || f.mi > 59 || f.s > 59) return false;
  const days = new Date(Date.UTC(f.y, f.mo, 0)).getUTCDate();
  return f.d >= 1 && f.d <= days;
}

const wallUtc = (f: Fields) => {
  const d = new Date(Date.UTC(2000, f.mo - 1, f.d, f.h, f.mi, f.s, f.ms));
  d.setUTCFullYear(f.y);
  return d.getTime();
};

const fraction = (digits: string | undefined) => (digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0);

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    zoneFormatters.set(zone, f);
  }
  return f;
}

/** True for a zone name the platform knows (IANA, e.g. `Europe/Riga`, `UTC`). */
export const isIanaZone = (zone: string): boolean => zoneFormatter(zone) !== null;

/** The zone's offset from UTC at a UTC instant, in minutes. */
function zoneOffset(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = wallUtc({ y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second!, ms: 0 });
  return Math.round((local - (utcMs - (((utcMs % 1000) + 1000) % 1000))) / 60_000);
}

/**
 * The UTC instant of a wall-clock time in an IANA zone. A time that occurs twice (clocks going back)
 * is read as the first; one that does not exist (clocks going forward) as if the clock had not moved.
 */
function localToUtc(f: Fields, fmt: Intl.DateTimeFormat): number {
  const wall = wallUtc(f);
  const before = zoneOffset(fmt, wall - 86_400_000);
  const after = zoneOffset(fmt, wall + 86_400_000);
  // Candidates: the wall time read with the offset in force a day before and a day after it.
  const fits = [wall - before * 60_000, wall - after * 60_000].filter((t) => t + zoneOffset(fmt, t) * 60_000 === wall);
  if (fits.length) return Math.min(...fits);
  // In a gap (clocks going forward), the offset before the change: the clock "had not moved".
  return wall - before * 60_000;
}

/** A zone column's value as an offset (fixed) or an IANA formatter, or undefined when unknown. */
export function resolveZone(zone: string): { offset: number; name: string } | { fmt: Intl.DateTimeFormat; name: string } | undefined {
  const z = zone.trim();
  const abbr = ABBREVIATIONS[z.toUpperCase()];
  if (abbr !== undefined) return { offset: abbr, name: offsetName(abbr) };
  const off = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(z);
  if (off) {
    const minutes = (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0));
    if (Math.abs(minutes) <= 14 * 60) return { offset: minutes, name: offsetName(minutes) };
  }
  const fmt = z.length <= 64 ? zoneFormatter(z) : null;
  return fmt ? { fmt, name: z } : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 date-time. Without an offset, it is read in `defaultZone` when one is given; otherwise
 * the reason it cannot be placed in time is returned.
 */
export function parseIsoInstant(text: string, defaultZone?: string): Instant | string {
  const m = ISO.exec(text.trim());
  if (!m) return `"${text.slice(0, 40)}" is not an ISO 8601 date and time (2024-03-01T12:00:00+02:00)`;
  const f: Fields = { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +m[4]!, mi: +m[5]!, s: +(m[6] ?? 0), ms: fraction(m[7]) };
  const zone = m[8] ?? defaultZone;
  if (!zone) return `"${text.slice(0, 40)}" has no time zone; give the file's time zone`;
  return placeInZone(f, zone, text);
}

/** plaso's l2tcsv date (`MM/DD/YYYY`) and time (`HH:MM:SS`, maybe with a fraction) in its zone column. */
export function parseL2tInstant(date: string, time: string, zone: string, defaultZone?: string): Instant | string {
  const d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date.trim());
  if (!d) return `date "${date.slice(0, 20)}" is not MM/DD/YYYY`;
  const t = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/.exec(time.trim());
  if (!t) return `time "${time.slice(0, 20)}" is not HH:MM:SS`;
  const f: Fields = { y: +d[3]!, mo: +d[1]!, d: +d[2]!, h: +t[1]!, mi: +t[2]!, s: +t[3]!, ms: fraction(t[4]) };
  const z = zone.trim() && zone.trim() !== '-' ? zone.trim() : defaultZone;
  if (!z) return "no time zone in the row; give the file's time zone";
  return placeInZone(f, z, `${date} ${time}`);
}

function placeInZone(f: Fields, zone: string, shown: string): Instant | string {
  if (!validFields(f)) return `"${shown.slice(0, 40)}" is not a real date and time`;
  const z = resolveZone(zone);
  if (!z) return `unknown time zone "${zone.slice(0, 40)}" (use an IANA name such as Europe/Riga, an offset such as +02:00, or UTC)`;
  const utc = 'offset' in z ? wallUtc(f) - z.offset * 60_000 : localToUtc(f, z.fmt);
  return { at: new Date(utc).toISOString(), sourceTimeZone: z.name };
}

/** Microseconds since 1970 (Timesketch's `timestamp` column), as an instant in UTC; plausible years only. */
export function parseMicroseconds(text: string): Instant | string {
  const t = text.trim();
  if (!/^-?\d{1,19}$/.test(t)) return `timestamp "${t.slice(0, 24)}" is not a number of microseconds`;
  const ms = Math.trunc(Number(t) / 1000);
  // Years 1970 to 2200: a value in seconds or milliseconds by mistake lands in 1970 and is refused.
  if (ms < Date.UTC(1971, 0, 1) || ms > Date.UTC(2200, 0, 1)) return `timestamp "${t.slice(0, 24)}" is not microseconds since 1970 in a plausible year`;
  return { at: new Date(ms).toISOString(), sourceTimeZone: 'UTC' };
}
