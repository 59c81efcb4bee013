/**
 * What changed in the last hour, from the record plane's event log: each event passes `visibleTo` for
 * the caller's team (the same audience check as live delivery and catch-up), so a hidden item's
 * change is neither listed nor counted. An event names its item by what its payload carries (the
 * indicator's value, a host's name); sightings and comments name their indicator as it is now, only
 * when the caller's team may see it.
 */
import { canSee, type OverviewActivity, type OverviewCount, type OverviewTeamRef, type Team } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { recordStore, type LoadedEvent } from '../records/store.js';
import { visibleTo } from '../records/visibility.js';
import { indicatorStore, markedItem } from '../indicators/store.js';

/** Events read at most: a flood of hidden events cannot make this read unbounded. */
const MAX_SCANNED = 5_000;
const RECENT = 20;

type Payload = Record<string, Record<string, unknown> | string | string[] | undefined>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The item's name from the event payload, and what changed when the event says. */
function describe(e: LoadedEvent, values: Map<string, string>): string {
  const p = e.event.payload as Payload;
  const view = Object.values(p).find((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v));
  const changes = Array.isArray(p.changes) ? p.changes : [];
  const changed = changes.includes('status') && view ? ` → ${str(view.status) ?? ''}` : changes.includes('state') && view ? ` → ${str(view.state) ?? ''}` : '';
  const name = view && (str(view.value) ?? str(view.hostname) ?? str(view.name) ?? str(view.title) ?? str(view.description));
  const indicatorId = str(p.indicatorId);
  return `${name ?? (indicatorId && values.get(indicatorId)) ?? ''}${changed}`.slice(0, 200);
}

export async function recentActivity(
  db: Db,
  workspaceId: string,
  viewerTeamId: string,
  since: string,
  teams: Map<string, Team>,
): Promise<{ total: number; recent: OverviewActivity[]; byTeam: (OverviewCount & { team: OverviewTeamRef })[] }> {
  const head = await recordStore.head(db, workspaceId);
  // The newest events first, back to `since` (seq order is commit order; `at` rises with it).
  const rows = await db.all<{ seq: number }>('SELECT seq FROM record_events WHERE workspace_id = ? AND at >= ? ORDER BY seq LIMIT 1', [workspaceId, since]);
  const from = rows[0] ? Number(rows[0].seq) - 1 : head;
  const events = (await recordStore.since(db, workspaceId, Math.max(from, head - MAX_SCANNED), head, MAX_SCANNED)).filter(
    (e) => e.event.at >= since && !e.event.type.endsWith(':revoked') && visibleTo(viewerTeamId, e.audience),
  );
  // Newest first by the time of the change (a bulk command's items share their command's time).
  events.sort((a, b) => b.event.at.localeCompare(a.event.at) || b.event.seq - a.event.seq);
  const ids = [...new Set(events.slice(0, RECENT).flatMap((e) => str((e.event.payload as Payload).indicatorId) ?? []))];
  const values = new Map((await indicatorStore.manyById(db, workspaceId, ids)).filter((r) => canSee(viewerTeamId, markedItem(r))).map((r) => [r.id, r.value]));
  const byTeam = new Map<string, number>();
  for (const e of events) if (e.event.actor.team.id) byTeam.set(e.event.actor.team.id, (byTeam.get(e.event.actor.team.id) ?? 0) + 1);
  return {
    total: events.length,
    recent: events.slice(0, RECENT).map((e) => {
      const team = e.event.actor.team.id ? teams.get(e.event.actor.team.id) : undefined;
      const actor = e.event.actor;
      return {
        at: e.event.at,
        type: e.event.type,
        actor:
          team && actor.username
            ? { username: actor.username, displayName: actor.displayName ?? actor.username, team: { code: team.code, name: team.name, color: team.color } }
            : null,
        subject: describe(e, values),
      };
    }),
    byTeam: [...byTeam].flatMap(([id, count]) => {
      const t = teams.get(id);
      return t ? [{ key: t.code, count, team: { code: t.code, name: t.name, color: t.color } }] : [];
    }),
  };
}
