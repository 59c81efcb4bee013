/**
 * What rides an authenticated link session (docs/federation.md section 4), for every feature that
 * crosses a border (records, documents, offers, commands). Three kinds of traffic:
 *
 * - **Messages**: reliable and ordered. `enqueue(tx, link, type, body)` writes the message into the
 *   link's outbox in the caller's transaction with the next `linkSeq`, so an event and its crossing are
 *   stored together or not at all. After commit, `flush(link)` sends what the peer has not acknowledged.
 *   The peer applies each message in one transaction with its `applied_seq`, so nothing is applied twice,
 *   and acknowledges; acknowledged rows leave the outbox. After an outage both sides say what they have
 *   applied (`resume`) and the other replays from there.
 * - **Requests**: a question with one answer while the link is up (`request(link, method, params)`),
 *   for commands to an item's home and offers; idempotency is the handler's (command ids).
 * - **Signals**: fire and forget while the link is up (presence); lost when it is down, by design.
 *
 * **Retention.** Unacknowledged messages are kept while the peer is away, up to a limit; past it the
 * bulk is dropped and a fresh baseline stands for it (retention.ts). The peer is told which seqs are gone
 * by an `outbox.dropped {through}` message sent in the gap's place (outbox.ts `drainOutbox`).
 *
 * Handlers are registered by type or method; an unknown type is refused, never ignored silently. A
 * handler that throws refuses that one message: the refusal is logged and audited, the message counts
 * as applied (a hostile peer cannot wedge the link by resending it), and the link stays up. A handler
 * that throws FederationDeferral ("not now": its sender is over a rate or budget) has the message
 * applied again after the delay it names, the link's stream held meanwhile. This file is the session's
 * loop: frames in and out, when the outbox is drained, requests and signals; the outbox's write, drain
 * and trim are outbox.ts's, a received message is applied by inbox.ts, and the flow control and retry
 * of deferred messages are deferral.ts's.
 */
import { WebSocket } from 'ws';
import * as z from 'zod';
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import { LINK_CLOSE } from './protocol.js';
import type { Link } from './store.js';
import { OutboxRetention, type DropListener, type KeepTest } from './retention.js';
import { ReceiveQueue, SendWindow } from './deferral.js';
import { appliedSeq, FederationRefusal, Inbox, type InboxSession, type MessageHandler, type MessagePreparer } from './inbox.js';
import { drainOutbox, trimOutbox, writeToOutbox, type DrainSession } from './outbox.js';

export { DROPPED_MESSAGE, type DropListener, type KeepTest } from './retention.js';
export { FederationRefusal, type MessageHandler, type MessagePreparer } from './inbox.js';
export { writeToOutbox } from './outbox.js';

/** Answers one request from `link`; throw to answer with an error sentence. */
export type RequestHandler = (link: Link, params: unknown) => Promise<unknown>;
export type SignalHandler = (link: Link, body: unknown) => void;
export type LinkListener = (link: Link) => void;

/** The peer is not connected (or went away before answering). */
export class LinkDown extends Error {}

const frame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('resume'), applied: z.number().int().min(0) }),
  z.object({ t: z.literal('m'), seq: z.number().int().min(1), type: z.string().max(60), body: z.unknown() }),
  z.object({ t: z.literal('ack'), seq: z.number().int().min(0) }),
  z.object({ t: z.literal('req'), id: z.number().int().min(1), method: z.string().max(60), params: z.unknown() }),
  z.object({ t: z.literal('res'), id: z.number().int().min(1), ok: z.boolean(), result: z.unknown().optional(), error: z.string().max(2000).optional() }),
  z.object({ t: z.literal('sig'), type: z.string().max(60), body: z.unknown() }),
]);
type Frame = z.infer<typeof frame>;

