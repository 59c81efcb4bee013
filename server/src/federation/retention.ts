/**
 * Retention of a link's outbox (docs/federation.md section 4, "Retention"): unacknowledged messages are
 * kept while the peer is away, up to a limit (messages, bytes or age of the oldest, counted since the
 * last drop). Past it the messages of the types registered with `dropOnRetention` (the bulk: record
 * events, document updates) are deleted and the `onOutboxDropped` listeners, in that transaction, write
 * what stands for them (a fresh baseline of every active share). The peer is told which seqs are gone by
 * an `outbox.dropped {through}` message the channel sends in the gap's place (outbox.ts `drainOutbox`).
 *
 * Kept apart from channel.ts, which owns the sessions; the bus (FederationBus) holds one of these and
 * passes its registrations through.
 */
import * as z from 'zod';
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import { auditStore } from '../audit/store.js';

/** The message standing for a run of seqs the sender dropped: the receiver counts them as applied. */
export const DROPPED_MESSAGE = 'outbox.dropped';
export const droppedBody = z.object({ through: z.number().int().min(1) });

/** Runs in the transaction that dropped a link's outbox; writes what stands for the dropped messages. */
export type DropListener = (tx: Db, linkName: string) => Promise<void>;
/** Whether a droppable message must stay after all, from the first 200 characters of its JSON body. */
export type KeepTest = (tx: Db, bodyHead: string) => Promise<boolean>;

export interface RetentionLimits {
  retainMessages: number;
  retainBytes: number;
  retainMs: number;
}

export class OutboxRetention {
  private readonly droppable = new Map<string, KeepTest | undefined>();
  private readonly dropListeners: DropListener[] = [];

  constructor(
    private readonly deps: { db: Db; log: Logger },
    private readonly limits: RetentionLimits,
    /** Called after a drop committed: the link's session sends the gap's `outbox.dropped` and what follows. */
    private readonly dropped: (linkName: string) => void,
  ) {}

  /** Messages of `type` may be dropped past the retention limit (unless `keep` says this one stays). */
  dropOnRetention(type: string, keep?: KeepTest): void {
    this.droppable.set(type, keep);
  }

  onOutboxDropped(fn: DropListener): void {
    this.dropListeners.push(fn);
  }

  /** Measures every link's outbox against the retention limits and drops those past them. */
  async checkRetention(): Promise<string[]> {
    const dropped: string[] = [];
    try {
      const links = await this.deps.db.all<{ name: string; retained_from: number }>('SELECT name, retained_from FROM federation_links ORDER BY name');
      for (const l of links) {
        if (!(await this.over(this.deps.db, l.name, Number(l.retained_from)))) continue;
        if (await this.dropOutbox(l.name)) dropped.push(l.name);
      }
    } catch (err) {
      this.deps.log.error({ err }, 'federation: outbox retention check failed');
    }
    return dropped;
  }

  /** Which limit the messages written to `linkName`'s outbox after `retainedFrom` and not acknowledged pass, or null. */
  private async over(db: Db, linkName: string, retainedFrom: number): Promise<string | null> {
    const s = await db.get<{ n: number; bytes: number; oldest: string | null }>(
      'SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(body)), 0) AS bytes, MIN(at) AS oldest FROM federation_outbox WHERE link = ? AND seq > ?',
      [linkName, retainedFrom],
    );
    const n = Number(s?.n ?? 0);
    const bytes = Number(s?.bytes ?? 0);
    const age = s?.oldest ? Date.now() - Date.parse(s.oldest) : 0;
    const o = this.limits;
    return n > o.retainMessages ? `${n} messages` : bytes > o.retainBytes ? `${bytes} bytes` : age > o.retainMs ? `a message ${Math.round(age / 1000)} s old` : null;
  }

  /**
   * Deletes the droppable messages not yet acknowledged by `linkName`'s peer and lets the drop listeners
   * write what stands for them, in one transaction; what is written from then on counts afresh. Returns
   * whether it dropped: measured again under the link row's lock, the outbox may be within its limits
   * by then (in a cluster every node measures every link, and another node's drop may just have
   * committed; dropping again would only restart the baselines it started).
   */
  private async dropOutbox(linkName: string): Promise<boolean> {
    const types = [...this.droppable.keys()];
    const done = await this.deps.db.transaction(async (tx) => {
      // The link row's lock first: writers of this link's outbox wait (PostgreSQL; SQLite has one writer).
      // The drop listeners then reset the baselines' progress rows, which live writers and pages also
      // lock only after the link row (linkLock.ts, "Lock order"), so none of them deadlocks.
      await tx.run('UPDATE federation_links SET retained_from = retained_from WHERE name = ?', [linkName]);
      const link = await tx.get<{ retained_from: number }>('SELECT retained_from FROM federation_links WHERE name = ?', [linkName]);
      const why = link && (await this.over(tx, linkName, Number(link.retained_from)));
      if (!why) return null;
      const rows = !types.length
        ? []
        : await tx.all<{ seq: number; type: string; head: string; size: number }>(
            `SELECT seq, type, SUBSTR(body, 1, 200) AS head, LENGTH(body) AS size FROM federation_outbox WHERE link = ? AND type IN (${types.map(() => '?').join(', ')}) ORDER BY seq`,
            [linkName, ...types],
          );
      const gone: number[] = [];
      let size = 0;
      for (const r of rows) {
        const keep = this.droppable.get(r.type);
        if (keep && (await keep(tx, r.head))) continue;
        gone.push(Number(r.seq));
        size += Number(r.size);
      }
      for (let i = 0; i < gone.length; i += 500) {
        const chunk = gone.slice(i, i + 500);
        await tx.run(`DELETE FROM federation_outbox WHERE link = ? AND seq IN (${chunk.map(() => '?').join(', ')})`, [linkName, ...chunk]);
      }
      for (const fn of this.dropListeners) await fn(tx, linkName);
      await tx.run('UPDATE federation_links SET retained_from = out_seq WHERE name = ?', [linkName]);
      await auditStore.write(tx, {
        workspaceId: null,
        actorId: null,
        teamId: null,
        action: 'federation.outbox.dropped',
        detail: { link: linkName, why, messages: gone.length, bytes: size },
      });
      return { why, count: gone.length, bytes: size };
    });
    if (!done) return false;
    this.deps.log.warn(
      { link: linkName, why: done.why, messages: done.count, bytes: done.bytes },
      'federation: outbox past its retention limit dropped; the peer gets a fresh baseline',
    );
    this.dropped(linkName);
    return true;
  }
}
