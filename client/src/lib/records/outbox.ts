/**
 * The client's outbox of record-plane commands (DESIGN.md section 3, "offline"). A command is kept
 * (persisted through an OutboxStore) from the moment it is issued until the server has acked it, and
 * sent again, with the same id, after a dropped connection: the server answers a retried id with
 * its first ack, so nothing is created twice. Commands go one at a time in the order they were
 * issued, so an update never overtakes the create it refers to. Pure logic: the transport and the
 * store are passed in, which keeps it testable without a browser or a socket.
 *
 * Held commands (docs/federation.md section 3): a command the server cannot do yet because its item's
 * home instance is unreachable (`unavailable`) is kept and resent on a timer, and it holds back only
 * the later commands that name one of its items, or an item of a command held behind it (itemKeys.ts):
 * an update after an update of the same indicator, a sighting on it, a host created in a network whose
 * delete waits. Every other command (local items, other homes) goes on in issue order. A held command
 * that names no item, and a `rate_limited` one (about the user, not an item), hold everything after
 * them, as before. A create never names its own new item (the server makes its id), so a change of a
 * new item can only be issued after its create was answered.
 */
import type { Command, CommandAck } from '@huntroom/shared';
import { itemKeysOf } from './itemKeys.js';

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
/** Of those, the ones about the command's items only: later commands on other items go on meanwhile. */
const HOLDS_ITS_ITEMS = new Set(['unavailable']);

/** A command answered "not yet": why (the server's sentence), and whether it holds back every later command. */
interface Hold {
  reason: string;
  all: boolean;
}

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
  /** Commands answered "not yet", by id; kept while they are resent, dropped at their final answer. */
  private holds = new Map<string, Hold>();
  /** Of those, the ones waiting for the retry timer (not sent again before it fires or a reconnect). */
  private waitingRetry = new Set<string>();
  private itemKeys = new Map<string, Set<string>>();
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
    // A reconnect sends held commands again at once, in issue order.
    this.waitingRetry.clear();
    void this.drain();
  }

  /** Disconnected: keep everything; in-flight commands are resent on the next `online`. */
  offline(): void {
    this.transport = undefined;
    this.cancelRetry();
  }

  /**
   * Why the oldest held command waits although connected (the server's sentence, e.g. "the home of this
   * item, lv-cert, is not reachable; …"), or undefined. It is resent on a timer, with its id, until answered.
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

  /** How many commands wait for a "not yet" answer to change (held ones, not those merely queued behind them). */
  get heldCount(): number {
    return this.holds.size;
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

  /**
   * The oldest command that may go now: not waiting for the retry timer, and naming no item of a held
   * command before it (nor of one queued behind such a command, so a chain keeps its order).
   */
  private next(): QueuedCommand | undefined {
    // Nothing held: the oldest, as always (and no payload read on the common path).
    if (!this.holds.size) return this.queue[0];
    const blocked = new Set<string>();
    for (const c of this.queue) {
      const keys = this.keysOf(c);
      const hold = this.holds.get(c.id);
      const waits = this.waitingRetry.has(c.id) || [...keys].some((k) => blocked.has(k));
      if (!waits) return c;
      // Nothing after it can be shown independent of it: it names no item, or waits for the user's rate.
      if (keys.size === 0 || hold?.all) return undefined;
      for (const k of keys) blocked.add(k);
    }
    return undefined;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let head = this.next(); this.transport && head; head = this.next()) {
        const transport = this.transport;
        let ack: CommandAck;
        try {
          ack = await transport({ id: head.id, type: head.type, payload: head.payload });
        } catch {
          // Lost connection or timeout: the command stays queued and goes again, in order, when online.
          if (this.transport === transport) this.transport = undefined;
          return;
        }
        if (!ack.ok && RETRYABLE.has(ack.error.code)) {
          // Still connected and the server says "not yet": the same command (same id, so never twice)
          // again after a growing wait; a reconnect in between sends it at once.
          if (!RETRY_ON_TIMER.has(ack.error.code) || this.transport !== transport) return;
          this.hold(head.id, { reason: ack.error.message, all: !HOLDS_ITS_ITEMS.has(ack.error.code) });
          continue;
        }
        await this.settle(head, ack);
      }
    } finally {
      this.running = false;
    }
  }

  /** The items `c` names, read once per command (a long queue is scanned on every send while one is held). */
  private keysOf(c: QueuedCommand): Set<string> {
    let keys = this.itemKeys.get(c.id);
    if (!keys) this.itemKeys.set(c.id, (keys = itemKeysOf(c.payload)));
    return keys;
  }

  private hold(id: string, hold: Hold): void {
    this.holds.set(id, hold);
    this.waitingRetry.add(id);
    this.showHeld();
    if (this.retryTimer === undefined) this.scheduleRetry();
  }

  /** The command's final answer: out of the queue and the store, its caller told. */
  private async settle(c: QueuedCommand, ack: CommandAck): Promise<void> {
    if (this.holds.delete(c.id)) {
      this.waitingRetry.delete(c.id);
      // Its home answered: the next "not yet" starts from the shortest wait again.
      this.retries = 0;
      if (!this.holds.size) this.cancelRetry();
      this.showHeld();
    }
    await this.store.delete(c.id);
    this.itemKeys.delete(c.id);
    this.queue = this.queue.filter((q) => q.id !== c.id);
    this.notify();
    this.waiters.get(c.id)?.(ack);
    this.waiters.delete(c.id);
    for (const fn of this.settledListeners) fn(c.id, ack);
  }

  private notify(): void {
    for (const fn of this.listeners) fn(this.queue.length);
  }

  /** One timer for every held command: when it fires, they are all sent again, in issue order. */
  private scheduleRetry(): void {
    this.cancelRetry();
    const wait = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.waitingRetry.clear();
      void this.drain();
    }, wait);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** `held` is the oldest held command's sentence. */
  private showHeld(): void {
    const oldest = this.queue.find((c) => this.holds.has(c.id));
    this.setHeld(oldest ? this.holds.get(oldest.id)?.reason : undefined);
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
