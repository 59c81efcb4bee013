/**
 * Apply at the replica (docs/federation.md section 3): a `records.events` message from the home of the
 * items it is about, in the channel's transaction. Each event is checked (shape, the workspace shared
 * over that link, the item homed at the sending link, visible to one of this instance's teams at least),
 * its projection rows written by its kind's applier, and the event appended to this instance's own log
 * with its own seq, so the clients' catch-up and snapshots work unchanged. After the commit the events
 * go to this instance's sockets through the same delivery filter as local ones (index.ts).
 */
import type { Db } from '../../storage/db.js';
import { auditStore, type AuditSubject } from '../../audit/store.js';
import { recordStore, type LoadedEvent, type StoredEvent } from '../../records/store.js';
import { visibleTo } from '../../records/visibility.js';
import { FederationRefusal } from '../channel.js';
import { ensureRemoteAccount } from '../accounts.js';
import type { Link } from '../store.js';
import { ownTeamIds, SUBJECT_KINDS } from './border.js';
import { homeItemOf, kindOf, recordsMessageSchema, type WireEvent } from './wire.js';

export interface ApplyInput {
  link: Link;
  workspaceId: string;
  event: WireEvent;
  /** This instance's seq for the event. */
  seq: number;
}

/** What an applier returns for an event that changes nothing here (a resent sighting): not logged again. */
export const ALREADY_HELD = Symbol('already held');

/** Writes one event's projection rows; returns the payload to store and deliver here. Throws to refuse. */
export type Applier = (tx: Db, input: ApplyInput) => Promise<unknown>;

/** Whose id to store as the event's actor: a remote account of the link, this instance's own user, or nobody. */
async function actorHere(tx: Db, link: Link, actor: WireEvent['actor']): Promise<{ id: string | null; teamId: string | null }> {
  if (!actor) return { id: null, teamId: null };
  const team = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [actor.teamId]);
  if (team?.home_link === link.name) {
    await ensureRemoteAccount(tx, link, actor);
    return { id: actor.id, teamId: actor.teamId };
  }
  // One of ours acting at the home (a command sent there): only if the account is ours, of that team.
  if (team && team.home_link === null) {
    const mine = await tx.get<{ team_id: string; home_link: string | null }>('SELECT team_id, home_link FROM accounts WHERE id = ?', [actor.id]);
    if (mine && mine.home_link === null && mine.team_id === actor.teamId) return { id: actor.id, teamId: actor.teamId };
  }
  // A third instance's user, or a name that does not add up: the event is kept without an author.
  return { id: null, teamId: null };
}

/** The audit subject of an event's item, so the trail shows the row only to those who may see it. */
function subjectOf(e: WireEvent): { about?: AuditSubject[] } {
  const kind = SUBJECT_KINDS[kindOf(e.type)];
  return kind ? { about: [{ kind, id: e.recordId, ...homeItemOf(e.audience) }] } : {};
}

/**
 * Applies one message; returns what to deliver after the commit. `appliers` by event type: an event of
 * a type without one is refused (the whole message with it), never applied half.
 */
export async function applyRecordsMessage(
  tx: Db,
  link: Link,
  raw: unknown,
  appliers: Record<string, Applier>,
): Promise<{ workspaceId: string; teams: string[]; loaded: LoadedEvent[] }> {
  const parsed = recordsMessageSchema.safeParse(raw);
  if (!parsed.success) throw new FederationRefusal(`records.events: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { workspaceId, events } = parsed.data;
  const share = await tx.get<{ state: string }>('SELECT state FROM federation_shares WHERE workspace_id = ? AND link = ?', [workspaceId, link.name]);
  if (share?.state !== 'active') throw new FederationRefusal(`${link.name} sent events of workspace ${workspaceId}, which is not shared with it here`);
  const own = [...(await ownTeamIds(tx))];
  const homes = new Map<string, string | null>();
  for (const e of events) {
    const ownerTeam = homeItemOf(e.audience).ownerTeamId;
    if (!homes.has(ownerTeam)) homes.set(ownerTeam, (await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [ownerTeam]))?.home_link ?? null);
    if (homes.get(ownerTeam) !== link.name) throw new FederationRefusal(`${link.name} sent ${e.type} about ${e.recordId}, an item it is not the home of`);
    // The home sends only what one of our teams may see; anything else is not taken in.
    if (!own.some((t) => visibleTo(t, e.audience))) throw new FederationRefusal(`${link.name} sent ${e.type} about ${e.recordId}, which none of this instance's teams may see`);
    if (!appliers[e.type]) throw new FederationRefusal(`${link.name} sent ${e.type}, which this instance does not take across a link yet`);
  }
  const last = await recordStore.allocateSeq(tx, workspaceId, events.length);
  const stored: StoredEvent[] = [];
  for (const [i, e] of events.entries()) {
    const seq = last - events.length + 1 + i;
    const actor = await actorHere(tx, link, e.actor);
    const payload = await appliers[e.type]!(tx, { link, workspaceId, event: e, seq });
    // Its seq stays unused: clients tolerate gaps (hidden events leave them too).
    if (payload === ALREADY_HELD) continue;
    stored.push({ workspaceId, seq, type: e.type, recordId: e.recordId, payload, actorId: actor.id, teamId: actor.teamId, at: e.at, audience: e.audience });
  }
  await recordStore.append(tx, stored);
  for (const e of events)
    await auditStore.write(tx, {
      workspaceId,
      action: 'federation.received',
      detail: { link: link.name, id: e.recordId, kind: kindOf(e.type), type: e.type, homeSeq: e.homeSeq, ...(parsed.data.baseline ? { baseline: true } : {}) },
      // Shown in the trail only to those who may see the item (audit/subjects.ts).
      ...subjectOf(e),
    });
  // Read back in the transaction with the actors' names here, ready to deliver right after the commit.
  const loaded = stored.length ? await recordStore.since(tx, workspaceId, last - events.length, last, events.length) : [];
  return { workspaceId, teams: await recordStore.memberTeams(tx, workspaceId), loaded };
}
