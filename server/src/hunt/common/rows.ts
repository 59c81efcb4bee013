/**
 * What every hunt row has: its marking columns (as indicators: tlp, releasable_to as a JSON array of
 * team ids, owner_team_id) and who made it when. Shared SQL for the four tables: rows are read and
 * written whole, by column list, so each kind's store is only its columns and its own queries.
 */
import type { HuntItemBase, MarkedItem, Marking } from '@huntroom/shared';
import type { Db, SqlValue } from '../../storage/db.js';
import type { CommandContext } from '../../records/command.js';
import { markedItem } from '../../indicators/store.js';
import type { TeamIndex } from '../../indicators/present.js';
import { newId } from '../../util.js';

export interface MarkedRow {
  id: string;
  workspace_id: string;
  tlp: Marking['tlp'];
  releasable_to: string;
  owner_team_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  created_seq: number;
  updated_seq: number;
}

export const BASE_COLUMNS = ['id', 'workspace_id', 'tlp', 'releasable_to', 'owner_team_id', 'created_by', 'created_at', 'updated_at', 'created_seq', 'updated_seq'] as const;

export { markedItem };
export const itemOf = (r: MarkedRow): MarkedItem => markedItem(r);

/** A new row's base: the writer's team owns it, with the marking already normalized. */
export function newBase(c: Pick<CommandContext, 'workspace' | 'account' | 'at'>, marking: Marking): MarkedRow {
  return {
    id: newId(),
    workspace_id: c.workspace.id,
    tlp: marking.tlp,
    releasable_to: JSON.stringify(marking.releasableTo),
    owner_team_id: c.account.team.id,
    created_by: c.account.id,
    created_at: c.at,
    updated_at: c.at,
    created_seq: 0,
    updated_seq: 0,
  };
}

export const presentBase = (r: MarkedRow, teams: TeamIndex): HuntItemBase => ({
  id: r.id,
  workspaceId: r.workspace_id,
  tlp: r.tlp,
  releasableTo: teams.codes(JSON.parse(r.releasable_to) as string[]),
  ownerTeam: teams.ref(r.owner_team_id),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedSeq: Number(r.updated_seq),
});

export const json = (v: unknown): string => JSON.stringify(v);
export const list = (s: string): string[] => JSON.parse(s) as string[];

// Keeps each multi-row INSERT under SQLite's bound-parameter limit (PostgreSQL allows more).
const MAX_PARAMS = 8_000;

/** SQL of one hunt table, by its column list. */
export function tableStore<R extends MarkedRow>(table: string, columnKeys: readonly (keyof R)[]) {
  const columns = columnKeys as readonly (keyof R & string)[];
  const mutable = columns.filter((c) => !['id', 'workspace_id', 'created_by', 'created_at', 'created_seq'].includes(c));
  return {
    async insertMany(tx: Db, rows: readonly R[]): Promise<void> {
      const per = Math.floor(MAX_PARAMS / columns.length);
      const row = `(${columns.map(() => '?').join(', ')})`;
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        await tx.run(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`,
          chunk.flatMap((r) => columns.map((c) => r[c] as SqlValue)),
        );
      }
    },
    /** Writes every column but the immutable ones back. */
    async save(tx: Db, r: R): Promise<void> {
      await tx.run(`UPDATE ${table} SET ${mutable.map((c) => `${c} = ?`).join(', ')} WHERE workspace_id = ? AND id = ?`, [
        ...mutable.map((c) => r[c] as SqlValue),
        r.workspace_id,
        r.id,
      ]);
    },
    get: (db: Db, workspaceId: string, id: string) => db.get<R>(`SELECT * FROM ${table} WHERE workspace_id = ? AND id = ?`, [workspaceId, id]),
    async manyById(db: Db, workspaceId: string, ids: readonly string[]): Promise<R[]> {
      const out: R[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        if (chunk.length) out.push(...(await db.all<R>(`SELECT * FROM ${table} WHERE workspace_id = ? AND id IN (${chunk.map(() => '?').join(', ')})`, [workspaceId, ...chunk])));
      }
      return out;
    },
    /** Rows matching equality filters (column -> value; undefined skipped), newest first. */
    async where(db: Db, workspaceId: string, filters: Record<string, SqlValue | undefined>, order = 'created_seq DESC'): Promise<R[]> {
      const where = ['workspace_id = ?'];
      const params: SqlValue[] = [workspaceId];
      for (const [column, value] of Object.entries(filters)) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      return db.all<R>(`SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${order}`, params);
    },
    async delete(tx: Db, workspaceId: string, id: string): Promise<void> {
      await tx.run(`DELETE FROM ${table} WHERE workspace_id = ? AND id = ?`, [workspaceId, id]);
    },
  };
}

/** The columns whose values differ between two copies of a row (bookkeeping columns left out). */
export function changedColumns<R extends MarkedRow>(before: R, next: R): string[] {
  const skip = new Set(['updated_at', 'updated_seq']);
  return Object.keys(next).filter((k) => !skip.has(k) && String(before[k as keyof R]) !== String(next[k as keyof R]));
}
