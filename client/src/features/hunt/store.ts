/**
 * The hunt screens' local copy of every network, host, finding and timeline event the team may see,
 * fed by the record plane (snapshot, missed events, live events) exactly as the indicator board's
 * store is. Another team's change is remembered for a few seconds with who did it, so its row, tile or
 * event shows in that team's colour; changes applied while loading (the first sync) never flash.
 */
import type { EventActor, FindingView, HostView, NetworkView, RecordEvent, TimelineEventView } from '@huntroom/shared';
import type { Projection } from '../../lib/records/index.js';

export interface Highlight {
  /** Team id of who changed it: the colour is looked up from the team list. */
  teamId: string;
  by: string;
  until: number;
}

type Kind = 'network' | 'host' | 'finding' | 'timeline';
type ViewOf = { network: NetworkView; host: HostView; finding: FindingView; timeline: TimelineEventView };
/** The payload key each kind's created/updated event carries its view under (server/src/hunt). */
const PAYLOAD_KEY: Record<Kind, string> = { network: 'network', host: 'host', finding: 'finding', timeline: 'event' };
/** Snapshot keys (server/src/hunt/queries.ts huntSnapshots). */
const SNAPSHOT_KEY: Record<Kind, string> = { network: 'networks', host: 'hosts', finding: 'findings', timeline: 'timeline' };
const KINDS = Object.keys(PAYLOAD_KEY) as Kind[];

export const HUNT_EVENTS: readonly string[] = [...KINDS.flatMap((k) => ['created', 'updated', 'deleted', 'revoked'].map((v) => `${k}:${v}`)), 'sample:created', 'sample:deleted'];

const HIGHLIGHT_MS = 6_000;

export class HuntStore implements Projection {
  readonly items: { [K in Kind]: Map<string, ViewOf[K]> } = { network: new Map(), host: new Map(), finding: new Map(), timeline: new Map() };
  readonly highlights = new Map<string, Highlight>();
  /** Seq of the last sample added to or removed from each finding: its open sample list reloads on it. */
  readonly samplesSeq = new Map<string, number>();
  /** Seq at which an item was deleted or hidden: an older event arriving late must not bring it back. */
  private readonly removed = new Map<string, number>();
  /** False until the first sync is applied: what it brings is the load, not a live change. */
  private live = false;
  version = 0;
  private listeners = new Set<() => void>();
  private arrays: { version: number; lists: { [K in Kind]?: readonly ViewOf[K][] } } = { version: -1, lists: {} };

  constructor(
    private readonly myTeamId: string,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = () => this.version;

  /** The items of one kind as an array that keeps its identity until the next change (a memo input). */
  list<K extends Kind>(kind: K): readonly ViewOf[K][] {
    if (this.arrays.version !== this.version) this.arrays = { version: this.version, lists: {} };
    const lists = this.arrays.lists as Record<Kind, readonly unknown[] | undefined>;
    return (lists[kind] ??= [...this.items[kind].values()]) as readonly ViewOf[K][];
  }

  highlightOf(id: string): Highlight | undefined {
    const h = this.highlights.get(id);
    if (!h) return undefined;
    if (h.until >= this.now()) return h;
    this.highlights.delete(id);
    return undefined;
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private mark(id: string, actor: EventActor): void {
    if (!this.live || !actor.team.id || actor.team.id === this.myTeamId) return;
    this.highlights.set(id, { teamId: actor.team.id, by: `${actor.displayName ?? actor.username ?? 'someone'} (${actor.team.code ?? '?'})`, until: this.now() + HIGHLIGHT_MS });
  }

  private upsert<K extends Kind>(kind: K, view: ViewOf[K]): void {
    if ((this.removed.get(view.id) ?? -1) >= view.updatedSeq) return;
    const map = this.items[kind] as Map<string, ViewOf[K]>;
    const old = map.get(view.id);
    if (!old || old.updatedSeq <= view.updatedSeq) map.set(view.id, view);
  }

  apply(e: RecordEvent): void {
    const [kind, verb] = e.type.split(':') as [Kind, string];
    const p = e.payload as Record<string, unknown>;
    if ((kind as string) === 'sample') {
      const findingId = (p.findingId as string | undefined) ?? (p.sample as { findingId?: string } | undefined)?.findingId;
      if (findingId) this.samplesSeq.set(findingId, e.seq);
      return this.changed();
    }
    if (!KINDS.includes(kind)) return;
    if (verb === 'created' || verb === 'updated') {
      this.upsert(kind, p[PAYLOAD_KEY[kind]] as ViewOf[typeof kind]);
      this.mark(e.recordId, e.actor);
    } else if (verb === 'deleted' || verb === 'revoked') {
      const id = (p.id as string) ?? e.recordId;
      const map = this.items[kind] as Map<string, { updatedSeq: number }>;
      const row = map.get(id);
      if (row && row.updatedSeq > e.seq) return; // changed again after this (widened back): keep it
      map.delete(id);
      this.removed.set(id, e.seq);
      this.highlights.delete(id);
    } else return;
    this.changed();
  }

  reset(records: Record<string, unknown[]>): void {
    for (const kind of KINDS) {
      const map = this.items[kind] as Map<string, { id: string }>;
      map.clear();
      for (const v of (records[SNAPSHOT_KEY[kind]] ?? []) as { id: string }[]) map.set(v.id, v);
    }
    this.removed.clear();
    // The snapshot replaced whatever sample events were missed: every open sample list reloads (a value
    // no event seq takes, new at each reset, so the list's effect runs again).
    for (const f of this.items.finding.keys()) this.samplesSeq.set(f, -this.version - 1);
    this.changed();
  }

  synced(): void {
    this.live = true;
  }
}
