/**
 * SQL of the record plane: the per-workspace seq counter, the event log and the command log.
 * Portable SQL only (SQLite and PostgreSQL); rows are written in multi-row INSERTs so a 5,000-item
 * import batch costs a few statements, not thousands of round trips on PostgreSQL.
 */
import type { MarkedItem, Marking, RecordEvent, TlpLevel } from '@huntroom/shared';
import type { Db, SqlValue } from '../storage/db.js';
import type { Audience } from './visibility.js';

/** An event as written: seq assigned, actor by id; presented with names on the way out. */
export interface StoredEvent {
  workspaceId: string;
  seq: number;
  type: string;
  recordId: string;
  payload: unknown;
  actorId: string | null;
  teamId: string | null;
  at: string;
  audience: Audience;
}

interface EventRow {
  workspace_id: string;
  seq: number;
  type: string;
  record_id: string;
  payload: string;
  actor_id: string | null;
  team_id: string | null;
  at: string;
  tlp: TlpLevel;
  releasable_to: string;
  owner_team_id: string;
  parent_marking: string | null;
  unless_marking: string | null;
  username: string | null;
  display_name: string | null;
  team_code: string | null;
  team_color: string | null;
}

const EVENT_COLUMNS = 13;
// 13 columns x 400 rows stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT = 400;

const itemOf = (r: EventRow): MarkedItem => ({
  marking: { tlp: r.tlp, releasableTo: JSON.parse(r.releasable_to) as string[] },
  ownerTeamId: r.owner_team_id,
});
const parseMarked = (s: string | null): MarkedItem | undefined => (s ? (JSON.parse(s) as MarkedItem) : undefined);

/** A stored event with its actor's names, ready to send; `audience` stays on the server. */
export interface LoadedEvent {
  event: RecordEvent;
  audience: Audience;
}

const toLoaded = (r: EventRow): LoadedEvent => ({
  event: {
    workspaceId: r.workspace_id,
    seq: Number(r.seq),
    type: r.type,
    recordId: r.record_id,
    at: r.at,
    actor: {
      id: r.actor_id,
      username: r.username,
      displayName: r.display_name,
      team: { id: r.team_id, code: r.team_code, color: r.team_color },
    },
    payload: JSON.parse(r.payload) as unknown,
  },
  audience: { item: itemOf(r), parent: parseMarked(r.parent_marking), unless: parseMarked(r.unless_marking) },
});

const SELECT_EVENTS = `SELECT e.workspace_id, e.seq, e.type, e.record_id, e.payload, e.actor_id, e.team_id, e.at, e.tlp,
  e.releasable_to, e.owner_team_id, e.parent_marking, e.unless_marking, a.username, a.display_name,
  t.code AS team_code, t.color AS team_color
  FROM record_events e LEFT JOIN accounts a ON a.id = e.actor_id LEFT JOIN teams t ON t.id = e.team_id`;