export interface ChannelOptions {
  /** How often live links look for messages other nodes of a cluster wrote (this node's own are sent at once). */
  outboxPollMs: number;
  /** Outbox rows read and sent per round. */
  batch: number;
  requestTimeoutMs: number;
  /** Retention of what the peer has not acknowledged, per link (docs/federation.md section 4, catch-up). */
  retainMessages: number;
  retainBytes: number;
  retainMs: number;
  /** How often every link's outbox is measured against the retention limits. */
  retentionCheckMs: number;
  /** Items per page of a baseline (records/baseline.ts): one transaction, one message. */
  baselinePage: number;
}

const DEFAULTS: ChannelOptions = {
  outboxPollMs: 250,
  batch: 200,
  requestTimeoutMs: 15_000,
  retainMessages: 1_000_000,
  retainBytes: 1024 * 1024 * 1024,
  retainMs: 7 * 24 * 3600 * 1000,
  retentionCheckMs: 60_000,
  baselinePage: 500,
};

/** One session: its link, socket, `sent` and send window (DrainSession, outbox.ts) and what this file keeps. */
interface Live extends DrainSession {
  /** A drain is running; `again`: another was asked for meanwhile and runs when it ends. */
  flushing: boolean;
  again: boolean;
  nextRequest: number;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>;
  /** Received and not applied. */
  received: ReceiveQueue;
  /** This session as the inbox sees it. */
  inbox: InboxSession;
}

