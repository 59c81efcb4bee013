/**
 * CSV of a handoff's indicators (RFC 4180: CRLF, quotes doubled). A cell that a spreadsheet would run
 * as a formula (starting with = + - @ or a tab/CR) gets a leading apostrophe: the file is opened by
 * people, and a value from an attacker's infrastructure must not execute in their spreadsheet.
 */
import type { HandoffData } from '../collect.js';
import { portableComments } from './comments.js';

const COLUMNS = [
  'type',
  'value',
  'status',
  'confidence',
  'tlp',
  'releasable_to',
  'owner_team',
  'tags',
  'techniques',
  'first_seen',
  'last_seen',
  'valid_until',
  'sightings',
  'source',
  'comment',
] as const;

export function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function buildCsv(data: HandoffData): string {
  const rows = data.indicators.map((i) => [
    i.type,
    i.value,
    i.status,
    i.confidence,
    i.tlp,
    i.releasableTo.join(' '),
    i.ownerTeam.code,
    // Tags may hold spaces; the importer splits on semicolons.
    i.tags.join(';'),
    i.techniques.join(' '),
    i.firstSeen,
    i.lastSeen,
    i.validUntil ?? '',
    (data.sightings.get(i.id) ?? []).length,
    i.source,
    portableComments(i, data),
  ]);
  return [COLUMNS as readonly (string | number)[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
