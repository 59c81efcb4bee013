/**
 * An indicator's sightings and comments as the events a replica applies (`indicator:sighted`,
 * `indicator:commented`), synthesized from the rows: for the baseline, and when a re-marked indicator
 * may now be seen across a link (a widening), so the replica gets what hangs off it too. Each keeps its
 * own audience; the border filters them as any event. A finding's samples likewise (`sample:created`,
 * metadata only), after the finding's created event (the baseline) or a re-mark of it.
 */
import type { Db } from '../../storage/db.js';
import { indicatorStore, markedItem, type CommentRow, type IndicatorRow, type SightingRow } from '../../indicators/store.js';
import { presentComment, presentSighting, TeamIndex } from '../../indicators/present.js';
import { teamStore } from '../../teams/store.js';
import type { StoredEvent } from '../../records/store.js';
import { presentSample } from '../../hunt/samples/present.js';
import type { SampleRow } from '../../hunt/samples/store.js';

export function indicatorChildren(r: IndicatorRow, sightings: readonly SightingRow[], comments: readonly CommentRow[], teams: TeamIndex): StoredEvent[] {
  const item = markedItem(r);
  const base = { workspaceId: r.workspace_id, teamId: null, seq: Number(r.updated_seq), recordId: r.id };
  return [
    ...sightings.map((s) => ({
      ...base,
      type: 'indicator:sighted',
      at: s.created_at,
      actorId: s.account_id,
      payload: { indicatorId: r.id, sighting: presentSighting(s, teams), sightingCount: Number(r.sighting_count), lastSeen: r.last_seen },
      audience: { item },
    })),
    ...comments.map((c) => ({
      ...base,
      type: 'indicator:commented',
      at: c.created_at,
      actorId: c.account_id,
      payload: { indicatorId: r.id, comment: presentComment(c, teams) },
      audience: { item: markedItem(c), parent: item },
    })),
  ];
}

const remarked = (e: StoredEvent): boolean => {
  if (e.type !== 'indicator:updated') return false;
  const changes = (e.payload as { changes?: unknown }).changes;
  return Array.isArray(changes) && (changes.includes('tlp') || changes.includes('releasableTo'));
};

/**
 * `events` with, after each re-marked indicator's update, that indicator's sightings and comments as
 * stored now. The replica applies them idempotently (rows by id), so a narrowing-then-widening or a
 * marking change the link always saw costs only the resend.
 */
export async function withRemarkedChildren(db: Db, workspaceId: string, events: readonly StoredEvent[]): Promise<StoredEvent[]> {
  const findings = events.filter(findingCrossing).map((e) => e.recordId);
  if (!events.some(remarked) && !findings.length) return [...events];
  const teams = new TeamIndex(await teamStore.list(db));
  const samples = await samplesOf(db, workspaceId, findings);
  const out: StoredEvent[] = [];
  for (const e of events) {
    out.push(e);
    if (findingCrossing(e)) out.push(...sampleEvents(e, samples.get(e.recordId) ?? [], teams));
    if (!remarked(e)) continue;
    const row = await indicatorStore.get(db, workspaceId, e.recordId);
    if (row) out.push(...indicatorChildren(row, await indicatorStore.sightings(db, row.id), await indicatorStore.comments(db, row.id), teams));
  }
  return out;
}

const MARKING_COLUMNS = ['tlp', 'releasable_to', 'owner_team_id'];

/**
 * A finding that may come into a link's sight with samples already on it: its created event (the
 * baseline synthesizes one per finding; a live one has no sample yet and costs one lookup) or an
 * update that changed its marking.
 */
function findingCrossing(e: StoredEvent): boolean {
  if (e.type === 'finding:created') return true;
  if (e.type !== 'finding:updated') return false;
  const changes = (e.payload as { changes?: unknown }).changes;
  return Array.isArray(changes) && changes.some((c) => MARKING_COLUMNS.includes(c as string));
}

/** The samples of `findingIds` as stored now, by finding; one query per 500 findings. */
async function samplesOf(db: Db, workspaceId: string, findingIds: readonly string[]): Promise<Map<string, SampleRow[]>> {
  const out = new Map<string, SampleRow[]>();
  const unique = [...new Set(findingIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = await db.all<SampleRow>(`SELECT * FROM hunt_samples WHERE workspace_id = ? AND finding_id IN (${part.map(() => '?').join(', ')}) ORDER BY created_at, id`, [
      workspaceId,
      ...part,
    ]);
    for (const r of rows) out.set(r.finding_id, [...(out.get(r.finding_id) ?? []), r]);
  }
  return out;
}

/** A finding's samples as `sample:created` events with the finding event's audience (a sample's marking is its finding's). */
const sampleEvents = (finding: StoredEvent, rows: readonly SampleRow[], teams: TeamIndex): StoredEvent[] =>
  rows.map((r) => ({
    workspaceId: finding.workspaceId,
    teamId: null,
    seq: finding.seq,
    type: 'sample:created',
    recordId: finding.recordId,
    at: r.created_at,
    actorId: r.created_by,
    payload: { sample: presentSample(r, teams) },
    audience: { item: finding.audience.item },
  }));
