/**
 * The border at the home (docs/federation.md section 3): in the transaction that writes a command's
 * events, each event about an item homed here that a link's teams may see becomes part of one message
 * for that link (written to its outbox with the events, so both are stored or neither), with an audit
 * row per crossing. Events about items homed elsewhere (replicas) never leave. After the commit the
 * links written to are flushed.
 *
 * The hot path when nothing is shared is one indexed lookup of the workspace's active shares.
 */
import type { Account } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import type { StoredEvent } from '../../records/store.js';
import { visibleTo } from '../../records/visibility.js';
import type { EventBorder } from '../../records/command.js';
import { auditStore } from '../../audit/store.js';
import type { AuditSubjectKind } from '../../audit/subjects.js';
import { MAX_FRAME_BYTES } from '../protocol.js';
import { linkTeamIds } from '../teams.js';
import { withRemarkedChildren } from './children.js';
import { withoutUnsentItems } from './progress.js';
import { CROSSING_KINDS, homeItemOf, HUNT_ROW_TABLES, kindOf, RECORDS_MESSAGE, type WireEvent } from './wire.js';

/** Writes a message in `tx` for `link` and returns its link seq (the bus's enqueue). */
export type Enqueue = (tx: Db, link: string, type: string, body: unknown) => Promise<number>;

/** Links (of active shares) over which the workspace is shared. One indexed lookup. */
export async function sharedLinks(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.all<{ link: string }>(`SELECT link FROM federation_shares WHERE workspace_id = ? AND state = 'active' ORDER BY link`, [workspaceId]);
  return rows.map((r) => r.link);
}

/** Teams homed here: known and not bound to a link. An unknown owner team is never "here". */
export async function ownTeamIds(db: Db): Promise<Set<string>> {
  return new Set((await db.all<{ id: string }>('SELECT id FROM teams WHERE home_link IS NULL')).map((r) => r.id));
}

export const SUBJECT_KINDS: Record<string, AuditSubjectKind> = {
  indicator: 'indicator',
  network: 'network',
  host: 'host',
  finding: 'finding',
  timeline: 'timeline',
  sample: 'finding',
};

/** A remote account here is `name@instance`: the peer knows its own user by the name before the `@`. */
const localName = (username: string): string => username.split('@')[0] ?? username;

/** What the wire needs of an actor (an Account has it). */
export type ActorSource = Pick<Account, 'id' | 'username' | 'displayName'> & { team: Pick<Account['team'], 'id'> };

export const toWire = (e: StoredEvent, actor: ActorSource | null): WireEvent => ({
  homeSeq: e.seq,
  type: e.type,
  recordId: e.recordId,
  at: e.at,
  actor: actor && { id: actor.id, username: localName(actor.username), displayName: actor.displayName, teamId: actor.team.id },
  audience: {
    item: e.audience.item,
    ...(e.audience.parent ? { parent: e.audience.parent } : {}),
    ...(e.audience.unless ? { unless: e.audience.unless } : {}),
  },
  payload: e.payload,
});

const sameMarking = (row: Record<string, unknown>, e: WireEvent): boolean =>
  row.tlp === e.audience.item.marking.tlp && row.releasable_to === JSON.stringify(e.audience.item.marking.releasableTo) && row.owner_team_id === e.audience.item.ownerTeamId;

/**
 * Hunt items' created/updated events get the item's row as stored now, when it is marked as the event's
 * item is (the event passed the border with that marking); else a later event of the command carries it.
 */
async function withRows(tx: Db, events: WireEvent[]): Promise<WireEvent[]> {
  for (const e of events) {
    const table = HUNT_ROW_TABLES[kindOf(e.type)];
    if (!table || !/:(created|updated)$/.test(e.type)) continue;
    const row = await tx.get<Record<string, unknown>>(`SELECT * FROM ${table} WHERE id = ?`, [e.recordId]);
    if (row && sameMarking(row, e)) e.row = row;
  }
  return events;
}

