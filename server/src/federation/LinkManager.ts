/**
 * Keeps this instance's links up (docs/federation.md section 4): accepts peers at FEDERATION_PATH, dials
 * the active links it is the dialer for (its name sorts first), redials with backoff, and drops a session
 * at once when the operator suspends, removes or rotates its link, or rotates this instance's own key. The operator's CLI writes the links
 * table from another process, so the table is read again every `pollMs`. Each connection and failure is
 * written on the link's row, which is what `federation link list` shows.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import { nowIso } from '../util.js';
import { FEDERATION_PATH, LINK_CLOSE, MAX_FRAME_BYTES } from './protocol.js';
import { acceptLink, dialLink, LinkRefused, type LinkSession } from './session.js';
import { federationStore, type Link } from './store.js';
import type { FederationBus } from './channel.js';
import { LinkLeases } from './lease.js';

export interface LinkManagerOptions {
  /** How often the links table is read again (operator changes made with the CLI). */
  pollMs: number;
  /** First and longest wait before dialing a peer again after a failure. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Pings keep the session alive through proxies and find a dead peer. */
  pingMs: number;
  /**
   * Sockets still in the handshake at once. Anyone may open one (the peer proves itself only inside it),
   * so an unauthenticated flood is refused with 503 past this instead of holding memory for each.
   */
  maxPendingHandshakes: number;
  /** Cluster mode: how long a node's hold on a link lasts without renewal (lease.ts). */
  leaseMs: number;
}

const DEFAULTS: LinkManagerOptions = { pollMs: 2_000, retryMinMs: 500, retryMaxMs: 30_000, pingMs: 15_000, maxPendingHandshakes: 16, leaseMs: 10_000 };

interface Live {
  session: LinkSession;
  since: string;
  alive: boolean;
}

export class LinkManager {
  private readonly options: LinkManagerOptions;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly live = new Map<string, Live>();
  private readonly dialing = new Set<string>();
  private readonly retry = new Map<string, { at: number; waitMs: number }>();
  private readonly lastRecorded = new Map<string, string | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private closed = false;
  private pendingHandshakes = 0;
  /** This instance's public key at the last poll: a change (`federation identity rotate`) ends every session. */
  private identityKey: string | undefined;
  private readonly leases: LinkLeases;

  constructor(
    private readonly deps: { db: Db; log: Logger; bus: FederationBus },
    options: Partial<LinkManagerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.leases = new LinkLeases(deps.db, this.options.leaseMs);
    this.wss.on('error', (err) => this.deps.log.warn({ err }, 'federation server error'));
  }

