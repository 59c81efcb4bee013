/**
 * A timeline CSV that is none of the super-timeline shapes (a firewall export, a spreadsheet of notes)
 * is imported through a column mapping chosen in the dialog: the browser writes the mapped columns
 * as Timesketch's CSV shape (`datetime,message,timestamp_desc,source,hostname,username`), which the
 * server's reader knows, so one reader judges every row on the server, whatever shape the file had.
 */
import { headerKey } from '@huntroom/shared';

export const TIMELINE_FIELDS = ['datetime', 'message', 'timestamp_desc', 'source', 'hostname', 'username', 'ignore'] as const;
export type TimelineField = (typeof TIMELINE_FIELDS)[number];

export const TIMELINE_FIELD_LABEL: Record<TimelineField, string> = {
  datetime: 'time',
  message: 'description',
  timestamp_desc: 'what the time means',
  source: 'source',
  hostname: 'host name',
  username: 'user',
  ignore: 'ignore',
};

const SYNONYMS: Record<string, TimelineField> = {
  datetime: 'datetime',
  date: 'datetime',
  time: 'datetime',
  timestamp: 'datetime',
  date_time: 'datetime',
  when: 'datetime',
  event_time: 'datetime',
  utc_time: 'datetime',
  message: 'message',
  description: 'message',
  event: 'message',
  details: 'message',
  summary: 'message',
  what: 'message',
  timestamp_desc: 'timestamp_desc',
  type: 'timestamp_desc',
  source: 'source',
  log: 'source',
  tool: 'source',
  host: 'hostname',
  hostname: 'hostname',
  computer: 'hostname',
  computer_name: 'hostname',
  user: 'username',
  username: 'username',
  account: 'username',
};

/** What each column seems to hold from its header; a second column of one meaning is ignored. */
export function proposeTimelineMapping(header: readonly string[]): TimelineField[] {
  const seen = new Set<TimelineField>();
  return header.map((h) => {
    const f = SYNONYMS[headerKey(h)] ?? 'ignore';
    if (f === 'ignore' || seen.has(f)) return 'ignore';
    seen.add(f);
    return f;
  });
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * The data rows (header left out) as a Timesketch CSV by the mapping. Row numbers stay those of the
 * source file: one output line per source row, header first.
 */
export function toTimesketchCsv(rows: readonly string[][], mapping: readonly TimelineField[]): string {
  const used = TIMELINE_FIELDS.filter((f) => f !== 'ignore' && mapping.includes(f));
  const at = used.map((f) => mapping.indexOf(f));
  const lines = [used.join(',')];
  for (const row of rows) lines.push(at.map((i) => quote(row[i] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Why a mapping cannot be sent, or undefined when it can. */
export const mappingProblem = (mapping: readonly TimelineField[]): string | undefined =>
  !mapping.includes('datetime') ? 'choose the column that holds the time' : !mapping.includes('message') ? 'choose the column that holds the description' : undefined;
