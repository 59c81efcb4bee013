/**
 * What the federation suites look at on each instance: every byte it stored (for the leak searches),
 * a document's text as stored, row counts, and a y-websocket client that keeps every frame its socket
 * received (the leak search over what a user's browser would have been sent).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Huntroom } from '@huntroom/server';
import type { ApiClient } from './http.js';
import { webSocketWith, wsUrl, type Client } from './yjs.js';

/** Every byte of the node's data directory (database, WAL, documents), after a WAL checkpoint. */
export async function dataBytes(node: Huntroom & { dataDir: string }): Promise<Buffer> {
  await node.ctx.db.all('PRAGMA wal_checkpoint(TRUNCATE)');
  const parts: Buffer[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(node.dataDir);
  return Buffer.concat(parts);
}

/** A document as stored in `node`'s database (snapshot and log folded), read with `read`. */
export async function storedDoc<T>(node: Huntroom, docId: string, read: (doc: Y.Doc) => T): Promise<T> {
  const snap = await node.ctx.db.get<{ data: Uint8Array }>('SELECT data FROM doc_snapshots WHERE doc_id = ?', [docId]);
  const rows = await node.ctx.db.all<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY id', [docId]);
  const doc = new Y.Doc();
  for (const r of [...(snap ? [snap] : []), ...rows]) Y.applyUpdate(doc, new Uint8Array(r.data));
  const out = read(doc);
  doc.destroy();
  return out;
}

/** The text (Y.Text `t`, as the suites' clients write it) of a document as stored in `node`'s database. */
export const storedText = (node: Huntroom, docId: string): Promise<string> => storedDoc(node, docId, (d) => d.getText('t').toString());

/** A COUNT(*) query's answer as a number. */
export const count = async (node: Huntroom, sql: string, params: string[]): Promise<number> => Number((await node.ctx.db.get<{ n: number }>(sql, params))?.n ?? 0);

/** A y-websocket client that also keeps every frame its socket received (for the leak search). */
export function recordingClient(server: { url: string }, docId: string, as: ApiClient): Client & { frames: Buffer[] } {
  const frames: Buffer[] = [];
  const Base = webSocketWith(as.cookie ? { cookie: as.cookie } : {}) as unknown as new (
    url: string,
    protocols?: string | string[],
  ) => {
    on(event: 'message', fn: (data: Buffer) => void): void;
  };
  const Recording = class extends Base {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => frames.push(Buffer.from(data)));
    }
  };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl(server.url), docId, doc, {
    WebSocketPolyfill: Recording as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  return {
    doc,
    provider,
    text: doc.getText('t'),
    frames,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
