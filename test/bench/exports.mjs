#!/usr/bin/env node
// Export speed at hunt scale: 100,000 indicators (a third AMBER+STRICT of team US, a third releasable to
// CA only, a third CLEAR), each with a technique, and 5,000 sightings (bench/src/exports/seed.mjs, shared
// with the `exports` scenario of `npm run bench`); then every export format and the ZIP package for US
// (sees all) and for LV (sees the CLEAR third), timed from request to last byte, with the server's RSS
// after, and how long the server kept everyone else waiting meanwhile: the other clients of
// bench/src/exports/waits.mjs (a thread of their own, warmed up before anything is measured) ask /healthz
// over a keep-alive connection and send a note edit from one y-websocket connection to another every
// 10 ms; the server runs in its own process and the download in this one's main thread, so the bench's
// own work on the 100 MB responses does not count. Beside it the same with no export running (what the
// machine alone costs), and the server's own longest event-loop delay during the export (perf_hooks
// monitorEventLoopDelay, 1 ms resolution, read over IPC): the longest the server's main thread was busy
// without a break; and the same in CPU time of that thread (a 1 ms timer on it reads
// /proc/thread-self/schedstat at each tick; the longest difference between two ticks), which a loaded
// machine inflates far less than wall time. `npm run bench -- --scenarios=exports` measures the same
// waits with the server pinned to its own core, beside the other scenarios.
// Run after building: `node test/bench/exports.mjs [count]`; FORMATS=csv,stix and RECIPIENTS=US pick
// some; APP=path/to/dist/app.js runs another build of the server (to compare before and after a change).
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { session } from '../../bench/src/hunt/session.mjs';
import { noteTargets, seedIndicators } from '../../bench/src/exports/seed.mjs';
import { otherClients } from '../../bench/src/exports/waits.mjs';

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
  // The note client edits every 10 ms: over the default 60 updates/s of a connection, so raised.
  const n = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: ${JSON.stringify(dataDir)}, LOG_LEVEL: 'silent', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' }, collab: { updatesPerSecond: 1000, updateBurst: 5000 } });
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

let others;
try {
  const alice = await session(node.url, 'alice');
  const { cookie } = alice;
  const ws = node.demo.workspaceId;
  const seeded = await seedIndicators(node.url, alice, ws, COUNT);
  console.log(`seeded ${COUNT} indicators and ${seeded.sightings} sightings in ${seeded.seconds.toFixed(1)} s; RSS ${mib()} MiB`);
  others = await otherClients({ healthUrl: `${node.url}/healthz`, notes: await noteTargets(node.url, alice, ws), serverPid: child.pid });
  const worst = (w) =>
    `/healthz ${w.health.p99.toFixed(0)} / ${w.health.max.toFixed(0)} ms, note edit ${w.note.p99.toFixed(0)} / ${w.note.max.toFixed(0)} ms (clients' own loop delay ${w.clientsLoopDelayMaxMs.toFixed(0)} ms; server main thread awake at most ${w.serverMain.ms.toFixed(0)} ms: ${w.serverMain.cpuMs.toFixed(0)} CPU, ${w.serverMain.waitMs.toFixed(0)} waiting for a core, ${w.serverMain.blockedMs.toFixed(0)} blocked)`;
  // What the machine alone costs: the same probes for 3 s with no export running.
  const stopIdle = await others.window();
  await loopDelay(true);
  await new Promise((r) => setTimeout(r, 3_000));
  const idleLoop = await loopDelay();
  console.log(
    `no export: other clients' waits p99 / max: ${worst(await stopIdle())}, server event-loop delay max ${idleLoop.maxMs.toFixed(0)} ms (p99 ${idleLoop.p99Ms.toFixed(0)} ms), longest turn ${idleLoop.cpuMaxMs.toFixed(1)} ms CPU, longest GC pause ${idleLoop.gc.ms.toFixed(0)} ms (${idleLoop.gc.kind}); load average ${loadavg()[0].toFixed(1)}\n`,
  );
  console.log(
    '| export | recipient | time | size | other clients meanwhile, p99 / max | server event-loop delay max (p99) | server longest turn, CPU | server longest GC pause (full GCs) | server RSS after | load average |\n|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const recipient of (process.env.RECIPIENTS ?? 'US,LV').split(',')) {
    for (const format of (process.env.FORMATS ?? 'csv,stix,misp,report.md,report.html,layer,package.zip').split(',')) {
      const stopOthers = await others.window();
      await loopDelay(true);
      const t = performance.now();
      const res = await fetch(`${node.url}/api/workspaces/${ws}/export/${format}?recipient=${recipient}`, { headers: { cookie } });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${format} ${recipient}: ${res.status}`);
      const took = performance.now() - t;
      const loop = await loopDelay();
      const waits = await stopOthers();
      console.log(
        `| ${format} | ${recipient} | ${(took / 1000).toFixed(2)} s | ${(bytes / 1024 / 1024).toFixed(1)} MiB | ${worst(waits)} | ${loop.maxMs.toFixed(0)} ms (${loop.p99Ms.toFixed(0)}) | ${loop.cpuMaxMs.toFixed(1)} ms | ${loop.gc.ms.toFixed(0)} ms ${loop.gc.kind} (${loop.gc.majors}) | ${mib()} MiB | ${loadavg()[0].toFixed(1)} |`,
      );
    }
  }
} finally {
  await others?.close();
  // Let the server write its profile (CPU_PROF) before it goes.
  const gone = new Promise((r) => child.once('exit', r));
  child.send('exit');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
  child.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
