/**
 * The Yjs document server at `/yjs/<docId>` (Hocuspocus's Server.ts): handles the HTTP upgrade for
 * that path only (socket.io keeps its own), refuses with an HTTP status before the socket opens,
 * enforces per-account socket and document counts, runs the heartbeat, and shuts down by closing every
 * socket with "server restarting" after the documents are flushed.
 *
 * Note: socket.io's engine.io ends any upgrade it does not own that has written nothing after 1 s
 * (`destroyUpgrade`), so authentication here must answer within that; documents load after the
 * socket opened, with messages queued meanwhile.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, YJS_PATH_PREFIX } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { collabOptions, type CollabOptions } from './options.js';
import { UpdateLog } from './UpdateLog.js';
import { useDirectWrites } from './directWrite.js';
import { Documents } from './Documents.js';
import { Connection, type ConnectionShared } from './Connection.js';
import { AccountBudgets } from './accountBudget.js';
import { authenticateUpgrade, authenticateUpgradeNow, type CheckedUpgrade, type UpgradeAuthOptions, type UpgradeGrant } from './upgradeAuth.js';
import { createGrantCache } from './grantCache.js';
import { TicketVerifier } from './tickets.js';
import type { LiveDocument } from './LiveDocument.js';
import type { DocMeta } from './store.js';
import { RedisFanout } from './redisFanout.js';
import { HeapRelief } from './heapRelief.js';
import { Heartbeat } from './heartbeat.js';

type Deps = Pick<AppContext, 'db' | 'config' | 'log' | 'resources'>;

export class CollabServer {
  readonly options: CollabOptions;
  readonly documents: Documents;
  readonly updateLog: UpdateLog;
  private readonly wss: WebSocketServer;
  /** Open sockets of each account on this node, and how many of them are on each document. */
  private readonly byAccount = new Map<string, { sockets: number; docs: Map<string, number> }>();
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: Heartbeat<Connection>;
  /** Gives the memory back once thousands of sockets and their documents are gone. */
  private readonly relief: HeapRelief;
  private closing = false;
  private readonly log;
  /** The worker pool and the per-account budgets every connection of this server charges. */
  private readonly shared: ConnectionShared;
  /** What the upgrade checks may remember between sockets (recent grants, genuine tickets). */
  private readonly auth: UpgradeAuthOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<CollabOptions> = {},
  ) {
    this.options = collabOptions(options);
    this.shared = { workers: deps.resources.workers, accounts: new AccountBudgets(this.options.accountCpuBudgetMs, this.options.cpuWindowMs) };
    this.log = deps.log.child({ category: 'collab' });
    this.auth = {
      singleUseTickets: this.options.singleUseTickets,
      grants: createGrantCache(deps.db, { ttlMs: this.options.grantCacheMs, maxEntries: 10_000 }),
      tickets: new TicketVerifier(deps.config.sessionSecret),
    };
    this.updateLog = new UpdateLog(deps.db, this.log);
    const { redisUrl, redisPrefix } = deps.config;
    this.fanout = redisUrl ? new RedisFanout(redisUrl, redisPrefix, this.log, () => void this.documents.catchUpAll()) : undefined;
    this.documents = new Documents({ db: deps.db, updateLog: this.updateLog, options: this.options, log: this.log, fanout: this.fanout, workers: this.shared.workers });
    // perMessageDeflate off: compression bombs and CPU per frame are not worth it for small updates.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxFrameBytes, perMessageDeflate: false });
    this.wss.on('error', (err) => this.log.warn({ err }, 'collab server error'));
    // Said once at start: without the native helper relays cost more CPU per socket (directWrite.ts).
    const direct = useDirectWrites(deps.config.directWrites);
    this.log.info(
      { directWrites: direct },
      direct
        ? 'relays write to sockets natively'
        : deps.config.directWrites
          ? 'relays write through Node (native helper not built)'
          : 'relays write through Node (HUNTROOM_DIRECT_WRITES=off)',
    );
    this.heartbeat = new Heartbeat(this.connections, this.options.heartbeatMs, (conn) =>
      this.log.info({ conn: conn.id, code: CLOSE_CODES.heartbeatTimeout }, 'collab peer stopped answering pings'),
    );
    this.relief = new HeapRelief(
      () => this.connections.size + this.documents.size,
      this.options.heapRelief,
      (run) => this.log.info({ ...run, ms: Math.round(run.ms), cpuMs: run.cpuMs && Math.round(run.cpuMs) }, 'full garbage collection after a mass departure'),
    );
  }

  attach(http: HttpServer): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url?.startsWith(YJS_PATH_PREFIX)) this.onUpgrade(req, socket, head);
    });
    this.heartbeat.start();
    this.relief.start();
  }

  /** Cross-node fan-out of documents, when REDIS_URL is set. */
  readonly fanout: RedisFanout | undefined;

  get stats() {
    return { openDocuments: this.documents.size, connections: this.connections.size };
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.log.debug({ err }, 'upgrade socket error'));
    if (this.closing) return refuse(socket, 503, 'server restarting');
    let checked: CheckedUpgrade;
    try {
      // A reconnect whose grant is still known opens in this same turn (upgradeAuth.ts).
      const now = authenticateUpgradeNow(this.deps, req, this.auth);
      if (now.grant) return this.open(req, socket, head, now.grant);
      checked = now.checked;
    } catch (err) {
      return this.refuseFor(socket, err);
    }
    // Goes on from what the synchronous path checked: nothing is checked twice.
    authenticateUpgrade(this.deps, req, this.auth, checked)
      .then((grant) => this.open(req, socket, head, grant))
      .catch((err: unknown) => this.refuseFor(socket, err));
  }

  private open(req: IncomingMessage, socket: Duplex, head: Buffer, grant: UpgradeGrant): void {
    if (socket.destroyed) return;
    const slot = this.reserve(grant);
    if (!slot) return refuse(socket, 429, 'too many open documents or connections for this account');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onOpen(ws, socket, grant, slot));
  }

  private refuseFor(socket: Duplex, err: unknown): void {
    if (err instanceof AppError) return refuse(socket, err.status, err.message);
    this.log.error({ err }, 'collab upgrade failed');
    refuse(socket, 500, 'internal error');
  }

  /**
   * Counts the socket against its account's limits before it opens; undefined when over. Counts per
   * document, not a list of sockets: a reconnect storm of one account must not cost O(sockets) each.
   */
  private reserve(grant: UpgradeGrant): { docId: string } | undefined {
    let usage = this.byAccount.get(grant.account.id);
    if (!usage) this.byAccount.set(grant.account.id, (usage = { sockets: 0, docs: new Map() }));
    if (usage.sockets >= this.options.maxConnectionsPerAccount) return undefined;
    const onDoc = usage.docs.get(grant.docId) ?? 0;
    if (!onDoc && usage.docs.size >= this.options.maxDocumentsPerAccount) return undefined;
    usage.sockets++;
    usage.docs.set(grant.docId, onDoc + 1);
    return { docId: grant.docId };
  }

  private unreserve(accountId: string, slot: { docId: string }): void {
    const usage = this.byAccount.get(accountId);
    if (!usage) return;
    usage.sockets--;
    const onDoc = (usage.docs.get(slot.docId) ?? 1) - 1;
    if (onDoc > 0) usage.docs.set(slot.docId, onDoc);
    else usage.docs.delete(slot.docId);
    if (!usage.sockets) this.byAccount.delete(accountId);
  }

  private onOpen(ws: WebSocket, socket: Duplex, grant: UpgradeGrant, slot: { docId: string }): void {
    const conn = new Connection(ws, socket, grant.account, grant.role, this.options, this.log, this.shared);
    this.connections.add(conn);
    let doc: LiveDocument | undefined;
    ws.on('close', () => {
      this.connections.delete(conn);
      this.unreserve(grant.account.id, slot);
      if (doc) {
        doc.removePeer(conn);
        this.documents.release(doc);
      }
    });
    this.documents
      .acquire(grant.meta)
      .then((live) => {
        doc = live;
        if (conn.closed) return this.documents.release(live);
        conn.attach(live);
      })
      .catch((err: unknown) => {
        this.log.error({ err, docId: grant.docId }, 'could not load document');
        conn.close(CLOSE_CODES.internalError, 'could not load the document');
      });
  }

  /** Runs `fn` on the live document (loading it for the moment if nobody has it open). */
  async withDocument<T>(meta: DocMeta, fn: (doc: LiveDocument) => T): Promise<T> {
    const doc = await this.documents.acquire(meta);
    try {
      const result = fn(doc);
      await doc.whenPersisted();
      return result;
    } finally {
      this.documents.release(doc);
    }
  }

  /** Closes a document's sockets (deleted, or its marking narrowed) with a 44xx code. */
  closeDocument(docId: string, code: number, reason: string, keep?: (conn: Connection) => boolean): void {
    for (const conn of this.connections) {
      if (conn.document?.id === docId && !(keep && keep(conn))) conn.close(code, reason);
    }
  }

  /**
   * An account's access to a workspace changed: its open document sockets there are closed, so no
   * socket keeps rights its owner lost. Removal closes with 4403 (no reconnect); a role change with
   * 4509, on which y-websocket reconnects and the upgrade check grants the new role.
   */
  closeAccount(workspaceId: string, accountId: string, code: number, reason: string): void {
    for (const conn of this.connections) {
      if (conn.account.id === accountId && conn.document?.meta.workspaceId === workspaceId) conn.close(code, reason);
    }
  }

  async close(reason = 'server restarting'): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.heartbeat.stop();
    this.relief.stop();
    for (const conn of this.connections) if (!conn.document) conn.close(CLOSE_CODES.serverRestarting, reason);
    await this.documents.closeAll(CLOSE_CODES.serverRestarting, reason);
    await this.updateLog.drain();
    this.updateLog.closeJournal();
    // Peers that never answer the close handshake must not hold shutdown.
    for (const conn of this.connections) conn.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.fanout?.close();
  }
}

/** Writes an HTTP error response on the raw upgrade socket and ends it; the websocket never opens. */
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code: status, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