/** Splits events into messages below the frame limit (an import batch can be larger than one frame). */
export function chunkForFrames(events: readonly WireEvent[], budget = MAX_FRAME_BYTES / 2): WireEvent[][] {
  const out: WireEvent[][] = [];
  let current: WireEvent[] = [];
  let size = 0;
  for (const e of events) {
    const n = JSON.stringify(e).length;
    if (current.length && (size + n > budget || current.length >= 5_000)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += n;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Enqueues, for each link the workspace is shared over, the events of `stored` it may see; returns the
 * links written to. Audits `federation.sent` per crossing (item, kind, link, link seq).
 */
export async function crossBorder(
  tx: Db,
  enqueue: Enqueue,
  workspaceId: string,
  stored: readonly StoredEvent[],
  actorOf: (e: StoredEvent) => ActorSource | null,
  opts: { baseline?: boolean; onlyLink?: string } = {},
): Promise<string[]> {
  if (!stored.length) return [];
  const links = (await sharedLinks(tx, workspaceId)).filter((l) => opts.onlyLink === undefined || l === opts.onlyLink);
  if (!links.length) return [];
  const own = await ownTeamIds(tx);
  // Only items homed here (a replica's events are the home's to send), of kinds a replica applies.
  const mine = stored.filter((e) => own.has(homeItemOf(e.audience).ownerTeamId) && CROSSING_KINDS.has(kindOf(e.type)));
  if (!mine.length) return [];
  // A re-marked indicator may have just come into a link's sight: what hangs off it goes along.
  const homed = await withRemarkedChildren(tx, workspaceId, mine);
  const written: string[] = [];
  for (const link of links) {
    const teams = await linkTeamIds(tx, link);
    let crossing = homed.filter((e) => teams.some((t) => visibleTo(t, e.audience)));
    // A baseline under way over the link carries the items it has not reached yet, as stored then.
    if (!opts.baseline) crossing = await withoutUnsentItems(tx, link, workspaceId, crossing);
    if (!crossing.length) continue;
    const wire = await withRows(
      tx,
      crossing.map((e) => toWire(e, actorOf(e))),
    );
    for (const chunk of chunkForFrames(wire)) {
      const linkSeq = await enqueue(tx, link, RECORDS_MESSAGE, { workspaceId, ...(opts.baseline ? { baseline: true } : {}), events: chunk });
      for (const e of chunk) {
        const kind = SUBJECT_KINDS[kindOf(e.type)];
        // The row names the item: shown only to those who may see it (audit/subjects.ts).
        const about = kind ? [{ kind, id: e.recordId, ...homeItemOf(e.audience) }] : undefined;
        await auditStore.write(tx, {
          workspaceId,
          actorId: e.actor?.id ?? null,
          teamId: e.actor?.teamId ?? null,
          action: 'federation.sent',
          detail: { link, linkSeq, id: e.recordId, kind: kindOf(e.type), type: e.type, seq: e.homeSeq, ...(opts.baseline ? { baseline: true } : {}) },
          ...(about ? { about } : {}),
        });
      }
    }
    written.push(link);
  }
  return written;
}

/** The border of one instance: registered for its bus (features.ts), used by records/command.ts. */
export function makeBorder(enqueue: Enqueue, flush: (link: string) => void): EventBorder {
  // Links written to by transactions not yet flushed; flushing one more than needed is harmless.
  const dirty = new Set<string>();
  return {
    async crossing(tx, workspaceId, account, stored) {
      // Synthesized events (a re-marked indicator's sightings and comments) are not this person's doing.
      for (const link of await crossBorder(tx, enqueue, workspaceId, stored, (e) => (e.actorId === account.id ? account : null))) dirty.add(link);
    },
    committed() {
      for (const link of dirty) flush(link);
      dirty.clear();
    },
  };
}
