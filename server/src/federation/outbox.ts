/**
 * A link's outbox (channel.ts, "Messages"): the table `federation_outbox` holds every message written
 * for the peer and not yet acknowledged, in `linkSeq` order. `writeToOutbox` adds one in the caller's
 * transaction; `drainOutbox` sends one session what its peer has not seen, in order, while the session
 * stays its link's; `trimOutbox` deletes what the peer acknowledged. Seqs missing from the outbox were
 * dropped past the retention limit (retention.ts): the drain sends an `outbox.dropped {through}`
 * message in their place, and the peer counts them as applied.
 *
 * Kept apart from channel.ts, which owns the sessions (when to drain, one drain at a time per session).
 */
import { WebSocket } from 'ws';
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';
import { MAX_FRAME_BYTES } from './protocol.js';
import type { Link } from './store.js';
import { DROPPED_MESSAGE } from './retention.js';
import type { SendWindow } from './deferral.js';

/** What the drain reads and moves forward of one session (channel.ts keeps the session). */
export interface DrainSession {
  readonly link: Link;
  readonly ws: WebSocket;
  /** Highest seq sent to the peer on this session; undefined until the peer's `resume` arrives. */
  sent: number | undefined;
  /** Sent and not acknowledged: the drain waits while it is full. */
  readonly window: SendWindow;
}

interface OutboxRow {
  seq: number;
  type: string;
  body: string;
}

/**
 * Sends `session` the outbox's messages after `session.sent`, `batch` rows a read, until none are
 * left or the session ends or stops being its link's (`current`).
 */
export async function drainOutbox(db: Db, batch: number, session: DrainSession, current: () => boolean): Promise<void> {
  const { link, ws, window } = session;
  while (current() && session.sent !== undefined && ws.readyState === WebSocket.OPEN) {
    // Back-pressure: a slow peer must not make this node buffer its whole outbox in memory.
    // Flow control: a receiver that defers (deferral.ts) holds the rest in our outbox, not its memory.
    if (ws.bufferedAmount > 4 * MAX_FRAME_BYTES || window.full()) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const rows = await db.all<OutboxRow>('SELECT seq, type, body FROM federation_outbox WHERE link = ? AND seq > ? ORDER BY seq LIMIT ?', [link.name, session.sent, batch]);
    if (!rows.length || !current()) return;
    for (const r of rows) {
      if (window.full()) break;
      const seq = Number(r.seq);
      // Seqs missing here were dropped past the retention limit: the peer counts them as applied.
      if (seq > session.sent + 1 && ws.readyState === WebSocket.OPEN) ws.send(messageFrame(session.sent + 1, DROPPED_MESSAGE, JSON.stringify({ through: seq - 1 })));
      ws.send(messageFrame(seq, r.type, r.body));
      window.sent(seq, r.body.length);
      session.sent = seq;
    }
  }
}

/** A message frame (`{t: 'm', ...}`, channel.ts); the body is JSON text, spliced in rather than parsed and encoded again. */
function messageFrame(seq: number, type: string, body: string): string {
  return `{"t":"m","seq":${seq},"type":${JSON.stringify(type)},"body":${body}}`;
}

/** Deletes the messages of `linkName` up to `through`: the peer applied them. */
export async function trimOutbox(db: Db, linkName: string, through: number): Promise<void> {
  await db.run('DELETE FROM federation_outbox WHERE link = ? AND seq <= ?', [linkName, through]);
}

/**
 * The outbox write behind the bus's `enqueue`, for code that runs without a bus (the operator's CLI
 * process): the running server's outbox poll sends what it wrote.
 */
export async function writeToOutbox(tx: Db, linkName: string, type: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  if (text.length > MAX_FRAME_BYTES - 1024) throw new Error(`federation message ${type} too large (${text.length} bytes)`);
  // The row lock (PostgreSQL) or the single writer (SQLite) makes seqs follow commit order.
  const { changes } = await tx.run('UPDATE federation_links SET out_seq = out_seq + 1 WHERE name = ?', [linkName]);
  if (changes === 0) throw new Error(`no federation link ${linkName}`);
  const row = (await tx.get<{ out_seq: number }>('SELECT out_seq FROM federation_links WHERE name = ?', [linkName]))!;
  const seq = Number(row.out_seq);
  await tx.run('INSERT INTO federation_outbox (link, seq, type, body, at) VALUES (?, ?, ?, ?, ?)', [linkName, seq, type, text, nowIso()]);
  return seq;
}
