/**
 * Spent document tickets, in the database every node shares (SQLite alone, PostgreSQL in a cluster):
 * the first upgrade to present a ticket records its id and wins; any later one, on any node, finds it
 * and is refused. Rows are kept until the ticket would have expired anyway, then purged.
 */
import type { Db } from '../storage/db.js';

const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

/** True for the first use of the ticket `id`; false when it was spent before. */
export async function spendTicket(db: Db, id: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  if (now - lastPurge > PURGE_EVERY_MS) {
    lastPurge = now;
    await db.run('DELETE FROM doc_tickets_used WHERE expires_at < ?', [new Date(now).toISOString()]);
  }
  const { changes } = await db.run('INSERT INTO doc_tickets_used (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [id, new Date(expiresAt).toISOString()]);
  return changes === 1;
}
