/**
 * An indicator's sightings and comments as the events a replica applies (`indicator:sighted`,
 * `indicator:commented`), synthesized from the rows: for the baseline, and when a re-marked indicator
 * may now be seen across a link (a widening), so the replica gets what hangs off it too. Each keeps its
 * own audience; the border filters them as any event.
 */
import type { Db } from '../../storage/db.js';
import { indicatorStore, markedItem, type CommentRow, type IndicatorRow, type SightingRow } from '../../indicators/store.js';
import { presentComment, presentSighting, TeamIndex } from '../../indicators/present.js';
import { teamStore } from '../../teams/store.js';
import type { StoredEvent } from '../../records/store.js';

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
  if (!events.some(remarked)) return [...events];
  const teams = new TeamIndex(await teamStore.list(db));
  const out: StoredEvent[] = [];
  for (const e of events) {
    out.push(e);
    if (!remarked(e)) continue;
    const row = await indicatorStore.get(db, workspaceId, e.recordId);
    if (row) out.push(...indicatorChildren(row, await indicatorStore.sightings(db, row.id), await indicatorStore.comments(db, row.id), teams));
  }
  return out;
}
