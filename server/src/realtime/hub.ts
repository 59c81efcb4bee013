/**
 * The record plane's socket.io server. Sockets authenticate at the handshake from the session cookie
 * (or a personal access token in `auth.token` for scripts), with the Origin checked, and join one room
 * per workspace they are a member of. Domains emit through `toWorkspace` only after their transaction
 * has committed. Each socket also joins its team's room in the workspace (`ws:<id>:team:<teamId>`), so
 * marked records are emitted once per team that may see them (`toTeam`), which works across nodes.
 * Domains add their socket handlers in realtime/sockets.ts. With REDIS_URL the socket.io Redis
 * adapter carries rooms across nodes (cluster issue).
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Redis } from 'ioredis';
import { closeRedis } from '../collab/redisFanout.js';
import { loadIoRedis, loadRedisAdapter } from '../collab/redisModules.js';
import type { Account, Ack, ClientToServerEvents, ServerToClientEvents } from '@huntroom/shared';
import * as z from 'zod';
import type { AppContext } from '../context.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Db } from '../storage/db.js';
import { readSessionCookie } from '../auth/cookies.js';
import { fromBearer, fromSessionCookie } from '../auth/service.js';
import type { AuthContext } from '../auth/context.js';
import { isAllowedOrigin } from '../http/origin.js';
import { workspaceStore } from '../workspaces/store.js';
import { AppError } from '../http/errors.js';
import { LIMITS } from '@huntroom/shared';
import { DOMAIN_SOCKETS } from './sockets.js';

interface SocketData {
  account: Account;
  /** The login session or access token the socket was opened with; ending it closes the socket. */
  credential: string;
}
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Accounts that lost a workspace: every node closes their document sockets there. */
export interface AccessClosed {
  workspaceId: string;
  accountIds: string[];
  code: number;
  reason: string;
}
/** Between nodes, through the adapter (socket.io's server-side emit). */
interface ServerSideEvents {
  'access:closed': (e: AccessClosed) => void;
}
type EventArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

export const workspaceRoom = (id: string) => `ws:${id}`;
const accountRoom = (id: string) => `account:${id}`;
const credentialRoom = (kind: 'session' | 'token', id: string) => `credential:${kind}:${id}`;
const teamRoom = (workspaceId: string, teamId: string) => `ws:${workspaceId}:team:${teamId}`;
const joinSchema = z.object({ workspaceId: z.string().min(1).max(64) });

export class RealtimeHub {
  private redis: Redis[] = [];
  private io: Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData> | undefined;
  private accessClosedHandlers: ((e: AccessClosed) => void)[] = [];

  /** Attaches socket.io to the HTTP server at /socket.io. */
  attach(http: HttpServer, ctx: Pick<AppContext, 'db' | 'config' | 'log'> & Partial<Pick<AppContext, 'collab' | 'federation'>>): void {
    const { config, log } = ctx;
    this.io = new Server(http, {
      maxHttpBufferSize: LIMITS.jsonBodyBytes,
      allowRequest: (req, cb) => cb(null, isAllowedOrigin(req.headers.origin, req.headers.host, config)),
      cors: undefined,
    });
    if (config.redisUrl) this.useRedis(config.redisUrl, config.redisPrefix, log);
    this.io.on('access:closed', (e) => this.runAccessClosed(e));
    this.io.use((socket, next) => {
      authenticateSocket(ctx, socket)
        .then((auth) => {
          if (!auth) return next(new Error('unauthenticated'));
          socket.data.account = auth.account;
          socket.data.credential = auth.via === 'session' ? credentialRoom('session', auth.sessionIdHash!) : credentialRoom('token', auth.tokenId!);
          next();
        })
        .catch((err: unknown) => next(err instanceof Error ? err : new Error('unauthenticated')));
    });
    this.io.on('connection', (socket) => {
      this.onConnection(ctx.db, log, config, socket);
      // With the federation bus: socket commands cross a link (records border, forwarded commands) as REST ones do.
      for (const register of DOMAIN_SOCKETS) register({ db: ctx.db, log: ctx.log, realtime: this, collab: ctx.collab, federation: ctx.federation }, socket);
    });
  }

