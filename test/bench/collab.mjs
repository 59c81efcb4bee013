#!/usr/bin/env node
// Document-server numbers for the notes issue: update latency between two local clients through the
// server (p50/p95/p99 of 300 edits), and the server's memory per open document (500 notes, each with
// one client and ~1 KB of text), read from the server process's RSS. Run after building the server:
// `node test/bench/collab.mjs`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

const app = fileURLToPath(new URL('../../server/dist/app.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-collab-'));
const DOCS = 500;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The server in its own process, so its RSS is its own; per-account limits raised for the 500 documents.
const child = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `
  import { startHuntroom } from ${JSON.stringify(app)};
  const n = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: ${JSON.stringify(dataDir)}, LOG_LEVEL: 'silent' },
    collab: { maxDocumentsPerAccount: 5000, maxConnectionsPerAccount: 5000, unloadDelayMs: 1000, updatesPerSecond: 1000, updateBurst: 5000 } });
  console.log('URL ' + n.url);`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve) =>
  child.stdout.on('data', (d) => {
    const m = /URL (\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  }),
);
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

async function login(username) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'huntroom-demo' }),
  });
  const body = await res.json();
  return { cookie: res.headers.getSetCookie()[0].split(';')[0], csrf: body.csrfToken };
}
const alice = await login('alice');
const ben = await login('ben');
const workspaceId = (await (await fetch(`${url}/api/workspaces`, { headers: { cookie: alice.cookie } })).json()).workspaces[0].id;
const createNote = async (title) =>
  (
    await (
      await fetch(`${url}/api/workspaces/${workspaceId}/notes`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      })
    ).json()
  ).docId;
const polyfill = (cookie) =>
  class extends WebSocket {
    constructor(a, p) {
      super(a, p, { headers: { cookie } });
    }
  };
const connect = (docId, who) => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace('http', 'ws')}/yjs`, docId, doc, { WebSocketPolyfill: polyfill(who.cookie), disableBc: true });
  return { doc, provider, synced: new Promise((r) => provider.once('sync', r)) };
};

// Latency: alice writes, ben's client sees it; timestamps from one clock (same process).
const latDoc = await createNote('latency');
const a = connect(latDoc, alice);
const b = connect(latDoc, ben);
await Promise.all([a.synced, b.synced]);
const lat = [];
b.doc.getMap('lat').observe((e) => {
  for (const k of e.keysChanged) lat.push(performance.now() - b.doc.getMap('lat').get(k));
});
for (let i = 0; i < 300; i++) {
  a.doc.getMap('lat').set(String(i), performance.now());
  await sleep(20);
}
await sleep(500);
a.provider.destroy();
b.provider.destroy();
console.log(
  `| update latency, two local clients through the server (${lat.length} edits) | p50 ${pct(lat, 50).toFixed(2)} ms | p95 ${pct(lat, 95).toFixed(2)} ms | p99 ${pct(lat, 99).toFixed(2)} ms | max ${Math.max(...lat).toFixed(2)} ms |`,
);

// Memory per open document.
await sleep(1500);
const base = rssMiB();
const ids = [];
for (let i = 0; i < DOCS; i++) ids.push(await createNote(`mem ${i}`));
const afterCreate = rssMiB();
const clients = ids.map((id) => connect(id, alice));
await Promise.all(clients.map((c) => c.synced));
for (const c of clients) c.doc.getText('default').insert(0, 'x'.repeat(1000));
await sleep(3000);
const open = rssMiB();
for (const c of clients) c.provider.destroy();
await sleep(6000);
const closed = rssMiB();
const health = await (await fetch(`${url}/healthz`)).json();
console.log(
  `| server RSS | before ${base.toFixed(1)} MiB | ${DOCS} notes created ${afterCreate.toFixed(1)} MiB | ${DOCS} open with 1 KB each ${open.toFixed(1)} MiB | 6 s after all closed ${closed.toFixed(1)} MiB |`,
);
console.log(`| documents in server memory 6 s after the last client left (unload delay 1 s) | ${health.openDocuments} (healthz) |`);
console.log(`| memory per open document (one client, ~1 KB text) | ${(((open - afterCreate) * 1024) / DOCS).toFixed(1)} KiB |`);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
