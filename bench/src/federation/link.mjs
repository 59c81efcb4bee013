/**
 * Federation bench (issue 20 item 8, docs/federation.md "Measured"): two instances, us-cert and lv-cert,
 * each `node server/dist/main.js` in its own process with its own port and data directory, made, linked
 * and sharing one workspace through the operator's CLI functions (run from this process on each
 * instance's SQLite, as an operator's `npm run cli` would).
 *
 * 1. Documents: a note in the shared workspace (releasable to US and LV). One real Y.Doc writer on
 *    us-cert sends EDITS edits at RATE per second, each with a marker (writer.mjs, markers.mjs); thin
 *    receivers (thin.mjs) on us-cert (the local path) and on lv-cert (across the link) timestamp each
 *    marker's first arrival. Prints p50/p99/max of both and the added latency (target: p99 across the
 *    link <= local p99 + 50 ms on loopback).
 * 2. Records: alice creates INDICATORS indicators on us-cert at IND_RATE per second over REST; socket.io
 *    clients on us-cert and lv-cert time `indicator:created` from the request's start. p50/p99/max.
 * 3. First sync: FIRST_SYNC indicators made on us-cert in a second workspace (bulk route), then offered
 *    and accepted; the time from the acceptance until lv-cert's database holds them all (row count), and
 *    the slowest /healthz and indicator write on us-cert meanwhile (what the baseline costs the home).
 *
 *   node src/federation/link.mjs [edits=400] [rate=20] [receivers=10] [indicators=200] [indRate=10] [firstSync=10000]
 *
 * Build first (server/dist). The machine's load is printed: compare runs of the same load only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Writer, driveEdits } from '../writer.mjs';
import { ThinClient, connectAll } from '../thin.mjs';
import { percentile, sleep } from '../stats.mjs';

const SERVER_DIST = fileURLToPath(new URL('../../../server/dist/', import.meta.url));
const { runCommand } = await import(`${SERVER_DIST}cli/commands.js`);
const { openStorage } = await import(`${SERVER_DIST}storage/open.js`);
// socket.io-client is a dependency of the test and client packages; the bench borrows the test package's.
const { io } = createRequire(fileURLToPath(new URL('../../../test/package.json', import.meta.url)))('socket.io-client');

const [EDITS = 400, RATE = 20, RECEIVERS = 10, INDICATORS = 200, IND_RATE = 10, FIRST_SYNC = 10_000] = process.argv.slice(2).map(Number);
const PASSWORD = 'federation-bench-pass';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const fmt = (xs) => {
  if (!xs.length) return 'none';
  return `n=${xs.length} p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
};

async function until(what, check, timeoutMs = 120_000, stepMs = 50) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** An instance: its data directory prepared with the CLI, then its server process. */
async function prepare(name, team, users) {
  const dataDir = mkdtempSync(join(tmpdir(), `huntroom-fedbench-${name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const db = await openStorage({ dataDir });
  const cli = (...argv) => runCommand(db, argv, { stdin: Readable.from([]), stdout: new PassThrough() });
  await cli('team', 'add', '--code', team, '--name', `Team ${team}`);
  for (const u of users)
    await runCommand(db, ['user', 'add', '--username', u, '--team', team, '--password-stdin'], { stdin: Readable.from([`${PASSWORD}\n`]), stdout: new PassThrough() });
  const { publicKey } = JSON.parse(await cli('federation', 'identity', '--name', name, '--url', url));
  return { name, team, dataDir, port, url, db, cli, publicKey };
}

function start(node) {
  const child = spawn(process.execPath, [`${SERVER_DIST}main.js`], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(node.port),
      HOST: '127.0.0.1',
      DATA_DIR: node.dataDir,
      LOG_LEVEL: 'warn',
      HUNTROOM_DEMO: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  node.child = child;
  node.output = () => out;
  node.exited = new Promise((resolve) => child.on('exit', resolve));
  return until(`${node.name} to answer`, async () => {
    if (child.exitCode !== null) throw new Error(`${node.name} exited: ${out}`);
    try {
      return (await fetch(`${node.url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
}

async function login(node, username) {
  const res = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}@${node.name}: HTTP ${res.status} ${await res.text()}`);
  const { csrfToken } = await res.json();
  const cookie = res.headers.getSetCookie()[0].split(';')[0];
  const headers = { cookie, 'x-csrf-token': csrfToken };
  const call = async (method, path, body) => {
    const r = await fetch(`${node.url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} on ${node.name}: HTTP ${r.status} ${text}`);
    return JSON.parse(text);
  };
  return { cookie, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
}

/** A document target for thin.mjs/writer.mjs, with a ticket of its own (tickets are single use). */
async function target(node, as, docId) {
  const { ticket } = await as.post(`/api/docs/${docId}/ticket`);
  return { url: `${node.url.replace(/^http/, 'ws')}/yjs/${docId}?ticket=${encodeURIComponent(ticket)}`, name: docId, dialect: 'y-websocket' };
}

/** A socket.io client joined to the workspace; `arrivals` maps record id -> first indicator:created time. */
async function recordSocket(node, as, workspaceId) {
  const arrivals = new Map();
  const socket = io(node.url, { transports: ['websocket'], extraHeaders: { cookie: as.cookie }, forceNew: true, reconnection: false });
  const seen = (e) => {
    if (e?.type === 'indicator:created' && !arrivals.has(e.recordId)) arrivals.set(e.recordId, performance.now());
  };
  socket.onAny((name, e) => {
    if (name === 'record:batch') for (const x of e.events) seen(x);
    else seen(e);
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const joined = await socket.emitWithAck('workspace:join', { workspaceId });
  if (!joined.ok) throw new Error(`join on ${node.name}: ${JSON.stringify(joined)}`);
  return { arrivals, close: () => socket.disconnect() };
}

const us = await prepare('us-cert', 'US', ['alice', 'adam']);
const lv = await prepare('lv-cert', 'LV', ['liga', 'lauris']);
const nodes = [us, lv];
// Interrupted: stop the two servers too (they are this process's children, not detached).
for (const sig of ['SIGINT', 'SIGTERM'])
  process.once(sig, () => {
    for (const n of nodes) n.child?.kill('SIGTERM');
    for (const n of nodes) rmSync(n.dataDir, { recursive: true, force: true });
    process.exit(130);
  });
try {
  await us.cli('team', 'admin', 'add', '--team', 'US', '--username', 'alice');
  await lv.cli('team', 'admin', 'add', '--team', 'LV', '--username', 'liga');
  await us.cli('federation', 'link', 'add', '--name', 'lv-cert', '--url', lv.url, '--teams', 'LV', '--key', lv.publicKey);
  await lv.cli('federation', 'link', 'add', '--name', 'us-cert', '--url', us.url, '--teams', 'US', '--key', us.publicKey);
  const ws = (await us.cli('workspace', 'add', '--name', 'Operation Bench Link', '--owner', 'alice')).trim();
  const syncWs = (await us.cli('workspace', 'add', '--name', 'Operation First Sync', '--owner', 'alice')).trim();
  await us.cli('member', 'add', '--workspace', ws, '--username', 'adam', '--role', 'hunter');
  await Promise.all([start(us), start(lv)]);
  const teamsKnown = async () =>
    (await us.db.get("SELECT home_link FROM teams WHERE code = 'LV'"))?.home_link === 'lv-cert' &&
    (await lv.db.get("SELECT home_link FROM teams WHERE code = 'US'"))?.home_link === 'us-cert';
  const tLink = performance.now();
  await until('the link and its teams', teamsKnown);
  console.log(`link up and teams recorded ${(performance.now() - tLink).toFixed(0)} ms after both answered /healthz`);

  const share = async (workspaceId) => {
    const offerId = (await us.cli('federation', 'offer', '--workspace', workspaceId, '--link', 'lv-cert', '--role', 'hunter')).trim();
    await until('the offer on lv-cert', async () => (await lv.db.get('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state === 'offered');
    const accepted = performance.now();
    await lv.cli('federation', 'accept', '--offer', offerId, '--link', 'us-cert');
    await until('the share active on us-cert', async () => (await us.db.get('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state === 'active');
    return accepted;
  };
  await share(ws);
  const alice = await login(us, 'alice');
  const adam = await login(us, 'adam');
  const liga = await login(lv, 'liga');
  const lauris = await login(lv, 'lauris');
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores; ${new Date().toISOString()}`,
  );

  // 1. Documents.
  const { id: docId } = await alice.post(`/api/workspaces/${ws}/notes`, { title: 'Bench link note', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
  await until('the note on lv-cert', async () => (await liga.get(`/api/workspaces/${ws}/notes`)).notes.some((n) => n.id === docId));
  const sentAt = [];
  const writer = new Writer(await target(us, alice, docId), sentAt);
  await writer.connect();
  const latencies = { local: [], link: [] };
  const receivers = [];
  for (const [side, node, accounts] of [
    ['local', us, [alice, adam]],
    ['link', lv, [liga, lauris]],
  ]) {
    for (let i = 0; i < RECEIVERS; i++) {
      const first = new Map();
      const t = await target(node, accounts[i % accounts.length], docId);
      receivers.push({
        side,
        first,
        client: new ThinClient(t, {
          onMarker: (seq, now, isUpdate) => {
            if (isUpdate && !first.has(seq)) first.set(seq, now);
          },
        }),
      });
    }
  }
  const { failed } = await connectAll(
    receivers.map((r) => r.client),
    { concurrency: 8 },
  );
  if (failed) throw new Error(`${failed} receivers could not connect`);
  // Warm-up: a few edits, not measured (the first crossing opens the document on lv-cert).
  for (let i = 0; i < 5; i++) writer.edit();
  await until('the warm-up on every receiver', () => receivers.every((r) => r.first.has(4)), 60_000);
  const firstMeasured = sentAt.length;
  const stop = driveEdits([writer], RATE);
  await until(`${EDITS} edits sent`, () => sentAt.length >= firstMeasured + EDITS, (EDITS / RATE) * 1000 + 60_000, 20);
  stop();
  const lastSeq = sentAt.length - 1;
  await until('every edit on every receiver', () => receivers.every((r) => r.first.has(lastSeq)), 120_000).catch((err) => console.log(`WARNING: ${err.message}`));
  for (const r of receivers) for (let seq = firstMeasured; seq <= lastSeq; seq++) if (r.first.has(seq)) latencies[r.side].push(r.first.get(seq) - sentAt[seq]);
  const missing = receivers.reduce((n, r) => n + (lastSeq - firstMeasured + 1) - [...r.first.keys()].filter((s) => s >= firstMeasured).length, 0);
  console.log(
    `\nDocuments: ${lastSeq - firstMeasured + 1} edits at ${RATE}/s from one writer on us-cert, ${RECEIVERS} thin receivers per side${missing ? `, ${missing} (receiver, edit) pairs MISSING` : ''}`,
  );
  console.log(`  local (us-cert):       ${fmt(latencies.local)}`);
  console.log(`  across (lv-cert):      ${fmt(latencies.link)}`);
  const added = percentile(latencies.link, 99) - percentile(latencies.local, 99);
  console.log(
    `  added p50 ${(percentile(latencies.link, 50) - percentile(latencies.local, 50)).toFixed(1)} ms, added p99 ${added.toFixed(1)} ms (target <= 50 ms): ${added <= 50 ? 'MET' : 'NOT MET'}`,
  );
  writer.close();
  await Promise.all(receivers.map((r) => r.client.close()));

  // 2. Records: indicator:created on both sides, timed from the request's start.
  const usSock = await recordSocket(us, adam, ws);
  const lvSock = await recordSocket(lv, liga, ws);
  const started = new Map();
  const interval = 1000 / IND_RATE;
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < INDICATORS; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const at = performance.now();
    pending.push(
      alice
        .post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: `bench-${i}.link.example`, tlp: 'AMBER', releasableTo: ['US', 'LV'] })
        .then((r) => started.set(r.indicator.id, at)),
    );
  }
  await Promise.all(pending);
  await until('every indicator on both sockets', () => [...started.keys()].every((id) => usSock.arrivals.has(id) && lvSock.arrivals.has(id)), 120_000).catch((err) =>
    console.log(`WARNING: ${err.message}`),
  );
  const ind = { local: [], link: [] };
  for (const [id, at] of started) {
    if (usSock.arrivals.has(id)) ind.local.push(usSock.arrivals.get(id) - at);
    if (lvSock.arrivals.has(id)) ind.link.push(lvSock.arrivals.get(id) - at);
  }
  console.log(`\nRecords: ${INDICATORS} indicators at ${IND_RATE}/s created over REST on us-cert, indicator:created timed from the request's start`);
  console.log(`  local socket (us-cert):  ${fmt(ind.local)}`);
  console.log(`  across (lv-cert socket): ${fmt(ind.link)}`);
  usSock.close();
  lvSock.close();

  // 3. First sync of a workspace with FIRST_SYNC indicators.
  if (FIRST_SYNC > 0) {
    const tMake = performance.now();
    for (let done = 0; done < FIRST_SYNC; done += 5000) {
      const items = Array.from({ length: Math.min(5000, FIRST_SYNC - done) }, (_, i) => ({
        type: 'domain',
        value: `sync-${done + i}.first.example`,
        tlp: 'AMBER',
        releasableTo: ['US', 'LV'],
      }));
      const r = await alice.post(`/api/workspaces/${syncWs}/indicators/bulk`, { items });
      if (r.created !== items.length) throw new Error(`bulk: ${JSON.stringify(r).slice(0, 300)}`);
    }
    console.log(`\nFirst sync: ${FIRST_SYNC} indicators made on us-cert in ${((performance.now() - tMake) / 1000).toFixed(1)} s (bulk route); offering the workspace`);
    // Meanwhile, what does the home's work on the baseline cost its other users: /healthz and a write
    // (an indicator in the other workspace) every 100 ms, the slowest of each until every row is across.
    let probing = true;
    const worst = { healthz: 0, write: 0, probes: 0, failed: [] };
    const probes = (async () => {
      let n = 0;
      while (probing) {
        // A failed probe (the connection reset, an error answer) is counted, not fatal.
        const timed = async (what, fn) => {
          const t = performance.now();
          try {
            await fn();
            worst[what] = Math.max(worst[what], performance.now() - t);
          } catch (err) {
            worst.failed.push(`${what}: ${err.cause?.code ?? err.message} after ${(performance.now() - t).toFixed(0)} ms`);
          }
        };
        await timed('healthz', async () => {
          const r = await fetch(`${us.url}/healthz`);
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
        });
        await timed('write', () =>
          alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: `during-sync-${n++}.link.example`, tlp: 'AMBER', releasableTo: ['US'] }),
        );
        worst.probes++;
        await sleep(100);
      }
    })();
    const accepted = await share(syncWs);
    const tActive = performance.now() - accepted;
    const count = async () => Number((await lv.db.get('SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ?', [syncWs])).n);
    let half;
    await until(
      `${FIRST_SYNC} indicators on lv-cert`,
      async () => {
        const n = await count();
        if (!half && n >= FIRST_SYNC / 2) half = performance.now() - accepted;
        return n >= FIRST_SYNC;
      },
      600_000,
      100,
    );
    const total = performance.now() - accepted;
    probing = false;
    await probes;
    console.log(
      `  from the acceptance (CLI on lv-cert): share active at the home ${tActive.toFixed(0)} ms, half on lv-cert ${half?.toFixed(0)} ms, all ${FIRST_SYNC} rows on lv-cert ${total.toFixed(0)} ms`,
    );
    console.log(
      `  on us-cert meanwhile: slowest /healthz ${worst.healthz.toFixed(0)} ms, slowest indicator write ${worst.write.toFixed(0)} ms (${worst.probes} rounds)${worst.failed.length ? `; FAILED: ${worst.failed.join(', ')}` : ''}`,
    );
  }
  console.log(
    `\nload average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at the end`,
  );
} finally {
  for (const n of nodes) {
    if (n.child && n.child.exitCode === null) {
      n.child.kill('SIGTERM');
      await n.exited;
    }
    await n.db.close();
    rmSync(n.dataDir, { recursive: true, force: true });
  }
}
