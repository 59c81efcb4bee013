/**
 * One websocket on one document (Hocuspocus's Connection: socket x document, `readOnly`). Messages
 * that arrive while the document loads are queued (bounded); afterwards each goes to the
 * MessageReceiver. The connection owns its limits (token buckets, CPU budget) and the one way to end
 * it, `close(code, reason)`, which never throws whatever state the socket is in.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Account, Role } from '@huntroom/shared';
import { CLOSE_CODES } from '@huntroom/shared';
import type { Logger } from '../log.js';
import type { CollabOptions } from './options.js';
import type { DocPeer, LiveDocument } from './LiveDocument.js';
import { TokenBucket } from './TokenBucket.js';
import { syncStep1Message, awarenessMessage } from './messages.js';
import { binaryFrame } from './wsFrame.js';
import { directFdOf, writeRest } from './directWrite.js';
import { receiveMessage } from './MessageReceiver.js';
import type { AccountBudgets } from './accountBudget.js';
import type { WorkerPool } from '../workers/pool.js';
import { can } from '../workspaces/policy.js';

export interface ConnectionShared {
  workers: WorkerPool;
  accounts: AccountBudgets;
}

let nextId = 1;

export class Connection implements DocPeer {
  readonly id = `y${(nextId++).toString(36)}`;
  readonly awarenessIds = new Set<number>();
  readonly updates: TokenBucket;
  readonly awarenessRate: TokenBucket;
  /** Past these, awareness traffic is abuse and closes the socket (MessageReceiver). */
  readonly awarenessCutoff: TokenBucket;
  readonly awarenessBytes: TokenBucket;
  /** Awareness client ids this connection introduced (presence.ts); undefined until its first. */
  presenceIds: Set<number> | undefined;
  document: LiveDocument | undefined;
  /** The role cannot write (observer, guest): its updates are dropped, never applied. */
  readonly readOnly: boolean;
  /** False between a ping and its pong; a peer still false at the next ping is dead. */
  alive = true;
  closed = false;
  /** Writes dropped because the role is read-only; for logs and tests. */
  droppedWrites = 0;
  private queue: Uint8Array[] = [];
  /** Set while a large update is on trial (trial.ts): later messages wait, in order. */
  private held = false;
  private cpuUsedMs = 0;
  private cpuWindowStart = performance.now();

  constructor(
    readonly ws: WebSocket,
    /**
     * The upgraded TCP socket under `ws`. Frames built once per room (wsFrame.ts) are written here
     * directly. Safe next to ws's own writes: with perMessageDeflate off and no Blob data, ws writes
     * each frame synchronously and whole, so frames never interleave.
     */
    private readonly socket: Duplex,
    readonly account: Account,
    /** The account's role in the document's workspace when the socket opened (a change closes it). */
    readonly role: Role,
    readonly options: CollabOptions,
    readonly log: Logger,
    /** What this connection shares with the rest of the node: the worker pool, its account's budget. */
    readonly shared: ConnectionShared,
  ) {
    this.readOnly = !can(role, 'write');
    this.updates = new TokenBucket(options.updatesPerSecond, options.updateBurst);
    this.awarenessRate = new TokenBucket(options.awarenessPerSecond, options.awarenessBurst);
    this.awarenessCutoff = new TokenBucket(options.awarenessCutoffPerSecond, options.awarenessCutoffBurst);
    this.awarenessBytes = new TokenBucket(options.awarenessBytesPerSecond, options.awarenessBytesBurst);
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    // Without a listener, one socket's error (bad frame, reset) would be thrown and end the process.
    ws.on('error', (err) => this.log.debug({ err, conn: this.id }, 'collab socket error'));
    ws.on('close', () => (this.closed = true));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary) return this.close(CLOSE_CODES.badMessage, 'text frames are not part of the protocol');
    // A copy with its own ArrayBuffer: lib0's decoders bound reads by the buffer, not the view, and a
    // frame may be a view into a pooled buffer holding other sockets' bytes. A crafted length must
    // fail, not read a neighbour's message into this document.
    const message = new Uint8Array(data);
    if (!this.document || this.held) {
      if (this.queue.length >= this.options.maxQueuedMessages) return this.close(CLOSE_CODES.rateLimited, 'too many messages before the last ones were handled');
      this.queue.push(message);
      return;
    }
    this.receive(message);
  }

  /**
   * Holds this connection's later messages until `work` is done (a large update on trial), then
   * handles them in order. Messages keep their order: nothing overtakes the held update.
   */
  hold(work: Promise<void>): void {
    this.held = true;
    void work
      .catch((err: unknown) => {
        this.log.warn({ err, conn: this.id }, 'collab held work failed');
        this.close(CLOSE_CODES.internalError, 'update could not be handled');
      })
      .finally(() => {
        this.held = false;
        this.drain();
      });
  }

  private drain(): void {
    while (this.queue.length && !this.held && !this.closed) this.receive(this.queue.shift()!);
  }

  private receive(message: Uint8Array): void {
    try {
      receiveMessage(this, this.document!, message);
    } catch (err) {
      // The receiver handles expected failures itself; anything else is still this peer's problem only.
      this.log.warn({ err, conn: this.id }, 'collab message failed');
      this.close(CLOSE_CODES.badMessage, 'message could not be handled');
    }
  }

  /** Joins the loaded document: start the sync (our step 1), show who is here, run the queue. */
  attach(doc: LiveDocument): void {
    this.document = doc;
    doc.addPeer(this);
    this.send(syncStep1Message(doc.doc));
    const states = [...doc.awareness.getStates().keys()];
    if (states.length) this.send(awarenessMessage(doc.awareness, states));
    this.drain();
  }

  /**
   * Adds CPU time spent on this peer's updates to its own budget and its account's (accountBudget.ts);
   * false once either is spent for the window.
   */
  chargeCpu(ms: number): boolean {
    const now = performance.now();
    if (now - this.cpuWindowStart > this.options.cpuWindowMs) {
      this.cpuWindowStart = now;
      this.cpuUsedMs = 0;
    }
    this.cpuUsedMs += ms;
    const accountOk = this.shared.accounts.charge(this.account.id, ms);
    return this.cpuUsedMs <= this.options.cpuBudgetMs && accountOk;
  }

  send(message: Uint8Array): void {
    this.sendFrame(binaryFrame(message));
  }

  /**
   * A frame from binaryFrame, shared by every peer of a room. A failed write surfaces as the socket's
   * error and close (ws handles both), which removes the peer; nothing to do per write.
   */
  sendFrame(frame: Buffer): void {
    if (this.takesFrames()) this.socket.write(frame);
  }

  /** For a room's relay (directWrite.ts): null when this connection takes no more frames. */
  directFd(): number | null | undefined {
    return this.takesFrames() ? directFdOf(this.socket) : null;
  }

  /** Open on both sides: not closed by us, and the websocket not closing or closed. */
  private takesFrames(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  sendRest(frame: Buffer, written: number): void {
    writeRest(this.socket, frame, written);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.info({ conn: this.id, account: this.account.username, docId: this.document?.id, code, reason }, 'collab connection closed');
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }
}