export const recordStore = {
  /**
   * Reserves `count` consecutive seqs for the calling transaction and returns the last one. The
   * UPDATE takes the counter row's lock, so a concurrent writer waits for our commit.
   */
  async allocateSeq(tx: Db, workspaceId: string, count: number): Promise<number> {
    const { changes } = await tx.run('UPDATE workspace_seq SET seq = seq + ? WHERE workspace_id = ?', [count, workspaceId]);
    if (changes === 0) {
      await tx.run('INSERT INTO workspace_seq (workspace_id, seq) VALUES (?, 0) ON CONFLICT (workspace_id) DO NOTHING', [workspaceId]);
      await tx.run('UPDATE workspace_seq SET seq = seq + ? WHERE workspace_id = ?', [count, workspaceId]);
    }
    const row = await tx.get<{ seq: number }>('SELECT seq FROM workspace_seq WHERE workspace_id = ?', [workspaceId]);
    return Number(row!.seq);
  },

  async head(db: Db, workspaceId: string): Promise<number> {
    const row = await db.get<{ seq: number }>('SELECT seq FROM workspace_seq WHERE workspace_id = ?', [workspaceId]);
    return Number(row?.seq ?? 0);
  },

  async append(tx: Db, events: readonly StoredEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + ROWS_PER_INSERT);
      const params: SqlValue[] = [];
      for (const e of chunk) {
        const { item, parent, unless } = e.audience;
        params.push(e.workspaceId, e.seq, e.type, e.recordId, JSON.stringify(e.payload), e.actorId, e.teamId, e.at);
        params.push(item.marking.tlp, JSON.stringify(item.marking.releasableTo), item.ownerTeamId);
        params.push(parent ? JSON.stringify(parent) : null, unless ? JSON.stringify(unless) : null);
      }
      const row = `(${new Array(EVENT_COLUMNS).fill('?').join(', ')})`;
      await tx.run(
        `INSERT INTO record_events (workspace_id, seq, type, record_id, payload, actor_id, team_id, at, tlp, releasable_to,
          owner_team_id, parent_marking, unless_marking) VALUES ${chunk.map(() => row).join(', ')}`,
        params,
      );
    }
  },

  /** Events in (sinceSeq, untilSeq], oldest first, at most `limit` (visibility is filtered by the caller). */
  async since(db: Db, workspaceId: string, sinceSeq: number, untilSeq: number, limit: number): Promise<LoadedEvent[]> {
    const rows = await db.all<EventRow>(`${SELECT_EVENTS} WHERE e.workspace_id = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ?`, [workspaceId, sinceSeq, untilSeq, limit]);
    return rows.map(toLoaded);
  },

  /** A record's history: every event about it, oldest first. */
  async forRecord(db: Db, workspaceId: string, recordId: string): Promise<LoadedEvent[]> {
    const rows = await db.all<EventRow>(`${SELECT_EVENTS} WHERE e.workspace_id = ? AND e.record_id = ? ORDER BY e.seq`, [workspaceId, recordId]);
    return rows.map(toLoaded);
  },

  /**
   * A record's marking changed: its whole history now follows the new marking, so a narrowing hides
   * the past too (catch-up and history), and a widening releases it. Revoke events keep theirs.
   */
  /**
   * A comment's new marking on the event that announced it. Comment events share their indicator's
   * record id, so the one for this comment is found by the comment id in its payload.
   */
  async remarkComment(tx: Db, workspaceId: string, indicatorId: string, commentId: string, item: MarkedItem): Promise<void> {
    const rows = await tx.all<{ seq: number; payload: string }>(
      `SELECT seq, payload FROM record_events WHERE workspace_id = ? AND record_id = ? AND type = 'indicator:commented'`,
      [workspaceId, indicatorId],
    );
    const m: Marking = item.marking;
    for (const r of rows) {
      if ((JSON.parse(r.payload) as { comment?: { id?: string } }).comment?.id !== commentId) continue;
      await tx.run('UPDATE record_events SET tlp = ?, releasable_to = ?, owner_team_id = ? WHERE workspace_id = ? AND seq = ?', [
        m.tlp,
        JSON.stringify(m.releasableTo),
        item.ownerTeamId,
        workspaceId,
        r.seq,
      ]);
    }
  },

  async remark(tx: Db, workspaceId: string, recordId: string, item: MarkedItem): Promise<void> {
    const m: Marking = item.marking;
    await tx.run(
      `UPDATE record_events SET tlp = ?, releasable_to = ?, owner_team_id = ?
       WHERE workspace_id = ? AND record_id = ? AND parent_marking IS NULL AND unless_marking IS NULL`,
      [m.tlp, JSON.stringify(m.releasableTo), item.ownerTeamId, workspaceId, recordId],
    );
    await tx.run(`UPDATE record_events SET parent_marking = ? WHERE workspace_id = ? AND record_id = ? AND parent_marking IS NOT NULL AND unless_marking IS NULL`, [
      JSON.stringify(item),
      workspaceId,
      recordId,
    ]);
  },

  /** Claims a command id for this transaction; false when it was already done (or is being done). */
  async claimCommand(tx: Db, c: { workspaceId: string; accountId: string; commandId: string; type: string; at: string }): Promise<boolean> {
    const { changes } = await tx.run(
      `INSERT INTO command_log (workspace_id, account_id, command_id, type, ack, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, account_id, command_id) DO NOTHING`,
      [c.workspaceId, c.accountId, c.commandId, c.type, 'null', c.at],
    );
    return changes > 0;
  },

  async saveAck(tx: Db, workspaceId: string, accountId: string, commandId: string, ack: unknown): Promise<void> {
    await tx.run('UPDATE command_log SET ack = ? WHERE workspace_id = ? AND account_id = ? AND command_id = ?', [JSON.stringify(ack), workspaceId, accountId, commandId]);
  },

  async ackFor(db: Db, workspaceId: string, accountId: string, commandId: string): Promise<{ type: string; ack: unknown } | undefined> {
    const row = await db.get<{ type: string; ack: string }>('SELECT type, ack FROM command_log WHERE workspace_id = ? AND account_id = ? AND command_id = ?', [
      workspaceId,
      accountId,
      commandId,
    ]);
    return row && { type: row.type, ack: JSON.parse(row.ack) as unknown };
  },

  /** Team ids of the workspace's members: the candidate audiences of an emit. */
  async memberTeams(db: Db, workspaceId: string): Promise<string[]> {
    const rows = await db.all<{ team_id: string }>('SELECT DISTINCT a.team_id FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ?', [workspaceId]);
    return rows.map((r) => r.team_id);
  },
};
