/**
 * Real socket.io clients for the indicator integration suites: logged in through the API, the
 * session cookie sent at the handshake, every raw frame kept so a test can prove a value never
 * arrived. Also a retrying wait for eventual delivery.
 */
import { approvedInvite } from '../helpers/foundation.js';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { CommandAck, RecordEvent } from '@huntroom/shared';
import { ApiClient, loginAs } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export interface Client {
  api: ApiClient;
  socket: Socket;
  /** Every engine.io frame received, as text, in order. */
  raw: string[];
  /** Record-plane events received (batches flattened), in order. */
  events: RecordEvent[];
  cmd<T = any>(type: string, payload: Record<string, unknown>, id?: string): Promise<CommandAck<T>>;
  close(): void;
}

export async function connect(baseUrl: string, api: ApiClient, workspaceId: string): Promise<Client> {
  const socket = io(baseUrl, { transports: ['websocket'], extraHeaders: { cookie: api.cookie! }, forceNew: true, reconnection: false });
  const raw: string[] = [];
  const events: RecordEvent[] = [];
  socket.io.on('open', () => socket.io.engine.on('data', (d: unknown) => raw.push(typeof d === 'string' ? d : Buffer.from(d as ArrayBuffer).toString())));
  socket.onAny((name: string, e: any) => {
    if (name === 'record:batch') events.push(...(e.events as RecordEvent[]));
    else if (e && typeof e.seq === 'number') events.push(e as RecordEvent);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const joined = await socket.emitWithAck('workspace:join', { workspaceId });
  if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined)}`);
  return {
    api,
    socket,
    raw,
    events,
    cmd: (type, payload, id = randomUUID()) => socket.timeout(60_000).emitWithAck(type, { id, type, payload: { workspaceId, ...payload } }),
    close: () => void socket.disconnect(),
  };
}

export const login = (baseUrl: string, username: string) => loginAs(baseUrl, username);

/** An observer of the LV team, made through a real invite. */
export async function observer(baseUrl: string, owner: ApiClient, workspaceId: string, username = 'olga'): Promise<ApiClient> {
  const invite = { body: await approvedInvite(owner, workspaceId, { role: 'observer', team: 'LV', expiresInHours: 1 }) };
  const guest = new ApiClient(baseUrl);
  const accepted = await guest.post(`/api/invites/${invite.body.token}/accept`, { username, password: 'observer-password-1', displayName: username });
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return guest;
}

/** Retries `check` until it stops throwing, for deliveries that arrive a moment later. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Waits a little so that anything wrongly sent would have arrived before a negative assertion. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

export interface TwoTeams {
  server: TestServer;
  ws: string;
  alice: Client;
  ben: Client;
  stop(): Promise<void>;
}

/** A fresh node with alice (US) and ben (CA) connected to the demo workspace. */
export async function startTwoTeams(): Promise<TwoTeams> {
  const server = await startTestServer();
  const ws = server.demo!.workspaceId;
  const alice = await connect(server.url, await login(server.url, 'alice'), ws);
  const ben = await connect(server.url, await login(server.url, 'ben'), ws);
  return {
    server,
    ws,
    alice,
    ben,
    async stop() {
      alice.close();
      ben.close();
      await server.stop();
    },
  };
}
