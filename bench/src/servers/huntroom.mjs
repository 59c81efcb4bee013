/**
 * Huntroom (server/dist/app.js, built first) as a real deployment sees it: documents are notes
 * created over REST by a logged-in demo user, and every socket authenticates with a ticket from
 * `POST /api/docs/:docId/ticket` (session cookie + x-csrf-token) passed as `?ticket=` on the upgrade.
 * Every update is stored in SQLite before it is relayed, as in production.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawnPinned } from './spawn.mjs';
import { pool, sleep } from '../stats.mjs';

const require = createRequire(import.meta.url);
// The server's own SQLite driver, to put a document's content where a load reads it (storeDocument).
const Database = createRequire(require.resolve('@huntroom/server'))('better-sqlite3');
const version = JSON.parse(readFileSync(join(require.resolve('@huntroom/server'), '..', '..', 'package.json'), 'utf8')).version;

async function json(res) {
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

// BENCH_HUNTROOM_APP: measure another build's app.js as "huntroom" (default: server/dist), e.g. a build of
// one change alone while the shared working tree holds others' unfinished work.
export default huntroomServer({ id: 'huntroom', label: 'Huntroom', app: process.env.BENCH_HUNTROOM_APP });

/**
 * Huntroom from another build too: `app` is the path of that build's app.js (BENCH_HUNTROOM_BEFORE,
 * servers/index.mjs), so a change is measured against the code before it in the same run.
 */
export function huntroomServer({ id, label, app }) {
  return {
    id,
    label,
    version,
    /** `env` adds server settings (DATABASE_URL, REDIS_URL, ... for the two-node scenario). */
    async start({ unloadDelayMs, env = {} } = {}) {
      const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-'));
      const proc = await spawnPinned([fileURLToPath(new URL('./huntroom-main.mjs', import.meta.url))], {
        env: { BENCH_DATA_DIR: dataDir, ...(unloadDelayMs ? { BENCH_UNLOAD_DELAY_MS: String(unloadDelayMs) } : {}), ...(app ? { BENCH_HUNTROOM_APP: app } : {}), ...env },
        ready: /READY (\S+)/,
      });
      const url = proc.match[1];
      const wsBase = url.replace(/^http/, 'ws');

      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'huntroom-demo' }),
      });
      const { csrfToken } = await json(login.clone());
      const auth = { cookie: login.headers.getSetCookie()[0].split(';')[0], 'x-csrf-token': csrfToken };
      const workspaceId = (await json(await fetch(`${url}/api/workspaces`, { headers: auth }))).workspaces[0].id;
      const post = async (path, body) =>
        json(await fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }));

      /** A ticket for `target`'s document as another demo user of the workspace (the cold-load uploader). */
      const ticketAs = async (target, username) => {
        const res = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'huntroom-demo' }),
        });
        const { csrfToken: token } = await json(res.clone());
        const headers = { cookie: res.headers.getSetCookie()[0].split(';')[0], 'x-csrf-token': token, 'content-type': 'application/json' };
        const { ticket } = await json(await fetch(`${url}/api/docs/${target.name}/ticket`, { method: 'POST', headers, body: '{}' }));
        return { ...target, url: `${wsBase}/yjs/${target.name}?ticket=${encodeURIComponent(ticket)}` };
      };

      let counter = 0;
      return {
        ...proc,
        wsBase,
        /**
         * The same document as another user (ben, CA, a hunter in the demo workspace): every other socket
         * of the bench is alice's, and what one account's sockets may cost together is capped
         * (accountBudget.ts), so an upload cut off for its cost must not take the other rooms' writers
         * with it.
         */
        asOtherUser: (target) => ticketAs(target, 'ben'),
        /** The same document through this node (a target from another node of the same cluster). */
        sameDocHere(target) {
          return { ...target, url: wsBase + target.url.slice(target.url.indexOf('/yjs/')) };
        },
        /** Creates `n` notes and one ticket each; the ticket is reusable by every socket of that room (huntroom-main.mjs turns single-use tickets off for this). */
        async docs(n) {
          return pool(Array.from({ length: n }), 8, async () => {
            const { docId } = await post(`/api/workspaces/${workspaceId}/notes`, { title: `bench ${++counter}` });
            const { ticket } = await post(`/api/docs/${docId}/ticket`);
            return { url: `${wsBase}/yjs/${docId}?ticket=${encodeURIComponent(ticket)}`, name: docId, dialect: 'y-websocket' };
          });
        },
        /**
         * Stores Yjs updates as a document's log rows, as if its clients had sent them, straight into the
         * node's SQLite file: a large note (the reconnect scenario's) arrives without passing the
         * per-account CPU budget that an upload over the socket would spend. Only while no socket has
         * the document open (it is loaded from these rows by its first socket).
         */
        storeDocument(target, updates) {
          const db = new Database(join(dataDir, 'huntroom.sqlite'));
          try {
            db.pragma('busy_timeout = 5000');
            const insert = db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
            db.transaction(() => updates.forEach((u) => insert.run(target.name, Buffer.from(u.buffer, u.byteOffset, u.byteLength))))();
          } finally {
            db.close();
          }
        },
        /** Waits until no document is in memory (all unloaded to storage); true when that happened. */
        async waitUnloaded(timeoutMs = 60_000) {
          const until = performance.now() + timeoutMs;
          while (performance.now() < until) {
            const health = await json(await fetch(`${url}/healthz`));
            if (health.openDocuments === 0) return true;
            await sleep(250);
          }
          return false;
        },
        async openDocuments() {
          return (await json(await fetch(`${url}/healthz`))).openDocuments;
        },
        async stop() {
          await proc.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}
