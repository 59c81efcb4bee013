/**
 * The labels of indicators placed on a whiteboard, drawn from this viewer's own view of each record
 * (issue 15, 2.9): the board's document holds only the indicator id, so what a team sees on the board
 * is what it may read through the API: the type and defanged value, or "hidden item" when the server
 * answers 404 (not releasable to the team, or deleted). A record-plane event about a placed indicator
 * (re-marked, revoked, deleted, changed) drops its label, which is looked up again and redrawn.
 */
import { HIDDEN_ITEM_LABEL, PLACED_INDICATOR_TEXT, type IndicatorView } from '@huntroom/shared';
import { ApiError, get } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';
import { labelOf } from './shapes.js';

export interface PlacementView {
  /** What this viewer sees as the label of a placed indicator (a neutral text while it is looked up). */
  label: (indicatorId: string) => string;
}

export class PlacementLabels implements PlacementView {
  private readonly labels = new Map<string, string>();
  private readonly pending = new Set<string>();
  /** Bumped when an event drops a label: an answer to a lookup started before it is stale. */
  private readonly generation = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly onEvent = (_name: string, e: unknown) => {
    const events = (e as { events?: unknown[] } | undefined)?.events ?? [e];
    let dropped = false;
    for (const ev of events as { recordId?: unknown }[]) {
      const id = typeof ev?.recordId === 'string' ? ev.recordId : undefined;
      if (!id || !(this.labels.has(id) || this.pending.has(id))) continue;
      this.labels.delete(id);
      this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
      dropped = true;
    }
    if (dropped) this.changed();
  };

  constructor(private readonly workspaceId: string) {}

  label(indicatorId: string): string {
    const known = this.labels.get(indicatorId);
    if (known !== undefined) return known;
    void this.lookUp(indicatorId);
    return PLACED_INDICATOR_TEXT;
  }

  /** The label of an indicator this viewer just placed (it was read a moment ago). */
  prime(indicator: Pick<IndicatorView, 'id' | 'type' | 'value'>): void {
    this.labels.set(indicator.id, labelOf({ kind: 'indicator', id: indicator.id, type: indicator.type, value: indicator.value }));
  }

  /** Called when labels changed and the board should be redrawn; record events are heard while subscribed. */
  subscribe(fn: () => void): () => void {
    if (this.listeners.size === 0) getSocket().onAny(this.onEvent);
    this.listeners.add(fn);
    return () => {
      if (this.listeners.delete(fn) && this.listeners.size === 0) getSocket().offAny(this.onEvent);
    };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private async lookUp(id: string): Promise<void> {
    if (this.pending.has(id)) return;
    this.pending.add(id);
    const asked = this.generation.get(id) ?? 0;
    let label: string | undefined;
    try {
      const { indicator } = await get<{ indicator: IndicatorView }>(`/api/workspaces/${this.workspaceId}/indicators/${encodeURIComponent(id)}`);
      label = labelOf({ kind: 'indicator', id, type: indicator.type, value: indicator.value });
    } catch (err) {
      // 404 is "not there, or not for your team": either way, nothing of it is shown.
      if (err instanceof ApiError && err.status === 404) label = HIDDEN_ITEM_LABEL;
    } finally {
      this.pending.delete(id);
    }
    const stale = (this.generation.get(id) ?? 0) !== asked;
    if (label !== undefined && !stale) this.labels.set(id, label);
    // A stale answer is dropped; the redraw asks again.
    if (label !== undefined || stale) this.changed();
  }
}