  attach(http: HttpServer): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url !== FEDERATION_PATH) return;
      socket.on('error', () => undefined);
      if (this.closed) return void socket.destroy();
      if (this.pendingHandshakes >= this.options.maxPendingHandshakes) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // Counted once the socket is open: a malformed upgrade that ws refuses never reaches the callback.
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.pendingHandshakes++;
        void this.accept(ws).finally(() => this.pendingHandshakes--);
      });
    });
    const tick = () => {
      this.timer = setTimeout(() => void this.poll().finally(() => !this.closed && tick()), this.options.pollMs);
      this.timer.unref();
    };
    void this.poll().finally(() => !this.closed && tick());
    this.pinger = setInterval(() => this.ping(), this.options.pingMs);
    this.pinger.unref();
  }

  /** Which links are up on this node right now. */
  connected(): string[] {
    return [...this.live.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    for (const { session } of this.live.values()) session.ws.close(LINK_CLOSE.goingAway, 'instance stopping');
    this.live.clear();
    this.deps.bus.close();
    await this.leases.releaseAll().catch((err: unknown) => this.deps.log.warn({ err }, 'federation: could not release link leases'));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async accept(ws: WebSocket): Promise<void> {
    try {
      const session = await acceptLink(ws, this.deps.db);
      // Cluster mode: another node of this instance may hold the link; the peer dials again (and may reach it).
      if (!(await this.leases.hold(session.link.name))) {
        session.take();
        session.ws.close(LINK_CLOSE.elsewhere, 'another node of this instance holds the link');
        return;
      }
      this.adopt(session);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'federation: refused a peer');
      // Recorded on the link the peer named, if there is one: an operator sees why its peer cannot connect.
      if (err instanceof LinkRefused && err.peer !== undefined) await this.record(err.peer, `refused ${err.peer}: ${err.message}`);
    }
  }

  private adopt(session: LinkSession): void {
    const name = session.link.name;
    if (this.closed) {
      session.take();
      return void session.ws.close(LINK_CLOSE.goingAway, 'instance stopping');
    }
    // A peer that reconnects before we saw its old socket die: the new session wins.
    this.live.get(name)?.session.ws.close(LINK_CLOSE.linkChanged, 'replaced by a newer session');
    const entry: Live = { session, since: nowIso(), alive: true };
    this.live.set(name, entry);
    this.retry.delete(name);
    session.ws.on('pong', () => (entry.alive = true));
    session.ws.on('close', (code: number, reason: Buffer) => {
      if (this.live.get(name) === entry) this.live.delete(name);
      if (!this.closed) void this.record(name, `closed (${code}${reason.length ? `: ${reason.toString()}` : ''})`);
    });
    // What rides the session from now on (messages, requests, signals): channel.ts.
    this.deps.bus.attach(session.link, session.ws, session.take());
    this.deps.log.info({ link: name }, 'federation: link up');
    void this.record(name);
  }

  /**
   * Writes the link's last connection (no error) or its last failure. A failure equal to the last one
   * written is not written again: unauthenticated dialers naming a real link must not cost a write each.
   */
  private async record(name: string, error?: string): Promise<void> {
    if (error !== undefined && this.lastRecorded.get(name) === error) return;
    this.lastRecorded.set(name, error);
    try {
      if (error === undefined) await this.deps.db.run('UPDATE federation_links SET last_connected_at = ?, last_error = NULL WHERE name = ?', [nowIso(), name]);
      else await this.deps.db.run('UPDATE federation_links SET last_error = ? WHERE name = ?', [error.slice(0, 300), name]);
    } catch (err) {
      this.deps.log.warn({ err }, 'federation: could not record link state');
    }
  }

  private ping(): void {
    for (const entry of this.live.values()) {
      if (!entry.alive) entry.session.ws.terminate();
      else {
        entry.alive = false;
        entry.session.ws.ping();
      }
    }
  }

  private async poll(): Promise<void> {
    let me;
    let links: Link[];
    try {
      me = await federationStore.identity(this.deps.db);
      links = await federationStore.links(this.deps.db);
    } catch (err) {
      return this.deps.log.warn({ err }, 'federation: cannot read links');
    }
    const byName = new Map(links.map((l) => [l.name, l]));
    // Sessions proven with the old key must not outlive a rotation: the key may be the thief's too.
    const rotated = this.identityKey !== undefined && me?.publicKey !== this.identityKey;
    this.identityKey = me?.publicKey;
    for (const [name, { session }] of this.live) {
      const now = byName.get(name);
      const why = rotated
        ? "this instance's key was rotated"
        : !now
          ? 'link removed'
          : now.state !== 'active'
            ? 'link suspended'
            : now.publicKey !== session.link.publicKey || now.url !== session.link.url
              ? 'link changed'
              : undefined;
      if (why) {
        session.ws.close(LINK_CLOSE.linkChanged, why);
        await this.leases.release(name).catch(() => undefined);
      } else if (!(await this.leases.hold(name).catch(() => false))) session.ws.close(LINK_CLOSE.elsewhere, 'another node of this instance took the link over');
    }
    if (!me) return;
    for (const link of links) {
      if (link.state !== 'active' || me.name > link.name || this.live.has(link.name) || this.dialing.has(link.name)) continue;
      const wait = this.retry.get(link.name);
      if (wait && Date.now() < wait.at) continue;
      if (!(await this.leases.hold(link.name).catch(() => false))) continue;
      if (this.closed || this.live.has(link.name) || this.dialing.has(link.name)) continue;
      this.dialing.add(link.name);
      void dialLink(link, me)
        .then((session) => this.adopt(session))
        .catch((err: unknown) => {
          const waitMs = Math.min(this.options.retryMaxMs, (wait?.waitMs ?? this.options.retryMinMs / 2) * 2);
          this.retry.set(link.name, { at: Date.now() + waitMs, waitMs });
          void this.record(link.name, err instanceof LinkRefused || err instanceof Error ? err.message : String(err));
        })
        .finally(() => this.dialing.delete(link.name));
    }
  }
}
