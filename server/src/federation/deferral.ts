/**
 * "Not now" on a link's ordered channel (docs/federation.md section 4, "Deferred messages"). A handler
 * that cannot take a message yet (its sender is over a rate or a CPU budget: documents/limits.ts)
 * throws FederationDeferral instead of a FederationRefusal. The message is then not counted as applied
 * and not acknowledged: the receiver holds the link's ordered stream, waits `retryAfterMs` and applies
 * the same message again (no other message of that link overtakes it). An honest peer's replay after an
 * outage so arrives whole, only later; a flooding peer slows only its own link.
 *
 * Bounds, for the receiver's sake:
 * - one message is deferred for at most MAX_DEFER_MS in all; then it is refused as before (a message
 *   that can never pass must not wedge its link for good);
 * - the sender keeps at most SEND_WINDOW messages / bytes unacknowledged on the wire (it waits for
 *   acks), so an honest peer's backlog waits in its outbox, not in the receiver's memory; a peer that
 *   ignores the window and has more than RECEIVE_LIMIT waiting here is disconnected (it resumes from
 *   what was applied).
 *
 * The channel (channel.ts) queues each message it receives in a ReceiveQueue and checks its SendWindow
 * before it sends; the inbox (inbox.ts) tries to apply each message through DeferredMessages.
 */
import type { Logger } from '../log.js';

/** A message its receiver will take later: the channel retries it after `retryAfterMs`. */
export class FederationDeferral extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** How long one message may be deferred in all before it is refused after all. */
export const MAX_DEFER_MS = 10 * 60_000;

/** What a sender may have sent and not seen acknowledged. */
export const SEND_WINDOW = { messages: 1_000, bytes: 16 * 1024 * 1024 };
/** What a receiver holds, received and not yet applied, before it drops the session. */
export const RECEIVE_LIMIT = { messages: 4 * SEND_WINDOW.messages, bytes: 4 * SEND_WINDOW.bytes };

/** The sender's unacknowledged messages on one session. */
export class SendWindow {
  private readonly inflight: { seq: number; bytes: number }[] = [];
  private bytes = 0;

  sent(seq: number, bytes: number): void {
    this.inflight.push({ seq, bytes });
    this.bytes += bytes;
  }

  acked(seq: number): void {
    while (this.inflight.length && this.inflight[0]!.seq <= seq) this.bytes -= this.inflight.shift()!.bytes;
  }

  /** Whether the next message must wait for acks (one message is always let through). */
  full(): boolean {
    return this.inflight.length >= SEND_WINDOW.messages || (this.inflight.length > 0 && this.bytes >= SEND_WINDOW.bytes);
  }
}

/** The receiver's messages received and not yet applied, on one session: applied one at a time, in order. */
export class ReceiveQueue {
  private messages = 0;
  private bytes = 0;
  private applying: Promise<void> = Promise.resolve();

  /**
   * Queues `apply` behind the messages received before it; false, and nothing queued, when the peer has
   * sent more than RECEIVE_LIMIT ahead of what was applied (the caller drops the session).
   */
  push(bytes: number, apply: () => Promise<void>): boolean {
    if (!this.add(bytes)) return false;
    this.applying = this.applying.then(apply).finally(() => this.done(bytes));
    return true;
  }

  /** Counts a message in; false when the peer has sent more than RECEIVE_LIMIT ahead. */
  add(bytes: number): boolean {
    this.messages++;
    this.bytes += bytes;
    return this.messages <= RECEIVE_LIMIT.messages && this.bytes <= RECEIVE_LIMIT.bytes;
  }

  done(bytes: number): void {
    this.messages--;
    this.bytes -= bytes;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Which message a deferral held, for the log. */
interface HeldMessage {
  link: string;
  seq: number;
  type: string;
}

/**
 * The receiver's retry of deferred messages, for every link of one bus. A session applies its messages
 * one at a time (ReceiveQueue), so while one waits here the rest of its link's stream waits behind it.
 */
export class DeferredMessages {
  /** Deferrals per link since start (for the operator's log and tests). */
  readonly counts = new Map<string, number>();
  /** Sessions that ended while a message waited: what they still had queued is left to the next one's resume. */
  private readonly stalledSessions = new WeakSet<object>();

  constructor(private readonly log: Logger) {}

  /** Whether `session` ended while one of its messages was held: every later message would be a gap. */
  stalled(session: object): boolean {
    return this.stalledSessions.has(session);
  }

  /**
   * Runs `attempt` (one try to apply `message`) and answers its result. A FederationDeferral records
   * nothing: after the delay it names the same message is tried again, as long as `session` is still its
   * link's (`current`); if not, answers undefined and marks the session stalled (the peer's resume sends
   * the message again). Once the message has been deferred for MAX_DEFER_MS the deferral is thrown, for
   * the caller to refuse the message as any other (it must not wedge its link for good). Anything else
   * `attempt` throws is thrown at once.
   */
  async retry<T>(session: object, message: HeldMessage, attempt: () => Promise<T>, current: () => boolean): Promise<T | undefined> {
    let since: number | undefined;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof FederationDeferral)) throw err;
        since ??= Date.now();
        if (Date.now() - since >= MAX_DEFER_MS) throw err;
        this.log.debug({ ...message, reason: err.message, retryAfterMs: err.retryAfterMs }, 'federation: deferred a message');
        this.counts.set(message.link, (this.counts.get(message.link) ?? 0) + 1);
        await sleep(err.retryAfterMs);
        if (!current()) {
          this.stalledSessions.add(session);
          return undefined;
        }
      }
    }
  }
}
