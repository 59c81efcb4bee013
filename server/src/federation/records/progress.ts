/**
 * How far a baseline got over a link (baseline.ts), and what that means for live events: the border
 * (border.ts) does not send live an item the baseline has not reached yet. Kept apart from baseline.ts
 * so the border does not import the page writer that imports the border.
 *
 * Locks: the link's row, then the progress row (../linkLock.ts, "Lock order").
 */
import type { Db } from '../../storage/db.js';
import type { StoredEvent } from '../../records/store.js';
import { nowIso } from '../../util.js';
import { HUNT_TABLES } from './hunt.js';
import { lockLink } from '../linkLock.js';

/** The order a baseline goes in: parents first (findings and timeline events refer to indicators and hosts). */
export const KINDS = ['indicator', ...Object.keys(HUNT_TABLES)];
export const PHASES = ['begin', ...KINDS, 'end'];
export const TABLES: Record<string, string> = { indicator: 'indicators', ...Object.fromEntries(Object.entries(HUNT_TABLES).map(([k, t]) => [k, t.table])) };
/** Event kinds filed under another kind's item (a sample's events under its finding's id). */
const FILED_UNDER: Record<string, string> = { sample: 'finding' };

export interface Progress {
  link: string;
  workspace_id: string;
  phase: string;
  after_seq: number;
  after_id: string;
}

/**
 * Records that `link` is due the baseline of `workspaceId` (in the transaction that activates the share
 * or drops the outbox); the pump sends it. A baseline under way starts again from the beginning.
 */
export async function startBaseline(tx: Db, link: string, workspaceId: string): Promise<void> {
  await lockLink(tx, link);
  await tx.run('DELETE FROM federation_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  await tx.run("INSERT INTO federation_baselines (link, workspace_id, phase, after_seq, after_id, started_at) VALUES (?, ?, 'begin', 0, '', ?)", [link, workspaceId, nowIso()]);
}

/**
 * The progress row, with its lock taken first (PostgreSQL), after the link row's: a page and a live
 * writer never overlap, and neither deadlocks with a drop.
 */
export async function lockedProgress(tx: Db, link: string, workspaceId: string): Promise<Progress | undefined> {
  await lockLink(tx, link);
  const { changes } = await tx.run('UPDATE federation_baselines SET phase = phase WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  if (!changes) return undefined;
  const p = await tx.get<Progress>('SELECT link, workspace_id, phase, after_seq, after_id FROM federation_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]);
  return p && { ...p, after_seq: Number(p.after_seq) };
}

/** Whether the item (kind, created_seq, id) is at or before the cursor: its baseline copy is written. */
function passed(p: Progress, kind: string, createdSeq: number, id: string): boolean {
  const at = PHASES.indexOf(p.phase);
  const of = PHASES.indexOf(kind);
  if (of !== at) return of < at;
  return createdSeq < p.after_seq || (createdSeq === p.after_seq && id <= p.after_id);
}

/**
 * For the border, in a live event's transaction: the events for `link` without those about items a
 * baseline under way over it has not reached yet (their page will carry them as stored then). An item
 * no longer stored (a delete) goes: the replica ignores a delete of what it does not hold.
 */
export async function withoutUnsentItems<T extends Pick<StoredEvent, 'type' | 'recordId'>>(tx: Db, link: string, workspaceId: string, events: readonly T[]): Promise<T[]> {
  if (!(await tx.get('SELECT link FROM federation_baselines WHERE link = ? AND workspace_id = ?', [link, workspaceId]))) return [...events];
  const p = await lockedProgress(tx, link, workspaceId);
  if (!p) return [...events];
  const out: T[] = [];
  for (const e of events) {
    const eventKind = e.type.slice(0, e.type.indexOf(':'));
    const kind = FILED_UNDER[eventKind] ?? eventKind;
    const table = TABLES[kind];
    const row = table ? await tx.get<{ created_seq: number }>(`SELECT created_seq FROM ${table} WHERE workspace_id = ? AND id = ?`, [workspaceId, e.recordId]) : undefined;
    if (!row || passed(p, kind, Number(row.created_seq), e.recordId)) out.push(e);
  }
  return out;
}
