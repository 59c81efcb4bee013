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
 */

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

/** The receiver's messages received and not yet applied, on one session. */
export class ReceiveQueue {
  private messages = 0;
  private bytes = 0;

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

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
