/**
 * Optimistic record changes: a command issued offline (or not yet acknowledged) is shown applied at
 * once, with a "waiting" mark, instead of the row snapping back until the server answers. A
 * projection keeps the server's copy of each row apart (`base`) and shows base + the patches of its
 * pending commands, in issue order. A live event replaces the base and the patches stay on top; an
 * accepted command folds its patch into the base (its event may come a moment later); a refused one
 * is dropped, which shows the server's row again. Only field updates are optimistic (`<kind>:update`
 * with an id, `<kind>:bulkUpdate` with ids): creates and deletes wait for the server.
 */
import type { Command } from '@huntroom/shared';

export interface PendingPatch {
  ids: string[];
  patch: Record<string, unknown>;
}

/** The fields a command would set on which records, or undefined when it is not a field update. */
export function patchOf(cmd: Pick<Command, 'type' | 'payload'>, kind: string, fields: readonly string[]): PendingPatch | undefined {
  const p = cmd.payload as Record<string, unknown>;
  const ids =
    cmd.type === `${kind}:update` && typeof p.id === 'string'
      ? [p.id]
      : cmd.type === `${kind}:bulkUpdate` && Array.isArray(p.ids)
        ? p.ids.filter((id): id is string => typeof id === 'string')
        : [];
  if (ids.length === 0) return undefined;
  const patch = Object.fromEntries(fields.filter((f) => p[f] !== undefined).map((f) => [f, p[f]]));
  return Object.keys(patch).length ? { ids, patch } : undefined;
}

/** Rows as the server last sent them, and the pending patches shown over them. */
export class PendingPatches<Row extends { id: string }> {
  private readonly byCommand = new Map<string, PendingPatch>();
  private readonly base = new Map<string, Row>();

  /** Whether a row shows a change the server has not acknowledged yet. */
  isWaiting(id: string): boolean {
    for (const p of this.byCommand.values()) if (p.ids.includes(id)) return true;
    return false;
  }

  /** The row to show for a server row: itself, or itself with the pending patches on top. */
  show(row: Row): Row {
    if (!this.isWaiting(row.id)) {
      this.base.delete(row.id);
      return row;
    }
    this.base.set(row.id, row);
    let out = row;
    for (const p of this.byCommand.values()) if (p.ids.includes(row.id)) out = { ...out, ...p.patch };
    return out;
  }

  /** Adds a command's patch; `current` gives the server row of an id (the shown one, before any patch). */
  add(commandId: string, patch: PendingPatch, current: (id: string) => Row | undefined): string[] {
    for (const id of patch.ids)
      if (!this.base.has(id) && !this.isWaiting(id)) {
        const row = current(id);
        if (row) this.base.set(id, row);
      }
    this.byCommand.set(commandId, patch);
    return patch.ids.filter((id) => this.base.has(id));
  }

  /**
   * The command's final answer: accepted, its patch becomes part of the base until the server's event
   * replaces it; refused, it is dropped. Returns the ids to show again (through `show`).
   */
  settle(commandId: string, ok: boolean): Row[] {
    const p = this.byCommand.get(commandId);
    if (!p) return [];
    this.byCommand.delete(commandId);
    const out: Row[] = [];
    for (const id of p.ids) {
      const base = this.base.get(id);
      if (!base) continue;
      const next = ok ? { ...base, ...p.patch } : base;
      this.base.set(id, next);
      out.push(next);
    }
    return out;
  }

  /** The server's copy of a row that shows patches (for a projection's own comparisons). */
  baseOf(id: string): Row | undefined {
    return this.base.get(id);
  }
}
