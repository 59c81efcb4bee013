/**
 * The baseline (docs/federation.md section 4): when a share becomes active, the home sends the peer
 * everything in the workspace that is homed here and that the link's teams may see, as the events a
 * replica applies (created, then sightings and comments), through the same border filter as live events.
 */
import type { Db } from '../../storage/db.js';
import { indicatorStore, markedItem } from '../../indicators/store.js';
import { presentIndicator, TeamIndex } from '../../indicators/present.js';
import { teamStore } from '../../teams/store.js';
import type { StoredEvent } from '../../records/store.js';
import { presentNetwork } from '../../hunt/networks/present.js';
import { presentHost } from '../../hunt/hosts/present.js';
import { presentFinding } from '../../hunt/findings/present.js';
import { presentTimelineEvent } from '../../hunt/timeline/present.js';
import { markedItem as huntItem, type MarkedRow } from '../../hunt/common/rows.js';
import { crossBorder, type ActorSource, type Enqueue } from './border.js';
import { HUNT_TABLES } from './hunt.js';
import { indicatorChildren } from './children.js';

async function actors(db: Db, ids: readonly string[]): Promise<Map<string, ActorSource>> {
  const out = new Map<string, ActorSource>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db.all<{ id: string; username: string; display_name: string; team_id: string }>(
      `SELECT id, username, display_name, team_id FROM accounts WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r.id, { id: r.id, username: r.username, displayName: r.display_name, team: { id: r.team_id } });
  }
  return out;
}

function byIndicator<T extends { indicator_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.indicator_id, [...(out.get(r.indicator_id) ?? []), r]);
  return out;
}

/** The indicators of the workspace (with sightings and comments) as synthesized events, oldest first. */
export async function indicatorBaseline(db: Db, workspaceId: string): Promise<StoredEvent[]> {
  const teams = new TeamIndex(await teamStore.list(db));
  const rows = (await indicatorStore.all(db, workspaceId)).reverse();
  const sightings = byIndicator(await indicatorStore.allSightings(db, workspaceId));
  const comments = byIndicator(await indicatorStore.allComments(db, workspaceId));
  const out: StoredEvent[] = [];
  const base = { workspaceId, teamId: null };
  for (const r of rows) {
    out.push({
      ...base,
      seq: Number(r.updated_seq),
      type: 'indicator:created',
      recordId: r.id,
      at: r.updated_at,
      actorId: r.created_by,
      payload: { indicator: presentIndicator(r, teams) },
      audience: { item: markedItem(r) },
    });
    out.push(...indicatorChildren(r, sightings.get(r.id) ?? [], comments.get(r.id) ?? [], teams));
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each presenter takes its own row type.
const PRESENT: Record<string, (r: any, teams: TeamIndex) => unknown> = { network: presentNetwork, host: presentHost, finding: presentFinding, timeline: presentTimelineEvent };

/** Hunt items as `<kind>:created` events, parents first (networks, hosts, findings, timeline), oldest first. */
export async function huntBaseline(db: Db, workspaceId: string): Promise<StoredEvent[]> {
  const teams = new TeamIndex(await teamStore.list(db));
  const out: StoredEvent[] = [];
  for (const [kind, t] of Object.entries(HUNT_TABLES)) {
    const rows = await db.all<MarkedRow>(`SELECT * FROM ${t.table} WHERE workspace_id = ? ORDER BY created_seq`, [workspaceId]);
    for (const r of rows)
      out.push({
        workspaceId,
        teamId: null,
        seq: Number(r.updated_seq),
        type: `${kind}:created`,
        recordId: r.id,
        at: r.updated_at,
        actorId: r.created_by,
        payload: { [t.key]: PRESENT[kind]!(r, teams) },
        audience: { item: huntItem(r) },
      });
  }
  return out;
}

/** Sends `link` the baseline of `workspaceId` in `tx` (the transaction that activates the share). */
export async function sendBaseline(tx: Db, enqueue: Enqueue, workspaceId: string, link: string): Promise<void> {
  // Indicators first: findings and timeline events refer to them.
  const events = [...(await indicatorBaseline(tx, workspaceId)), ...(await huntBaseline(tx, workspaceId))];
  const who = await actors(
    tx,
    events.map((e) => e.actorId).filter((a): a is string => a !== null),
  );
  await crossBorder(tx, enqueue, workspaceId, events, (e) => (e.actorId ? (who.get(e.actorId) ?? null) : null), { baseline: true, onlyLink: link });
}