  private onConnection(db: Db, log: Logger, _config: Config, socket: HubSocket): void {
    const account = socket.data.account;
    void socket.join(accountRoom(account.id));
    void socket.join(socket.data.credential);
    socket.on('error', (err) => log.warn({ err, socketId: socket.id }, 'socket error'));
    socket.on('workspace:join', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = joinSchema.safeParse(payload);
      if (!parsed.success) return reply(fail(new AppError('validation_failed', 'workspaceId is required')));
      workspaceStore
        .roleOf(db, parsed.data.workspaceId, account.id)
        .then(async (role) => {
          // Same answer for "no such workspace" and "not a member": no hint that it exists.
          if (!role) return reply(fail(new AppError('not_found', 'workspace not found')));
          await socket.join([workspaceRoom(parsed.data.workspaceId), teamRoom(parsed.data.workspaceId, account.team.id)]);
          reply({ ok: true });
        })
        .catch((err: unknown) => {
          log.error({ err, socketId: socket.id }, 'workspace:join failed');
          reply(fail(new AppError('internal', 'could not join the workspace')));
        });
    });
    socket.on('workspace:leave', (payload, ack) => {
      const parsed = joinSchema.safeParse(payload);
      if (parsed.success) {
        void socket.leave(workspaceRoom(parsed.data.workspaceId));
        void socket.leave(teamRoom(parsed.data.workspaceId, account.team.id));
      }
      if (typeof ack === 'function') ack({ ok: true });
    });
  }

  toWorkspace<E extends keyof ServerToClientEvents>(workspaceId: string, event: E, ...args: EventArgs<E>): void {
    this.io?.to(workspaceRoom(workspaceId)).emit(event, ...args);
  }

  /** Emits to the sockets of one team in a workspace: for marked records, after a `canSee` check. */
  toTeam<E extends keyof ServerToClientEvents>(workspaceId: string, teamId: string, event: E, ...args: EventArgs<E>): void {
    this.io?.to(teamRoom(workspaceId, teamId)).emit(event, ...args);
  }

  /**
   * A member lost access: their sockets leave the workspace room and their team's room at once (on
   * every node, through the adapter), and are told so.
   */
  revokeAccount(workspaceId: string, accountId: string, teamId: string): void {
    if (!this.io) return;
    this.io.in(accountRoom(accountId)).socketsLeave([workspaceRoom(workspaceId), teamRoom(workspaceId, teamId)]);
    this.io.to(accountRoom(accountId)).emit('workspace:revoked', { workspaceId });
  }

  /** Registers what this node does when accounts lose a workspace (app.ts: close their document sockets). */
  onAccessClosed(handler: (e: AccessClosed) => void): void {
    this.accessClosedHandlers.push(handler);
  }

  /**
   * Accounts lost a workspace: this node acts at once, and every other node through the adapter, so a
   * document socket open on another node closes as fast as one open here.
   */
  closeAccessEverywhere(e: AccessClosed): void {
    this.runAccessClosed(e);
    // Only the Redis adapter carries it to other nodes; a single node has no one else to tell.
    if (this.redis.length > 0) this.io?.serverSideEmit('access:closed', e);
  }

  private runAccessClosed(e: AccessClosed): void {
    for (const handler of this.accessClosedHandlers) handler(e);
  }

  /** Emits to a room a domain manages itself (a handoff session's attendees). */
  toRoom<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: EventArgs<E>): void {
    this.io?.to(room).emit(event, ...args);
  }

  /** The accounts in a room, on every node, each once. */
  async accountsIn(room: string): Promise<Account[]> {
    if (!this.io) return [];
    const byId = new Map<string, Account>();
    for (const s of await this.io.in(room).fetchSockets()) byId.set(s.data.account.id, s.data.account);
    return [...byId.values()];
  }

  /** Every socket leaves the room, on every node. */
  emptyRoom(room: string): void {
    this.io?.in(room).socketsLeave(room);
  }

  /** A login session ended (logout) or a token was revoked: the sockets opened with it are closed. */
  endCredential(kind: 'session' | 'token', id: string): void {
    this.io?.in(credentialRoom(kind, id)).disconnectSockets(true);
  }

  /** Tells every client the server is going away, so they reconnect rather than show an error. */
  /**
   * Rooms across nodes: emits, socketsLeave and disconnectSockets reach sockets on every node. While
   * Redis is down each node keeps serving its own sockets; clients that missed events catch up with
   * `sync {sinceSeq}` on their next reconnect, since the event log is in the shared database.
   */
  private useRedis(url: string, prefix: string, log: Logger): void {
    const { Redis } = loadIoRedis();
    const { createAdapter } = loadRedisAdapter();
    const pub = new Redis(url, { retryStrategy: (n) => Math.min(n * 200, 2_000) });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err: Error) => log.debug({ err }, 'socket.io redis adapter error'));
    this.redis = [pub, sub];
    this.io!.adapter(createAdapter(pub, sub, { key: `${prefix}:sio` }));
  }

  async close(reason: string): Promise<void> {
    if (!this.io) return;
    this.io.emit('server:restarting', { reason });
    // Resolves once the HTTP server has closed, as its callback would.
    await this.io.close();
    await Promise.all(this.redis.map(closeRedis));
  }
}

async function authenticateSocket(ctx: Pick<AppContext, 'db' | 'config' | 'log'>, socket: HubSocket): Promise<AuthContext | undefined> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string') return fromBearer(ctx, token);
  const cookie = readSessionCookie(socket.handshake.headers.cookie);
  return cookie ? fromSessionCookie(ctx, cookie) : undefined;
}

const fail = (err: AppError): Ack => ({ ok: false, error: err.toBody() });
