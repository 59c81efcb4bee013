/**
 * The receiving side of a link's messages (channel.ts, "Messages"). Each message is applied exactly
 * once: skipped if at or below the link's `applied_seq`, else its handler and the new `applied_seq` in
 * one transaction. A handler that throws refuses that one message: the refusal is logged and audited,
 * the message counts as applied (a hostile peer cannot wedge the link by resending it), and the link
 * stays up. A handler that throws FederationDeferral ("not now") has the message applied again after the
 * delay it names, the link's stream held meanwhile (deferral.ts).
 */
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import { auditStore } from '../audit/store.js';
import { LINK_CLOSE } from './protocol.js';
import type { Link } from './store.js';
import { DROPPED_MESSAGE, droppedBody } from './retention.js';
import { DeferredMessages, FederationDeferral } from './deferral.js';

/**
 * Applies one message from `link` inside `tx`; throws a FederationRefusal (or anything) to refuse it.
 * May return what to do once that transaction committed (relay to local sockets, say).
 */
export type MessageHandler = (tx: Db, link: Link, body: unknown, prepared?: unknown) => Promise<void | (() => void)>;
/**
 * Work a message needs before its transaction, outside it: slow checks (a large document update's
 * trial in the worker pool) must not hold the node's database writes while they run. Its result is
 * passed to the handler; a FederationRefusal refuses the message as the handler's would.
 */
export type MessagePreparer = (link: Link, body: unknown) => Promise<unknown>;

/** A message or request the receiving side refuses, with the sentence the peer and the audit see. */
export class FederationRefusal extends Error {}

class GapError extends Error {}

/** What the inbox needs of the session a message came on (one object per session). */
export interface InboxSession {
  readonly link: Link;
  /** Tells the peer every message up to `seq` is applied. */
  ack(seq: number): void;
  /** Ends the session: the peer resumes from what was applied. */
  close(code: number, reason: string): void;
  /** Whether the session is still its link's, and open. */
  current(): boolean;
}

export async function appliedSeq(db: Db, linkName: string): Promise<number> {
  const r = await db.get<{ applied_seq: number }>('SELECT applied_seq FROM federation_links WHERE name = ?', [linkName]);
  return Number(r?.applied_seq ?? 0);
}

export class Inbox {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly preparers = new Map<string, MessagePreparer>();
  /** Messages a handler deferred, held and applied again. */
  private readonly held: DeferredMessages;

  constructor(
    private readonly deps: { db: Db; log: Logger },
    /** Runs what a handler left for after its commit; a throw is logged, never the message's refusal. */
    private readonly safely: (fn: () => void) => void,
  ) {
    this.held = new DeferredMessages(deps.log);
  }

  onMessage(type: string, handler: MessageHandler, prepare?: MessagePreparer): void {
    this.handlers.set(type, handler);
    if (prepare) this.preparers.set(type, prepare);
  }

  /** Deferrals per link since start (for the operator's log and tests). */
  get deferrals(): ReadonlyMap<string, number> {
    return this.held.counts;
  }

  /**
   * Applies one message exactly once (applyOnce), held and tried again while its handler defers it; a
   * message refused, or deferred for too long, is recorded as refused. The session's messages must come
   * one at a time, in order (ReceiveQueue).
   */
  async apply(session: InboxSession, seq: number, type: string, body: unknown): Promise<void> {
    const link = session.link;
    // Behind a message left unapplied: every later one would be a gap (the next session resends them).
    if (this.held.stalled(session)) return;
    try {
      const acked = await this.held.retry(
        session,
        { link: link.name, seq, type },
        () => this.applyOnce(link, seq, type, body),
        () => session.current(),
      );
      if (acked !== undefined) session.ack(acked);
    } catch (err) {
      if (err instanceof GapError) {
        this.deps.log.warn({ link: link.name, err: err.message }, 'federation: gap, resuming');
        session.close(LINK_CLOSE.protocol, err.message);
        return;
      }
      // Refused: counted as applied so it is not sent again, audited so the operator sees it.
      const reason = err instanceof FederationRefusal || err instanceof FederationDeferral ? err.message : `could not apply: ${(err as Error).message}`;
      this.deps.log.warn({ link: link.name, seq, type, reason }, 'federation: refused a message');
      try {
        await this.deps.db.transaction(async (tx) => {
          if (seq <= (await appliedSeq(tx, link.name))) return;
          await tx.run('UPDATE federation_links SET applied_seq = ? WHERE name = ?', [seq, link.name]);
          await auditStore.write(tx, { workspaceId: null, actorId: null, teamId: null, action: 'federation.refused', detail: { link: link.name, seq, type, reason } });
        });
        session.ack(seq);
      } catch (e) {
        this.deps.log.error({ err: e, link: link.name }, 'federation: cannot record a refusal');
        session.close(LINK_CLOSE.goingAway, 'cannot record link state');
      }
    }
  }

  /**
   * One try to apply a message: skipped if at or below applied_seq, else handler + applied_seq in one
   * transaction. Answers the seq to acknowledge; throws what the handler (or preparer) threw.
   */
  private async applyOnce(link: Link, seq: number, type: string, body: unknown): Promise<number> {
    let acked = seq;
    // Messages of a link are applied one at a time, so what is prepared here still meets the state
    // its transaction will see. Only the next message in order is prepared: one already applied is
    // skipped by the transaction, and one past a gap must reach the transaction's gap check (a
    // preparer's refusal would otherwise count it as applied and skip the messages before it).
    const prepare = this.preparers.get(type);
    const prepared = prepare && seq === (await appliedSeq(this.deps.db, link.name)) + 1 ? await prepare(link, body) : undefined;
    const outcome = await this.deps.db.transaction(async (tx): Promise<'seen' | (() => void)> => {
      const applied = await appliedSeq(tx, link.name);
      if (seq <= applied) return 'seen';
      if (seq !== applied + 1) throw new GapError(`expected message ${applied + 1} from ${link.name}, got ${seq}`);
      if (type === DROPPED_MESSAGE) {
        // The sender dropped seq..through past its retention limit (a fresh baseline follows them).
        const d = droppedBody.safeParse(body);
        if (!d.success || d.data.through < seq) throw new FederationRefusal(`${DROPPED_MESSAGE}: through must be a seq at or after ${seq}`);
        await tx.run('UPDATE federation_links SET applied_seq = ? WHERE name = ?', [d.data.through, link.name]);
        await auditStore.write(tx, {
          workspaceId: null,
          actorId: null,
          teamId: null,
          action: 'federation.outbox.skipped',
          detail: { link: link.name, from: seq, through: d.data.through },
        });
        acked = d.data.through;
        return () => undefined;
      }
      const handler = this.handlers.get(type);
      if (!handler) throw new FederationRefusal(`unknown message type ${type}`);
      const afterCommit = await handler(tx, link, body, prepared);
      await tx.run('UPDATE federation_links SET applied_seq = ? WHERE name = ?', [seq, link.name]);
      return afterCommit ?? (() => undefined);
    });
    if (outcome !== 'seen') this.safely(outcome);
    return acked;
  }
}
