/**
 * CSV of the hunt's hosts and of its timeline (RFC 4180: a header row, CRLF, quotes doubled; cells a
 * spreadsheet would run as a formula get a leading apostrophe, as csv.ts does for indicators). Every row
 * carries its own TLP and releasable-to teams, so a row copied out of the file keeps its marking.
 * Another item is named only when it is in the export itself (huntNames).
 */
import type { HandoffData } from '../collect.js';
import { csvCell } from './csv.js';
import { huntNames } from './huntReport.js';

export const HOST_COLUMNS = [
  'hostname',
  'addresses',
  'network',
  'os',
  'role',
  'criticality',
  'state',
  'examined_by',
  'examined_at',
  'notes',
  'tlp',
  'releasable_to',
  'owner_team',
] as const;

export const TIMELINE_COLUMNS = [
  'datetime_utc',
  'source_time_zone',
  'host',
  'network',
  'team',
  'description',
  'source',
  'techniques',
  'indicators',
  'findings',
  'tlp',
  'releasable_to',
  'owner_team',
] as const;

const table = (head: readonly string[], rows: (string | number)[][]) => {
  const out = [head.map(csvCell).join(',')];
  // One push per row: a spread of 50,000 rows would overflow the call stack.
  for (const r of rows) out.push(r.map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
};

export function buildHostsCsv(data: HandoffData): string {
  const names = huntNames(data);
  return table(
    HOST_COLUMNS,
    data.hunt.hosts.map((h) => [
      h.hostname,
      h.addresses.join(' '),
      names.network.get(h.networkId) ?? '',
      h.os,
      h.role,
      h.criticality,
      h.state,
      h.examinedBy?.code ?? '',
      h.examinedAt ?? '',
      h.notes,
      h.tlp,
      h.releasableTo.join(' '),
      h.ownerTeam.code,
    ]),
  );
}

export function buildTimelineCsv(data: HandoffData): string {
  const names = huntNames(data);
  return table(
    TIMELINE_COLUMNS,
    data.hunt.timeline.map((e) => [
      e.at,
      e.sourceTimeZone,
      e.hostId ? (names.host.get(e.hostId) ?? '') : '',
      e.networkId ? (names.network.get(e.networkId) ?? '') : '',
      e.team.code,
      e.description,
      e.source,
      e.techniques.join(' '),
      // Indicators by value (only those the export holds), findings by title: a reader has no ids.
      e.indicatorIds.flatMap((id) => (names.indicator.has(id) ? [names.indicator.get(id)!.value] : [])).join(' '),
      e.findingIds.flatMap((id) => (names.finding.has(id) ? [names.finding.get(id)!] : [])).join('; '),
      e.tlp,
      e.releasableTo.join(' '),
      e.ownerTeam.code,
    ]),
  );
}
