/**
 * Real Yjs clients for the document server: y-websocket's WebsocketProvider over the `ws` package,
 * with the session cookie sent on the upgrade (Node's ws sends no cookies by itself), raw sockets for
 * abuse tests, and a node started with shortened document-server timers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { expect } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import { startHuntroom } from '@huntroom/server';
import { DEMO_ACCOUNTS, GENEROUS_LIMITS, type TestServer } from './server.js';
import type { ApiClient } from './http.js';

type CollabOverrides = NonNullable<Parameters<typeof startHuntroom>[0]>['collab'];

/** Like startTestServer, with document-server options (short unload delay, small limits). */
export async function startCollabServer(collab: CollabOverrides = {}, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-collab-'));
  const node = await startHuntroom({
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...DEMO_ACCOUNTS, ...GENEROUS_LIMITS, ...env },
    collab: { unloadDelayMs: 200, ...collab },
  });
  return Object.assign(node, {
    dataDir,
    async stop() {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws') + '/yjs';

/** A `ws` WebSocket class that adds fixed headers (Cookie, Origin) to every connection it opens. */
export function webSocketWith(headers: Record<string, string>): typeof globalThis.WebSocket {
  const WithHeaders = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
  // y-websocket types its option as the DOM WebSocket; ws implements the part it uses.
  return WithHeaders as unknown as typeof globalThis.WebSocket;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  destroy(): void;
}

/** Connects a WebsocketProvider as the ApiClient's logged-in account (or with a ticket). */
export function connect(server: { url: string }, docId: string, as: ApiClient | { ticket: string }, doc = new Y.Doc()): Client {
  const headers: Record<string, string> = 'ticket' in as || !as.cookie ? {} : { cookie: as.cookie };
  const params: Record<string, string> = 'ticket' in as ? { ticket: as.ticket } : {};
  const provider = new WebsocketProvider(wsUrl(server.url), docId, doc, {
    WebSocketPolyfill: webSocketWith(headers),
    params,
    disableBc: true,
    maxBackoffTime: 300,
  });
  return {
    doc,
    provider,
    text: doc.getText('t'),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Waits for the first sync. Generous by default: on a loaded CI machine a node that has just
 * integrated a large update can take seconds to answer a new client, which is slow but not wrong. */
export function synced(client: Client, timeoutMs = 15_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    client.provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Retries `check` until it stops throwing (eventual delivery), or rethrows its last error. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }
}

/** Tries a raw upgrade; resolves with the HTTP status of a refusal, or 101 if the socket opened. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}

export interface RawSocket {
  ws: WebSocket;
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  messages: Uint8Array[];
}

/** A bare websocket to a document, for sending hand-made (or garbage) frames. */
export function rawSocket(server: { url: string }, docId: string, cookie: string | undefined): RawSocket {
  const ws = new WebSocket(`${wsUrl(server.url)}/${docId}`, { headers: cookie ? { cookie } : {} });
  const messages: Uint8Array[] = [];
  ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)));
  ws.on('error', () => undefined);
  return {
    ws,
    messages,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
    }),
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
}

/**
 * An awareness message (type 1) carrying `clientId`'s state at `clock`, as a hostile client would send
 * it. The clock must be newer than the victim's, or y-protocols would ignore it even unguarded.
 */
export function awarenessMessage(clientId: number, state: Record<string, unknown> | null, clock = 1_000): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const a = new Awareness(doc);
  a.setLocalState(state);
  a.meta.set(clientId, { clock, lastUpdated: Date.now() });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(a, [clientId]));
  a.destroy();
  return encoding.toUint8Array(e);
}

/**
 * An honest pair of clients in a room of their own, for the abuse suites: `p99()` makes 100 edits, each
 * waited for at the other client, and returns their p99 in ms; `written` is everything it typed, which a
 * fresh client of the room must load.
 */
export function bystanders(writer: Client, reader: Client): { p99(): Promise<number>; readonly written: string } {
  let written = '';
  return {
    get written() {
      return written;
    },
    async p99() {
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const marker = `[${written.length}]`;
        const t = performance.now();
        writer.text.insert(writer.text.length, marker);
        written += marker;
        await eventually(() => expect(reader.text.toString().endsWith(marker)).toBe(true), 5_000, 1);
        times.push(performance.now() - t);
      }
      // p99 of 100 samples is the second largest: one pause of this test process (GC, a socket closing
      // after a flood) is not the server's latency, two are.
      return times.sort((a, b) => a - b)[98]!;
    },
  };
}
