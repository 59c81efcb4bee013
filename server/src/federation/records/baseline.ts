/**
 * The baseline (docs/federation.md section 4): when a share becomes active (and again when a link's
 * outbox was dropped past its retention limit), the sender sends the peer everything in the workspace
 * that is homed here and that the link's teams may see, as the events a replica applies (created, then
 * sightings and comments), through the same border filter as live events.
 *
 * **In pages.** The share's activation only records that a baseline is due (`federation_baselines`);
 * the node that holds the link then writes it `BASELINE_PAGE` items per transaction, yielding to the
 * event loop between pages, while the link is up and the peer keeps up (at 10,000 indicators in one
 * transaction the home stalled for seconds). Each page is written to the outbox in the transaction that
 * moves the cursor (kind, created_seq, id), so a restart or a dropped link resumes after the last page
 * and no item is sent twice.
 *
 * **Against live events.** An item the baseline has not reached yet is not sent live over that link: its
 * page reads it as stored then, which includes the live change. An item it has passed is sent live,
 * after its baseline copy. Pages and live writers take the progress row's lock first (PostgreSQL; SQLite
 * runs one transaction at a time), so a live change is either seen by the page or sent after it.
 *
 * **The replica** records its log head at `begin`; at `end` it drops the rows homed at the sender that
 * the baseline did not refresh (no longer visible to it, or deleted while the outbox was dropped), with
 * `<kind>:deleted` events for its own sockets, and the comments of refreshed indicators the baseline did not
 * send (baselineComments.ts).
 */
import * as z from 'zod';
import type { AppContext } from '../../context.js';
import type { Db } from '../../storage/db.js';
import { markedItem, type CommentRow, type IndicatorRow, type SightingRow } from '../../indicators/store.js';
import { presentIndicator, TeamIndex } from '../../indicators/present.js';
import { teamStore } from '../../teams/store.js';
import { recordStore, type StoredEvent } from '../../records/store.js';
import { deliver } from '../../records/deliver.js';
import { auditStore } from '../../audit/store.js';
import { nowIso } from '../../util.js';
import { presentNetwork } from '../../hunt/networks/present.js';
import { presentHost } from '../../hunt/hosts/present.js';
import { presentFinding } from '../../hunt/findings/present.js';
import { presentTimelineEvent } from '../../hunt/timeline/present.js';
import { markedItem as huntItem, type MarkedRow } from '../../hunt/common/rows.js';
import { FederationRefusal, writeToOutbox, type FederationBus } from '../channel.js';
import { BaselineLoop } from '../pump.js';
import type { Link } from '../store.js';
import { crossBorder, sharedLinks, type ActorSource, type Enqueue } from './border.js';
import { HUNT_TABLES, huntAppliers } from './hunt.js';
import { indicatorAppliers } from './indicators.js';
import { indicatorChildren } from './children.js';
import { lockedProgress, PHASES, startBaseline, TABLES } from './progress.js';
import type { Applier } from './apply.js';
import type { WireEvent } from './wire.js';
import { forgetBaselineComments, sweepUnsentComments } from './baselineComments.js';

/** Items (indicators or hunt items, each with what hangs off it) per page: one transaction, one message. */
export const BASELINE_PAGE = 500;

export const BASELINE_MESSAGE = 'records.baseline';

/**
 * Records that `link` is due the baseline of `workspaceId` (the share hook: in the transaction that
 * activates the share); the pump sends it. `_enqueue` is kept for the hook's signature: pages are
 * written with the outbox write itself, by the node that holds the link.
 */
export async function sendBaseline(tx: Db, _enqueue: Enqueue, workspaceId: string, link: string): Promise<void> {
  await startBaseline(tx, link, workspaceId);
}

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

const placeholders = (n: number): string => new Array(n).fill('?').join(', ');

function byIndicator<T extends { indicator_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.indicator_id, [...(out.get(r.indicator_id) ?? []), r]);
  return out;
}

