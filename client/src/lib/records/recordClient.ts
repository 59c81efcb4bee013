/**
 * Wires the outbox and the seq tracker to a socket.io connection for one workspace: on every
 * (re)connect it holds live events, joins the workspace, syncs from the last seq, and then replays
 * the outbox with the original command ids. `pending` feeds the connection indicator.
 */
import type { Socket } from 'socket.io-client';
import type { Ack, Command, CommandAck, RecordBatch, RecordEvent, SyncResult } from '@huntroom/shared';
import { Outbox, type OutboxOptions, type OutboxStore } from './outbox.js';
import { SeqTracker, type Projection } from './sync.js';

/** Events of the record plane the client listens to (batches are unpacked in order). */
export const RECORD_EVENTS = ['indicator:created', 'indicator:updated', 'indicator:sighted', 'indicator:commented', 'indicator:deleted', 'indicator:revoked'] as const;

export interface RecordClientOptions {
  socket: Socket;
  workspaceId: string;
  projection: Projection;
  store: OutboxStore;
  /** Seq the projection was loaded at (e.g. from a cached copy); 0 for a fresh start. */
  lastSeq?: number;
  /** How long one command may wait for its ack before it counts as lost and is resent. */
  ackTimeoutMs?: number;
  /** Live event names this projection applies (default: the indicator board's). */
  events?: readonly string[];
  /** Waits between resends of a command the server could not do yet (its item's home unreachable). */
  retry?: OutboxOptions;
}

export class RecordClient {
  readonly outbox: Outbox;
  readonly tracker: SeqTracker;
  private readonly socket: Socket;
  private readonly projection: Projection;
  private readonly workspaceId: string;
  private readonly ackTimeoutMs: number;

  constructor(o: RecordClientOptions) {
    this.socket = o.socket;
    this.workspaceId = o.workspaceId;
    this.ackTimeoutMs = o.ackTimeoutMs ?? 30_000;
    this.outbox = new Outbox(o.store, o.retry);
    this.projection = o.projection;
    this.tracker = new SeqTracker(o.projection, o.lastSeq ?? 0);
    // Changes waiting in the outbox are shown applied until their final ack (optimistic.ts).
    const stopSettled = this.outbox.onSettled((id, ack) => this.projection.settle?.(id, ack.ok));
    const live = (e: RecordEvent) => e.workspaceId === this.workspaceId && this.tracker.onLive(e);
    const batch = (b: RecordBatch) => b.events.forEach(live);
    const connect = () => void this.resume();
    const disconnect = () => {
      this.outbox.offline();
      this.tracker.abortSync();
    };
    const events = o.events ?? RECORD_EVENTS;
    for (const name of events) this.socket.on(name, live);
    this.socket.on('record:batch', batch);
    this.socket.on('connect', connect);
    this.socket.on('disconnect', disconnect);
    this.dispose = () => {
      stopSettled();
      // No resend timer outlives the page.
      this.outbox.offline();
      for (const name of events) this.socket.off(name, live);
      this.socket.off('record:batch', batch);
      this.socket.off('connect', connect);
      this.socket.off('disconnect', disconnect);
    };
  }

  /** Stops listening (the page closed); queued commands stay in the store for the next start. */
  readonly dispose: () => void;

  /** Restores unsent commands from the store and starts; connect the socket after this. */
  async start(): Promise<void> {
    await this.outbox.restore();
    // What a previous page left unsent shows applied too, until the server answers it.
    for (const c of this.outbox.queued) this.projection.optimistic?.(c);
    if (this.socket.connected) await this.resume();
  }

  /** Issues a command; resolves with its final ack, however many reconnects that takes. */
  command<T = unknown>(type: string, payload: Record<string, unknown>, id: string = crypto.randomUUID()): Promise<CommandAck<T>> {
    const cmd = { id, type, payload: { workspaceId: this.workspaceId, ...payload } };
    this.projection.optimistic?.(cmd);
    return this.outbox.issue(cmd) as Promise<CommandAck<T>>;
  }

  private async resume(): Promise<void> {
    // Hold live events from before the join, so none is applied ahead of the missed ones.
    const { sinceSeq } = this.tracker.beginSync();
    try {
      const joined = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck('workspace:join', { workspaceId: this.workspaceId })) as Ack;
      if (!joined.ok) throw new Error(joined.error.message);
      const synced = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck('sync', { workspaceId: this.workspaceId, sinceSeq })) as Ack<SyncResult>;
      if (!synced.ok || !synced.data) throw new Error(synced.ok ? 'empty sync' : synced.error.message);
      this.tracker.completeSync(synced.data);
    } catch {
      this.tracker.abortSync();
      return;
    }
    this.outbox.online((c: Command) => this.socket.timeout(this.ackTimeoutMs).emitWithAck(c.type, c) as Promise<CommandAck>);
  }
}
