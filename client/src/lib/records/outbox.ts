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

export class Outbox {
  private queue: QueuedCommand[] = [];
  private waiters = new Map<string, (ack: CommandAck) => void>();
  private listeners = new Set<(pending: number) => void>();
  private settledListeners = new Set<(id: string, ack: CommandAck) => void>();
  private transport: Transport | undefined;
  private running = false;
  private seq = 0;

  constructor(private readonly store: OutboxStore) {}

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
    void this.drain();
  }

  /** Disconnected: keep everything; in-flight commands are resent on the next `online`. */
  offline(): void {
    this.transport = undefined;
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
        if (!ack.ok && RETRYABLE.has(ack.error.code)) return;
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
