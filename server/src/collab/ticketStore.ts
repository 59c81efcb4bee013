/**
 * Spent document tickets, in the database every node shares (SQLite alone, PostgreSQL in a cluster):
 * the first upgrade to present a ticket records its id and wins; any later one, on any node, finds it
 * and is refused. Rows are kept until the ticket would have expired anyway, then purged.
 */
import type { Db } from '../storage/db.js';
import type { SqliteDb } from '../storage/sqlite.js';

const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

const PURGE = 'DELETE FROM doc_tickets_used WHERE expires_at < ?';
const SPEND = 'INSERT INTO doc_tickets_used (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING';

function purgeDue(now: number): boolean {
  if (now - lastPurge <= PURGE_EVERY_MS) return false;
  lastPurge = now;
  return true;
}

/** True for the first use of the ticket `id`; false when it was spent before. */
export async function spendTicket(db: Db, id: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  if (purgeDue(now)) await db.run(PURGE, [new Date(now).toISOString()]);
  const { changes } = await db.run(SPEND, [id, new Date(expiresAt).toISOString()]);
  return changes === 1;
}

/** spendTicket without a turn of the event loop, for the upgrade's synchronous path (no transaction may be open: db.busy false). */
export function spendTicketNow(db: SqliteDb, id: string, expiresAt: number, now = Date.now()): boolean {
  if (purgeDue(now)) db.runSync(PURGE, [new Date(now).toISOString()]);
  return db.runSync(SPEND, [id, new Date(expiresAt).toISOString()]).changes === 1;
}
