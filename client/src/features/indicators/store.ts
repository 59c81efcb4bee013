/**
 * The board's local copy of every indicator the team may see, kept by id and fed by the record
 * plane (snapshot, missed events, live events). It is the Projection the SeqTracker applies events
 * to, and an external store for React. Another team's change is remembered for a few seconds with
 * who did it, so the row can flash in that team's colour. What the first sync brings is the load, not
 * a change: nothing flashes when the page opens (as in the hunt store, docs/hunt-screens.md).
 */
import type { Command, EventActor, IndicatorView, RecordEvent } from '@huntroom/shared';
import type { Projection } from '../../lib/records/index.js';
import { patchOf, PendingPatches } from '../../lib/records/optimistic.js';

/** Fields an update shows at once, before the server answers (a marking waits: it changes who sees the row). */
const OPTIMISTIC_FIELDS = ['status', 'confidence'] as const;

export interface Highlight {
  color: string;
  by: string;
  until: number;
}

const HIGHLIGHT_MS = 4_000;

export class IndicatorStore implements Projection {
  readonly rows = new Map<string, IndicatorView>();
  readonly highlights = new Map<string, Highlight>();
  /** Seq of the last event about each record (comments and sightings too): detail views reload on it. */
  readonly touched = new Map<string, number>();
  /** Seq at which a record was deleted or hidden: an older event arriving late must not bring it back. */
  private readonly removed = new Map<string, number>();
  /** False until the first sync is applied: only changes after it flash. */
  private live = false;
  /** Changes issued and not yet acknowledged (offline ones too), shown applied with a waiting mark. */
  private readonly pending = new PendingPatches<IndicatorView>();
  /** Bumped on every change: React re-derives the visible rows when it moves. */
  version = 0;
  private listeners = new Set<() => void>();
  private snapshot: { version: number; rows: readonly IndicatorView[] } | undefined;

  constructor(
    private readonly myTeamId: string,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = () => this.version;
  /**
   * The rows as an array that keeps its identity until the next change: React memos list it as their
   * input, so a change re-derives them and nothing else does.
   */
  getRows = (): readonly IndicatorView[] => {
    if (this.snapshot?.version !== this.version) this.snapshot = { version: this.version, rows: [...this.rows.values()] };
    return this.snapshot.rows;
  };

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private mark(id: string, actor: EventActor): void {
    if (!this.live || !actor.team.id || actor.team.id === this.myTeamId) return;
    this.highlights.set(id, {
      color: actor.team.color ?? '#888',
      by: `${actor.displayName ?? actor.username ?? 'someone'} (${actor.team.code ?? '?'})`,
      until: this.now() + HIGHLIGHT_MS,
    });
  }

  /** The highlight of a row if it is still fresh. */
  highlightOf(id: string): Highlight | undefined {
    const h = this.highlights.get(id);
    if (h && h.until < this.now()) this.highlights.delete(id);
    return h && h.until >= this.now() ? h : undefined;
  }

  /** Keeps the newer of two copies, so a late REST answer cannot undo a live update. */
  upsert(view: IndicatorView): void {
    if ((this.removed.get(view.id) ?? -1) >= view.updatedSeq) return;
    const old = this.pending.baseOf(view.id) ?? this.rows.get(view.id);
    if (!old || old.updatedSeq <= view.updatedSeq) this.rows.set(view.id, this.pending.show(view));
  }

  /** Whether the row shows a change of ours that the server has not acknowledged yet. */
  isWaiting(id: string): boolean {
    return this.pending.isWaiting(id);
  }

  optimistic(cmd: Command): void {
    const patch = patchOf(cmd, 'indicator', OPTIMISTIC_FIELDS);
    if (!patch) return;
    for (const id of this.pending.add(cmd.id, patch, (i) => this.rows.get(i))) this.rows.set(id, this.pending.show(this.pending.baseOf(id)!));
    this.changed();
  }

  settle(commandId: string, ok: boolean): void {
    const rows = this.pending.settle(commandId, ok);
    for (const row of rows) if (this.rows.has(row.id)) this.rows.set(row.id, this.pending.show(row));
    if (rows.length) this.changed();
  }

  apply(e: RecordEvent): void {
    // A sync brings every kind's events; the other kinds are other pages' business.
    if (!e.type.startsWith('indicator:')) return;
    const p = e.payload as Record<string, unknown>;
    this.touched.set(e.recordId, e.seq);
    switch (e.type) {
      case 'indicator:created':
      case 'indicator:updated':
        this.upsert(p.indicator as IndicatorView);
        break;
      case 'indicator:sighted': {
        const row = this.pending.baseOf(p.indicatorId as string) ?? this.rows.get(p.indicatorId as string);
        // Counts are absolute: an older sighting event arriving late must not lower them.
        if (row && row.updatedSeq < e.seq)
          this.rows.set(row.id, this.pending.show({ ...row, sightingCount: p.sightingCount as number, lastSeen: p.lastSeen as string, updatedSeq: e.seq }));
        break;
      }
      case 'indicator:revoked':
        // A comment taken out of sight: the indicator stays; its open detail reloads (touched above).
        if (p.kind === 'comment') return this.changed();
      // falls through
      case 'indicator:deleted': {
        const id = (p.id as string) ?? e.recordId;
        const row = this.rows.get(id);
        if (row && row.updatedSeq > e.seq) return; // changed again after this (widened back): keep it
        this.rows.delete(id);
        this.removed.set(id, e.seq);
        this.highlights.delete(e.recordId);
        return this.changed();
      }
      default:
        break;
    }
    this.mark(e.recordId, e.actor);
    this.changed();
  }

  reset(records: Record<string, unknown[]>): void {
    this.rows.clear();
    this.removed.clear();
    for (const v of (records.indicators ?? []) as IndicatorView[]) this.rows.set(v.id, this.pending.show(v));
    this.changed();
  }

  synced(): void {
    if (this.live) return;
    this.live = true;
    // The page can now tell "nothing here yet" from "not loaded yet".
    this.changed();
  }

  /** The first sync has arrived: an empty board is really empty. */
  get loaded(): boolean {
    return this.live;
  }
}
