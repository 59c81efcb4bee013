/**
 * Catch-up and live events for one workspace, in seq order. The client joins its rooms first, then
 * asks `sync {workspaceId, sinceSeq}`; live events arriving meanwhile are held back and applied after
 * the sync answer, so nothing is applied twice or out of order. Gaps in seq are normal: events the
 * team may not see are never sent. Pure logic: the socket and the projection are passed in.
 */
import type { Command, RecordEvent, SyncResult } from '@huntroom/shared';

export interface Projection {
  /** Applies one event (created, updated, sighted, revoked...) to local state. */
  apply: (event: RecordEvent) => void;
  /** Replaces local state with a snapshot (the client was too far behind). */
  reset: (records: Record<string, unknown[]>) => void;
  /** Called after each sync is applied: what came before was a load, what follows is live. */
  synced?: () => void;
  /** A command was issued (or restored after a reload): show its change now (optimistic.ts). */
  optimistic?: (command: Command) => void;
  /** Its final answer came: keep (ok) or undo the optimistic change. */
  settle?: (commandId: string, ok: boolean) => void;
}

/**
 * With several nodes, two commits can reach a client in the other order than their seqs (each node
 * delivers its own after commit, the other's through Redis). So an event is not dropped for being
 * below the highest seq seen: it is applied unless that very seq was applied already, and a sync asks
 * again for the last REPLAY_WINDOW seqs so that one that never arrived live is fetched too.
 */
const REPLAY_WINDOW = 500;
const REMEMBERED = 5_000;

export class SeqTracker {
  /** The highest seq applied. */
  lastSeq: number;
  /** Everything at or below it is in the state already (initial load or snapshot). */
  private floor: number;
  private readonly applied = new Set<number>();
  private syncing = false;
  private held: RecordEvent[] = [];

  constructor(
    private readonly projection: Projection,
    lastSeq = 0,
  ) {
    this.lastSeq = lastSeq;
    this.floor = lastSeq;
  }

  /** Call right before sending `sync`: live events are held until `completeSync`. */
  beginSync(): { sinceSeq: number } {
    this.syncing = true;
    return { sinceSeq: Math.max(this.floor, this.lastSeq - REPLAY_WINDOW) };
  }

  /** The sync answer: apply it, then the held live events that are newer. */
  completeSync(result: SyncResult): void {
    if (result.snapshot) {
      this.projection.reset(result.records);
      this.lastSeq = this.floor = result.seq;
      this.applied.clear();
    } else {
      for (const e of result.events) this.applyIfNew(e);
      this.lastSeq = Math.max(this.lastSeq, result.seq);
    }
    this.syncing = false;
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const e of held) this.applyIfNew(e);
    this.projection.synced?.();
  }

  /** The sync failed (disconnect mid-way): live events stay held until the next sync. */
  abortSync(): void {
    this.syncing = false;
    // Held events are newer than lastSeq but the missed ones before them are unknown: drop them and
    // let the next sync bring everything after lastSeq, in order.
    this.held = [];
  }

  /** A live event (single or from a `record:batch`). */
  onLive(e: RecordEvent): void {
    if (this.syncing) this.held.push(e);
    else this.applyIfNew(e);
  }

  private applyIfNew(e: RecordEvent): void {
    if (e.seq <= this.floor || this.applied.has(e.seq)) return;
    this.projection.apply(e);
    this.applied.add(e.seq);
    this.lastSeq = Math.max(this.lastSeq, e.seq);
    // Seqs far below the head cannot come back: a sync never reaches further than REPLAY_WINDOW.
    if (this.applied.size > REMEMBERED) {
      this.floor = Math.max(this.floor, this.lastSeq - REPLAY_WINDOW - 1);
      for (const s of this.applied) if (s <= this.floor) this.applied.delete(s);
    }
  }
}
