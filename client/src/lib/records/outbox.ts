/**
 * The client's outbox of record-plane commands (DESIGN.md section 3, "offline"). A command is kept
 * (persisted through an OutboxStore) from the moment it is issued until the server has acked it, and
 * sent again, with the same id, after a dropped connection: the server answers a retried id with
 * its first ack, so nothing is created twice. Commands go one at a time in the order they were
 * issued, so an update never overtakes the create it refers to. Pure logic: the transport and the
 * store are passed in, which keeps it testable without a browser or a socket.
 */
import type { Command, CommandAck } from '@huntroom/shared';

/** Where queued commands survive a reload (IndexedDB in the browser, memory in tests). */
export interface OutboxStore {
  load: () => Promise<QueuedCommand[]>;
  put: (c: QueuedCommand) => Promise<void>;
  delete: (id: string) => Promise<void>;
}

export interface QueuedCommand extends Command {
  /** Issue order across reloads. */
  queuedAt: number;
}

/** Sends one command and resolves with its ack; rejects when the connection is gone or timed out. */
export type Transport = (c: Command) => Promise<CommandAck>;

/** Acks that mean "try again later"; every other ack is final. */
const RETRYABLE = new Set(['internal', 'unavailable', 'rate_limited']);
/**
 * Of those, the ones retried on a timer while still connected: the server is up but cannot do it yet
 * (the item's home instance is unreachable over its federation link, or a rate limit). An `internal`
 * error waits for the next reconnect instead of being hammered.
 */
const RETRY_ON_TIMER = new Set(['unavailable', 'rate_limited']);

export interface OutboxOptions {
  /** First wait before resending a command the server could not do yet; doubles up to `retryMaxMs`. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export class Outbox {
  private queue: QueuedCommand[] = [];
  private waiters = new Map<string, (ack: CommandAck) => void>();
  private listeners = new Set<(pending: number) => void>();
  private settledListeners = new Set<(id: string, ack: CommandAck) => void>();
  private transport: Transport | undefined;
  private running = false;
  private seq = 0;
  private heldBy: string | undefined;
  private heldListeners = new Set<(reason: string | undefined) => void>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly store: OutboxStore,
    options: OutboxOptions = {},
  ) {
    this.retryMinMs = options.retryMinMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 15_000;
  }

  /** Loads what a previous page left unsent; call once before `online`. */
  async restore(): Promise<void> {
    const saved = await this.store.load();
    const known = new Set(this.queue.map((c) => c.id));
    this.queue = [...saved.filter((c) => !known.has(c.id)), ...this.queue].sort((a, b) => a.queuedAt - b.queuedAt);
    this.seq = Math.max(this.seq, ...this.queue.map((c) => c.queuedAt));
    this.notify();
  }

  /** Queues a command and resolves with its final ack (which may come after several reconnects). */
  async issue(cmd: Command): Promise<CommandAck> {
    const queued: QueuedCommand = { ...cmd, queuedAt: Math.max(Date.now(), this.seq + 1) };
    this.seq = queued.queuedAt;
    const done = new Promise<CommandAck>((resolve) => this.waiters.set(cmd.id, resolve));
    // Persisted before it is sent: a reload right after issuing must not lose it.
    await this.store.put(queued);
    this.queue.push(queued);
    this.notify();
    void this.drain();
    return done;
  }

  /** Connected (again): start sending, oldest first, with the original ids. */
  online(transport: Transport): void {
    this.transport = transport;
    this.cancelRetry();
    this.retries = 0;
    void this.drain();
  }

  /** Disconnected: keep everything; in-flight commands are resent on the next `online`. */
  offline(): void {
    this.transport = undefined;
    this.cancelRetry();
  }

  /**
   * Why the head command waits although connected (the server's sentence, e.g. "the home of this item,
   * lv-cert, is not reachable; …"), or undefined. It is resent on a timer, with its id, until answered.
   */
  get held(): string | undefined {
    return this.heldBy;
  }

  /** Changes of `held`. Returns an unsubscribe function. */
  onHeld(fn: (reason: string | undefined) => void): () => void {
    this.heldListeners.add(fn);
    fn(this.heldBy);
    return () => this.heldListeners.delete(fn);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The commands not yet answered, oldest first. */
  get queued(): readonly QueuedCommand[] {
    return this.queue;
  }

  /** Every command's final ack, also of commands restored from a previous page. Returns an unsubscribe function. */
  onSettled(fn: (id: string, ack: CommandAck) => void): () => void {
    this.settledListeners.add(fn);
    return () => this.settledListeners.delete(fn);
  }

  /** Pending-count changes, for the connection indicator. Returns an unsubscribe function. */
  subscribe(fn: (pending: number) => void): () => void {
    this.listeners.add(fn);
    fn(this.queue.length);
    return () => this.listeners.delete(fn);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.transport && this.queue.length) {
        const transport = this.transport;
        const head = this.queue[0]!;
        let ack: CommandAck;
        try {
          ack = await transport({ id: head.id, type: head.type, payload: head.payload });
        } catch {
          // Lost connection or timeout: the command stays at the head and goes again when online.
          if (this.transport === transport) this.transport = undefined;
          return;
        }
        if (!ack.ok && RETRYABLE.has(ack.error.code)) {
          // Still connected and the server says "not yet": the same command (same id, so never twice)
          // again after a growing wait; a reconnect in between sends it at once.
          if (RETRY_ON_TIMER.has(ack.error.code) && this.transport === transport) this.scheduleRetry(ack.error.message);
          return;
        }
        this.retries = 0;
        this.setHeld(undefined);
        await this.store.delete(head.id);
        this.queue.shift();
        this.notify();
        this.waiters.get(head.id)?.(ack);
        this.waiters.delete(head.id);
        for (const fn of this.settledListeners) fn(head.id, ack);
      }
    } finally {
      this.running = false;
    }
  }

  private notify(): void {
    for (const fn of this.listeners) fn(this.queue.length);
  }

  private scheduleRetry(reason: string): void {
    this.setHeld(reason);
    this.cancelRetry();
    const wait = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, wait);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setHeld(reason: string | undefined): void {
    if (reason === this.heldBy) return;
    this.heldBy = reason;
    for (const fn of this.heldListeners) fn(reason);
  }
}

/** A store that forgets on reload: for tests and for browsers without IndexedDB. */
export class MemoryOutboxStore implements OutboxStore {
  readonly items = new Map<string, QueuedCommand>();
  async load() {
    return [...this.items.values()];
  }
  async put(c: QueuedCommand) {
    this.items.set(c.id, c);
  }
  async delete(id: string) {
    this.items.delete(id);
  }
}