/** One page of indicators as synthesized events (created, then its sightings and comments). */
async function indicatorEvents(db: Db, workspaceId: string, rows: readonly IndicatorRow[], teams: TeamIndex): Promise<StoredEvent[]> {
  const ids = rows.map((r) => r.id);
  const sightings = byIndicator(await db.all<SightingRow>(`SELECT * FROM indicator_sightings WHERE indicator_id IN (${placeholders(ids.length)}) ORDER BY created_at, id`, ids));
  const comments = byIndicator(await db.all<CommentRow>(`SELECT * FROM indicator_comments WHERE indicator_id IN (${placeholders(ids.length)}) ORDER BY created_at, id`, ids));
  const out: StoredEvent[] = [];
  for (const r of rows) {
    out.push({
      workspaceId,
      teamId: null,
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

const huntEvents = (kind: string, workspaceId: string, rows: readonly MarkedRow[], teams: TeamIndex): StoredEvent[] =>
  rows.map((r) => ({
    workspaceId,
    teamId: null,
    seq: Number(r.updated_seq),
    type: `${kind}:created`,
    recordId: r.id,
    at: r.updated_at,
    actorId: r.created_by,
    payload: { [HUNT_TABLES[kind]!.key]: PRESENT[kind]!(r, teams) },
    audience: { item: huntItem(r) },
  }));

/**
 * Writes the next step of one baseline in `tx`: `begin`, a page of one kind, or `end`. Returns whether
 * there is more to send (false: done, or the share is no longer active and the baseline was dropped).
 */
export async function baselinePage(tx: Db, link: string, workspaceId: string, pageSize = BASELINE_PAGE): Promise<boolean> {
  const p = await lockedProgress(tx, link, workspaceId);
  if (!p) return false;
  const forget = () => tx.run('DELETE FROM federation_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  if (!(await sharedLinks(tx, workspaceId)).includes(link)) {
    await forget();
    return false;
  }
  const next = (phase: string) => tx.run("UPDATE federation_baselines SET phase = ?, after_seq = 0, after_id = '' WHERE link = ? AND workspace_id = ?", [phase, link, workspaceId]);
  if (p.phase === 'begin' || p.phase === 'end') {
    await writeToOutbox(tx, link, BASELINE_MESSAGE, { workspaceId, step: p.phase });
    if (p.phase === 'end') {
      await forget();
      await auditStore.write(tx, { workspaceId, actorId: null, action: 'federation.baseline.sent', detail: { link } });
      return false;
    }
    await next(PHASES[1]!);
    return true;
  }
  const kind = p.phase;
  const table = TABLES[kind];
  if (!table) throw new Error(`federation baseline of ${workspaceId} for ${link}: unknown phase ${kind}`);
  const rows = await tx.all<MarkedRow>(`SELECT * FROM ${table} WHERE workspace_id = ? AND (created_seq > ? OR (created_seq = ? AND id > ?)) ORDER BY created_seq, id LIMIT ?`, [
    workspaceId,
    p.after_seq,
    p.after_seq,
    p.after_id,
    pageSize,
  ]);
  if (rows.length) {
    const teams = new TeamIndex(await teamStore.list(tx));
    const events = kind === 'indicator' ? await indicatorEvents(tx, workspaceId, rows as unknown as IndicatorRow[], teams) : huntEvents(kind, workspaceId, rows, teams);
    const who = await actors(
      tx,
      events.map((e) => e.actorId).filter((a): a is string => a !== null),
    );
    await crossBorder(tx, writeToOutbox, workspaceId, events, (e) => (e.actorId ? (who.get(e.actorId) ?? null) : null), { baseline: true, onlyLink: link });
  }
  if (rows.length < pageSize) await next(PHASES[PHASES.indexOf(kind) + 1]!);
  else {
    const last = rows[rows.length - 1]!;
    await tx.run('UPDATE federation_baselines SET after_seq = ?, after_id = ? WHERE link = ? AND workspace_id = ?', [Number(last.created_seq), last.id, link, workspaceId]);
  }
  return true;
}

const baselineMessage = z.object({ workspaceId: z.string().min(1).max(64), step: z.enum(['begin', 'end']) });

/** Children before parents. */
const SWEEP = ['timeline', 'finding', 'host', 'network', 'indicator'];
const REMOVERS: Record<string, Applier> = {
  indicator: indicatorAppliers['indicator:deleted']!,
  ...Object.fromEntries(Object.keys(HUNT_TABLES).map((k) => [k, huntAppliers[`${k}:deleted`]!])),
};

/**
 * Drops the replica rows of `workspaceId` homed at `link` not refreshed since `fromSeq` (all of them with
 * the largest seq: a withdrawn share), each with a `<kind>:deleted` event in this instance's log;
 * returns those events (to deliver after the commit).
 */
export async function sweepHomedAt(tx: Db, link: Link, workspaceId: string, fromSeq: number): Promise<StoredEvent[]> {
  const gone: { kind: string; row: MarkedRow }[] = [];
  for (const kind of SWEEP) {
    const rows = await tx.all<MarkedRow>(
      `SELECT r.* FROM ${TABLES[kind]} r JOIN teams t ON t.id = r.owner_team_id WHERE r.workspace_id = ? AND t.home_link = ? AND r.updated_seq <= ?`,
      [workspaceId, link.name, fromSeq],
    );
    for (const row of rows) gone.push({ kind, row });
  }
  if (!gone.length) return [];
  const last = await recordStore.allocateSeq(tx, workspaceId, gone.length);
  const at = nowIso();
  const out: StoredEvent[] = [];
  for (const [i, { kind, row }] of gone.entries()) {
    const seq = last - gone.length + 1 + i;
    const audience = { item: huntItem(row) };
    const event: WireEvent = { homeSeq: 0, type: `${kind}:deleted`, recordId: row.id, at, actor: null, audience, payload: { id: row.id } };
    await REMOVERS[kind]!(tx, { link, workspaceId, event, seq });
    out.push({ workspaceId, seq, type: event.type, recordId: row.id, payload: { id: row.id }, actorId: null, teamId: null, at, audience });
  }
  await recordStore.append(tx, out);
  await auditStore.write(tx, {
    workspaceId,
    actorId: null,
    action: 'federation.baseline.swept',
    detail: { link: link.name, removed: out.map((e) => ({ kind: e.type, id: e.recordId })) },
  });
  return out;
}

/** Registers the baseline's receiving side and starts the pump on this bus (features.ts). */
export function registerBaselines(ctx: Pick<AppContext, 'db' | 'log' | 'realtime'>, bus: FederationBus): void {
  // Page after page while the link is up and the peer keeps up (pump.ts).
  const pageSize = bus.settings.baselinePage;
  const pump = new BaselineLoop({ db: ctx.db, bus, log: ctx.log.child({ category: 'federation' }) }, 'federation_baselines', (link, workspaceId) =>
    ctx.db.transaction((tx) => baselinePage(tx, link, workspaceId, pageSize)),
  );
  bus.onClose(() => pump.stop());
  bus.onLinkUp(() => void pump.run());
  bus.onMessage(BASELINE_MESSAGE, async (tx, link, raw) => {
    const m = baselineMessage.safeParse(raw);
    if (!m.success) throw new FederationRefusal(`${BASELINE_MESSAGE}: ${m.error.issues[0]?.message ?? 'invalid'}`);
    const { workspaceId, step } = m.data;
    if (!(await sharedLinks(tx, workspaceId)).includes(link.name))
      throw new FederationRefusal(`${link.name} sent a baseline of workspace ${workspaceId}, which is not shared with it here`);
    if (step === 'begin') {
      await tx.run('DELETE FROM federation_baseline_marks WHERE link = ? AND workspace_id = ?', [link.name, workspaceId]);
      await tx.run('INSERT INTO federation_baseline_marks (link, workspace_id, from_seq) VALUES (?, ?, ?)', [link.name, workspaceId, await recordStore.head(tx, workspaceId)]);
      await forgetBaselineComments(tx, link.name, workspaceId);
      return;
    }
    const mark = await tx.get<{ from_seq: number }>('SELECT from_seq FROM federation_baseline_marks WHERE link = ? AND workspace_id = ?', [link.name, workspaceId]);
    if (!mark) return;
    await tx.run('DELETE FROM federation_baseline_marks WHERE link = ? AND workspace_id = ?', [link.name, workspaceId]);
    // Comments first (their indicators may stay); then the rows not refreshed, comments with them.
    const comments = await sweepUnsentComments(tx, link.name, workspaceId, Number(mark.from_seq));
    const removed = [...comments, ...(await sweepHomedAt(tx, link, workspaceId, Number(mark.from_seq)))];
    if (!removed.length) return;
    const teams = await recordStore.memberTeams(tx, workspaceId);
    const loaded = await recordStore.since(tx, workspaceId, removed[0]!.seq - 1, removed[removed.length - 1]!.seq, removed.length);
    return () => deliver(ctx, workspaceId, teams, loaded);
  });
  // Past the retention limit these go; the baseline that follows the drop stands for them.
  bus.dropOnRetention('records.events');
  bus.dropOnRetention(BASELINE_MESSAGE);
}
