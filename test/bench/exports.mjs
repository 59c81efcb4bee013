#!/usr/bin/env node
// Export speed at hunt scale: 100,000 indicators (a third AMBER+STRICT of team US, a third releasable to
// CA only, a third CLEAR), each with a technique, and 5,000 sightings; then every export format and the
// ZIP package for US (sees all) and for LV (sees the CLEAR third), timed from request to last byte, with
// the server's RSS after, and how long the server kept everyone else waiting meanwhile: the slowest
// answer to /healthz, asked every 10 ms during the export (the server runs in its own process, so the
// bench's own work on the 100 MB responses does not count). Run after building: `node test/bench/exports.mjs [count]`.
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';

const COUNT = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-exports-'));
const app = fileURLToPath(new URL('../../server/dist/app.js', import.meta.url));
const child = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `
  import { startHuntroom } from ${JSON.stringify(app)};
  const n = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: ${JSON.stringify(dataDir)}, LOG_LEVEL: 'silent' } });
  console.log('URL ' + n.url + ' WS ' + n.demo.workspaceId);`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [url, wsId] = await new Promise((resolve) =>
  child.stdout.on('data', (d) => {
    const m = /URL (\S+) WS (\S+)/.exec(String(d));
    if (m) resolve([m[1], m[2]]);
  }),
);
const node = { url, demo: { workspaceId: wsId } };
const mib = () => (Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024).toFixed(0);

/** Asks /healthz every 10 ms until stopped; resolves with the slowest answer in ms. */
function probe() {
  let stop = false;
  let worst = 0;
  const done = (async () => {
    while (!stop) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    return worst;
  })();
  return () => ((stop = true), done);
}
try {
  const login = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'huntroom-demo' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const ws = node.demo.workspaceId;
  const socket = io(node.url, { transports: ['websocket'], extraHeaders: { cookie } });
  await new Promise((r) => socket.once('connect', r));
  await socket.emitWithAck('workspace:join', { workspaceId: ws });
  const markings = [{ tlp: 'AMBER+STRICT' }, { tlp: 'AMBER', releasableTo: ['CA'] }, { tlp: 'CLEAR' }];
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i += 5_000) {
    const items = [];
    for (let j = i; j < Math.min(COUNT, i + 5_000); j++)
      items.push({ type: 'domain', value: `host-${j}.bench-exports.example.org`, techniques: ['T1071.001'], ...markings[j % 3] });
    const ack = await socket.timeout(120_000).emitWithAck('indicator:bulkCreate', { id: `bench-export-${i}`, payload: { workspaceId: ws, items } });
    if (!ack.ok) throw new Error(ack.error.message);
  }
  const list = await (await fetch(`${node.url}/api/workspaces/${ws}/indicators?limit=1000`, { headers: { cookie } })).json();
  for (const ind of list.items.slice(0, 1000)) {
    for (let k = 0; k < 5; k++) await socket.emitWithAck('sighting:add', { id: `s-${ind.id}-${k}`, payload: { workspaceId: ws, indicatorId: ind.id, context: 'bench' } });
  }
  socket.disconnect();
  console.log(`seeded ${COUNT} indicators and 5,000 sightings in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${mib()} MiB\n`);
  console.log('| export | recipient | time | size | slowest /healthz meanwhile | server RSS after |\n|---|---|---|---|---|---|');
  for (const recipient of ['US', 'LV']) {
    for (const format of ['csv', 'stix', 'misp', 'report.md', 'report.html', 'layer', 'package.zip']) {
      const stopProbe = probe();
      const t = performance.now();
      const res = await fetch(`${node.url}/api/workspaces/${ws}/export/${format}?recipient=${recipient}`, { headers: { cookie } });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${format} ${recipient}: ${res.status}`);
      const took = performance.now() - t;
      const worst = await stopProbe();
      console.log(`| ${format} | ${recipient} | ${(took / 1000).toFixed(2)} s | ${(bytes / 1024 / 1024).toFixed(1)} MiB | ${worst.toFixed(0)} ms | ${mib()} MiB |`);
    }
  }
} finally {
  child.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