export class FederationBus {
  private readonly options: ChannelOptions;
  private readonly live = new Map<string, Live>();
  /** Applies received messages (inbox.ts); holds their handlers. */
  private readonly inbox: Inbox;
  private readonly requests = new Map<string, RequestHandler>();
  private readonly signals = new Map<string, SignalHandler>();
  private readonly upListeners: LinkListener[] = [];
  private readonly downListeners: LinkListener[] = [];
  private poller: NodeJS.Timeout | undefined;
  private retention: NodeJS.Timeout | undefined;
  private readonly retained: OutboxRetention;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly deps: { db: Db; log: Logger },
    options: Partial<ChannelOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.inbox = new Inbox(deps, (fn) => this.safely(fn));
    this.retained = new OutboxRetention(deps, this.options, (linkName) => this.flush(linkName));
    this.poller = setInterval(() => {
      for (const name of this.live.keys()) this.flush(name);
    }, this.options.outboxPollMs);
    this.poller.unref();
    this.retention = setInterval(() => void this.checkRetention(), this.options.retentionCheckMs);
    this.retention.unref();
  }

  /** Messages of `type` may be dropped past the retention limit (unless `keep` says this one stays). */
  dropOnRetention(type: string, keep?: KeepTest): void {
    this.retained.dropOnRetention(type, keep);
  }

  onOutboxDropped(fn: DropListener): void {
    this.retained.onOutboxDropped(fn);
  }

  onClose(fn: () => void): void {
    this.closeListeners.push(fn);
  }

  /** Measures every link's outbox against the retention limits and drops those past them (retention.ts). */
  checkRetention(): Promise<string[]> {
    return this.retained.checkRetention();
  }

  /** Deferrals per link since start (for the operator's log and tests). */
  get deferrals(): ReadonlyMap<string, number> {
    return this.inbox.deferrals;
  }

  get settings(): Readonly<ChannelOptions> {
    return this.options;
  }

  onMessage(type: string, handler: MessageHandler, prepare?: MessagePreparer): void {
    this.inbox.onMessage(type, handler, prepare);
  }

  onRequest(method: string, handler: RequestHandler): void {
    this.requests.set(method, handler);
  }

  onSignal(type: string, handler: SignalHandler): void {
    this.signals.set(type, handler);
  }

  /** Called when a session with the link is ready (after both sides resumed); and when it ends. */
  onLinkUp(fn: LinkListener): void {
    this.upListeners.push(fn);
  }

  onLinkDown(fn: LinkListener): void {
    this.downListeners.push(fn);
  }

  /** The links whose session is up on this node (in cluster mode, the links this node holds). */
  upLinks(): string[] {
    return [...this.live.values()].filter((l) => l.sent !== undefined).map((l) => l.link.name);
  }

  isUp(linkName: string): boolean {
    return this.live.get(linkName)?.sent !== undefined;
  }

  /**
   * Writes a message for `linkName` in the caller's transaction and returns its seq. The caller calls
   * `flush(linkName)` after its commit (a rolled-back transaction leaves no message and no gap).
   */
  enqueue(tx: Db, linkName: string, type: string, body: unknown): Promise<number> {
    return writeToOutbox(tx, linkName, type, body);
  }

  /** Sends what the peer has not seen yet, if the link is up on this node; safe to call any time. */
  flush(linkName: string): void {
    const live = this.live.get(linkName);
    if (!live || live.sent === undefined) return;
    if (live.flushing) {
      live.again = true;
      return;
    }
    live.flushing = true;
    void drainOutbox(this.deps.db, this.options.batch, live, () => this.live.get(linkName) === live).finally(() => {
      live.flushing = false;
      if (live.again) {
        live.again = false;
        this.flush(linkName);
      }
    });
  }

  /** Asks the peer and waits for its answer; LinkDown when the link is not up or goes down first. */
  request(linkName: string, method: string, params: unknown, timeoutMs = this.options.requestTimeoutMs): Promise<unknown> {
    const live = this.live.get(linkName);
    if (!live || live.sent === undefined) return Promise.reject(new LinkDown(`the link to ${linkName} is down`));
    const id = live.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        live.pending.delete(id);
        reject(new LinkDown(`${linkName} did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      live.pending.set(id, { resolve, reject, timer });
      this.send(live, { t: 'req', id, method, params });
    });
  }

  /** Sends a signal if the link is up; returns whether it was sent. */
  signal(linkName: string, type: string, body: unknown): boolean {
    const live = this.live.get(linkName);
    if (!live || live.sent === undefined) return false;
    return this.send(live, { t: 'sig', type, body });
  }

  /** Takes over a session that finished its handshake (LinkManager.adopt). */
  attach(link: Link, ws: WebSocket, early: readonly { data: Buffer; isBinary: boolean }[] = []): void {
    this.live.get(link.name)?.pending.forEach((p) => p.reject(new LinkDown(`the link to ${link.name} was replaced`)));
    const inbox: InboxSession = {
      link,
      ack: (seq) => void this.send(live, { t: 'ack', seq }),
      close: (code, reason) => ws.close(code, reason),
      current: () => this.live.get(link.name) === live && ws.readyState === WebSocket.OPEN,
    };
    const live: Live = {
      link,
      ws,
      sent: undefined,
      flushing: false,
      again: false,
      nextRequest: 1,
      pending: new Map(),
      window: new SendWindow(),
      received: new ReceiveQueue(),
      inbox,
    };
    this.live.set(link.name, live);
    for (const f of early) this.receive(live, f.data, f.isBinary);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(live, data, isBinary));
    ws.on('close', () => this.detach(live));
    void appliedSeq(this.deps.db, link.name).then(
      (applied) => this.send(live, { t: 'resume', applied }),
      (err: unknown) => {
        this.deps.log.error({ err, link: link.name }, 'federation: cannot read applied seq');
        ws.close(LINK_CLOSE.goingAway, 'cannot read link state');
      },
    );
  }

  close(): void {
    clearInterval(this.poller);
    clearInterval(this.retention);
    for (const fn of this.closeListeners) this.safely(fn);
    for (const live of this.live.values()) this.detach(live);
  }

  private detach(live: Live): void {
    if (this.live.get(live.link.name) !== live) return;
    this.live.delete(live.link.name);
    for (const p of live.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new LinkDown(`the link to ${live.link.name} went down`));
    }
    live.pending.clear();
    if (live.sent !== undefined) for (const fn of this.downListeners) this.safely(() => fn(live.link));
  }

  private send(live: Live, f: Frame): boolean {
    if (live.ws.readyState !== WebSocket.OPEN) return false;
    live.ws.send(JSON.stringify(f));
    return true;
  }

  private receive(live: Live, data: Buffer, isBinary: boolean): void {
    let f: Frame;
    try {
      if (isBinary) throw new Error('binary frame');
      const parsed = frame.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'bad frame');
      f = parsed.data;
    } catch (err) {
      this.deps.log.warn({ link: live.link.name, err: (err as Error).message }, 'federation: protocol error');
      live.ws.close(LINK_CLOSE.protocol, 'not a federation frame');
      return;
    }
    switch (f.t) {
      case 'resume':
        return this.resumed(live, f.applied);
      case 'ack':
        live.window.acked(f.seq);
        return void trimOutbox(this.deps.db, live.link.name, f.seq).catch((err: unknown) => {
          this.deps.log.warn({ err, link: live.link.name }, 'federation: cannot trim outbox');
        });
      case 'm':
        if (live.received.push(data.length, () => this.inbox.apply(live.inbox, f.seq, f.type, f.body))) return;
        this.deps.log.warn({ link: live.link.name }, 'federation: peer sent too far ahead of what was applied');
        live.ws.close(LINK_CLOSE.protocol, 'too many messages waiting to be applied');
        return;
      case 'req':
        return void this.answer(live, f.id, f.method, f.params);
      case 'res': {
        const p = live.pending.get(f.id);
        if (!p) return;
        live.pending.delete(f.id);
        clearTimeout(p.timer);
        if (f.ok) p.resolve(f.result);
        else p.reject(new FederationRefusal(f.error ?? 'refused'));
        return;
      }
      case 'sig': {
        const handler = this.signals.get(f.type);
        if (handler) this.safely(() => handler(live.link, f.body));
        return;
      }
    }
  }

  private resumed(live: Live, peerApplied: number): void {
    if (live.sent !== undefined) return void live.ws.close(LINK_CLOSE.protocol, 'resumed twice');
    void (async () => {
      const out = await this.deps.db.get<{ out_seq: number }>('SELECT out_seq FROM federation_links WHERE name = ?', [live.link.name]);
      const outSeq = Number(out?.out_seq ?? 0);
      if (peerApplied > outSeq) {
        // The peer says it applied messages we never sent: our database is older than its view of us
        // (a restore from backup). Replaying would skip; an operator must look.
        this.deps.log.error({ link: live.link.name, peerApplied, outSeq }, 'federation: peer is ahead of this instance');
        live.ws.close(LINK_CLOSE.protocol, `${live.link.name} has applied ${peerApplied} messages, this instance sent only ${outSeq}`);
        return;
      }
      await trimOutbox(this.deps.db, live.link.name, peerApplied);
      live.sent = peerApplied;
      for (const fn of this.upListeners) this.safely(() => fn(live.link));
      this.flush(live.link.name);
    })().catch((err: unknown) => {
      this.deps.log.error({ err, link: live.link.name }, 'federation: resume failed');
      live.ws.close(LINK_CLOSE.goingAway, 'resume failed');
    });
  }

  private async answer(live: Live, id: number, method: string, params: unknown): Promise<void> {
    const handler = this.requests.get(method);
    try {
      if (!handler) throw new FederationRefusal(`unknown request ${method}`);
      const result = await handler(live.link, params);
      this.send(live, { t: 'res', id, ok: true, result });
    } catch (err) {
      const message = err instanceof FederationRefusal ? err.message : 'the peer could not answer';
      if (!(err instanceof FederationRefusal)) this.deps.log.error({ err, link: live.link.name, method }, 'federation: request failed');
      this.send(live, { t: 'res', id, ok: false, error: message });
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log.error({ err }, 'federation: listener failed');
    }
  }
}
