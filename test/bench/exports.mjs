#!/usr/bin/env node
// Export speed at hunt scale: 100,000 indicators (a third AMBER+STRICT of team US, a third releasable to
// CA only, a third CLEAR), each with a technique, and 5,000 sightings; then every export format and the
// ZIP package for US (sees all) and for LV (sees the CLEAR third), timed from request to last byte, with
// the server's RSS after, and how long the server kept everyone else waiting meanwhile: the slowest
// answer to /healthz, asked every 10 ms during the export from a thread of its own (the server runs in
// its own process and the download in this one's main thread, so the bench's own work on the 100 MB
// responses does not count), beside the same with no export running (what the machine alone costs);
// and the server's own longest event-loop delay during the export (perf_hooks monitorEventLoopDelay, 1 ms
// resolution, read over IPC): the longest the server's main thread was busy without a break; and the
// same in CPU time of that thread (a 1 ms timer on it reads /proc/thread-self/schedstat at each tick; the
// longest difference between two ticks), which a loaded machine inflates far less than wall time.
// Run after building: `node test/bench/exports.mjs [count]`; FORMATS=csv,stix and RECIPIENTS=US pick
// some; APP=path/to/dist/app.js runs another build of the server (to compare before and after a change).
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { io } from 'socket.io-client';

const COUNT = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-exports-'));
const app = process.env.APP ? resolve(process.env.APP) : fileURLToPath(new URL('../../server/dist/app.js', import.meta.url));
const child = spawn(
  process.execPath,
  [
    // CPU_PROF=dir writes the server's CPU profile there (node --cpu-prof), TRACE_GC=1 prints its GC pauses
    // (set at run time below: --trace-gc on the command line of a server run by node -e made Node refuse
    // every worker thread, and the exports failed with 500).
    ...(process.env.CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROF] : []),
    '--input-type=module',
    '-e',
    `
  ${process.env.TRACE_GC ? "(await import('node:v8')).setFlagsFromString('--trace-gc');" : ''}
  import { startHuntroom } from ${JSON.stringify(app)};
  import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
  const n = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: ${JSON.stringify(dataDir)}, LOG_LEVEL: 'silent', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' } });
  import { readFileSync } from 'node:fs';
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]) / 1e6;
  let lastCpu = cpu();
  let cpuMaxMs = 0;
  const tick = () => {
    const c = cpu();
    cpuMaxMs = Math.max(cpuMaxMs, c - lastCpu);
    lastCpu = c;
    setTimeout(tick, 1).unref();
  };
  tick();
  // The longest garbage collection pause of the node's thread, and its kind.
  const kinds = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' };
  let gc = { ms: 0, kind: '-', majors: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.majors++;
      if (e.duration > gc.ms) gc = { ...gc, ms: e.duration, kind: kinds[e.detail.kind] ?? String(e.detail.kind) };
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', async (m) => {
    if (m === 'exit') {
      await n.close();
      process.exit(0);
    }
    if (m === 'reset') {
      delay.reset();
      cpuMaxMs = 0;
      gc = { ms: 0, kind: '-', majors: 0 };
    }
    process.send({ maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, cpuMaxMs, gc });
  });
  console.log('URL ' + n.url + ' WS ' + n.demo.workspaceId);`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
);
/** The server's event-loop delay since the last reset (`reset` true starts a new window). */
const loopDelay = (reset = false) =>
  new Promise((done) => {
    child.once('message', done);
    child.send(reset ? 'reset' : 'read');
  });
const [url, wsId] = await new Promise((resolve) =>
  child.stdout.on('data', (d) => {
    // With TRACE_GC, the node's GC lines (--trace-gc) go to stderr.
    if (process.env.TRACE_GC) process.stderr.write(d);
    const m = /URL (\S+) WS (\S+)/.exec(String(d));
    if (m) resolve([m[1], m[2]]);
  }),
);
const node = { url, demo: { workspaceId: wsId } };
const mib = () => (Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024).toFixed(0);

/** Asks /healthz every 10 ms from a thread of its own until stopped; resolves with the slowest answer in ms. */
function probe() {
  const w = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    let on = true;
    let worst = 0;
    let failed = 0;
    parentPort.on('message', () => (on = false));
    (async () => {
      while (on) {
        const t = performance.now();
        // A refused connection is counted, not thrown: a thrown one ended the bench before its own error showed.
        if (!(await fetch(workerData + '/healthz').then((r) => r.arrayBuffer(), () => undefined))) failed++;
        worst = Math.max(worst, performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
      parentPort.postMessage({ worst, failed });
    })();`,
    { eval: true, workerData: url },
  );
  return async () => {
    const worst = new Promise((r) => w.once('message', r));
    w.postMessage('stop');
    const { worst: ms, failed } = await worst;
    await w.terminate();
    if (failed) console.log(`(${failed} /healthz requests failed)`);
    return ms;
  };
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
  console.log(`seeded ${COUNT} indicators and 5,000 sightings in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${mib()} MiB`);
  // What the machine alone costs: the same probes for 3 s with no export running.
  const stopIdle = probe();
  await loopDelay(true);
  await new Promise((r) => setTimeout(r, 3_000));
  const idleLoop = await loopDelay();
  console.log(
    `no export: slowest /healthz ${(await stopIdle()).toFixed(0)} ms, server event-loop delay max ${idleLoop.maxMs.toFixed(0)} ms (p99 ${idleLoop.p99Ms.toFixed(0)} ms), longest turn ${idleLoop.cpuMaxMs.toFixed(1)} ms CPU, longest GC pause ${idleLoop.gc.ms.toFixed(0)} ms (${idleLoop.gc.kind}); load average ${loadavg()[0].toFixed(1)}\n`,
  );
  console.log(
    '| export | recipient | time | size | slowest /healthz meanwhile | server event-loop delay max (p99) | server longest turn, CPU | server longest GC pause (full GCs) | server RSS after | load average |\n|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const recipient of (process.env.RECIPIENTS ?? 'US,LV').split(',')) {
    for (const format of (process.env.FORMATS ?? 'csv,stix,misp,report.md,report.html,layer,package.zip').split(',')) {
      const stopProbe = probe();
      await loopDelay(true);
      const t = performance.now();
      const res = await fetch(`${node.url}/api/workspaces/${ws}/export/${format}?recipient=${recipient}`, { headers: { cookie } });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${format} ${recipient}: ${res.status}`);
      const took = performance.now() - t;
      const loop = await loopDelay();
      const worst = await stopProbe();
      console.log(
        `| ${format} | ${recipient} | ${(took / 1000).toFixed(2)} s | ${(bytes / 1024 / 1024).toFixed(1)} MiB | ${worst.toFixed(0)} ms | ${loop.maxMs.toFixed(0)} ms (${loop.p99Ms.toFixed(0)}) | ${loop.cpuMaxMs.toFixed(1)} ms | ${loop.gc.ms.toFixed(0)} ms ${loop.gc.kind} (${loop.gc.majors}) | ${mib()} MiB | ${loadavg()[0].toFixed(1)} |`,
      );
    }
  }
} finally {
  // Let the server write its profile (CPU_PROF) before it goes.
  const gone = new Promise((r) => child.once('exit', r));
  child.send('exit');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
  child.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
