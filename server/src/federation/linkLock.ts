/**
 * **Lock order** of a link's rows on PostgreSQL (SQLite runs one writing transaction at a time, so it
 * has no order to keep). Every transaction that touches a baseline's progress row of a link (records:
 * `federation_baselines`, records/progress.ts; documents: `federation_doc_baselines`,
 * documents/progress.ts) takes that link's row in `federation_links` first (`lockLink`), then the
 * progress row. Several links: their rows in name order, each link's progress rows only after its row.
 * Workspace rows (a live writer's seq, a withdrawal's sweep) come before all of them.
 *
 * Why the link row first: every writer of the link's outbox locks it anyway (to number its message), and
 * a drop of the outbox past its retention limit (retention.ts) takes it first, to freeze the outbox while
 * it deletes and resets the progress rows. Pages and live writers once took the progress row first and
 * the link row when they wrote their message: against a drop, each held what the other waited for, and
 * PostgreSQL aborted one of them as a deadlock (a user's write answered 500; seen in
 * federation-baseline-cluster.test.ts).
 *
 * Documents also take every link row of a workspace, in name order, before reading a document's marking
 * (documents/progress.ts `lockSharingLinks`): the live writer's tap and a re-mark, so that an update
 * that read the old marking is in the state a widening sends (docs/federation.md section 5).
 */
import type { Db } from '../storage/db.js';

/** Locks `link`'s row in `tx` to the end of the transaction (a no-op update), before its progress rows. */
export async function lockLink(tx: Db, link: string): Promise<void> {
  await tx.run('UPDATE federation_links SET out_seq = out_seq WHERE name = ?', [link]);
}
