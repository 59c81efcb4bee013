/**
 * Hunt exports cost: a real Huntroom node (the built server) with N timeline events and 2,000 hosts in
 * one workspace (added through the bulk routes), then each export that carries them fetched by a team
 * that sees all but the RED ones, while another client polls /healthz every 10 ms: how long each export
 * takes and the /healthz answers during it, p99 and longest (what every other socket of the node waits),
 * and the node's own longest event-loop delay meanwhile (perf_hooks monitorEventLoopDelay, 1 ms
 * resolution: the node runs on this script's main thread, the clients in threads of their own), and
 * its longest turn in CPU time of that thread (a 1 ms timer reads /proc/thread-self/schedstat at each
 * tick; the longest difference between two ticks), which a loaded machine inflates far less.
 *
 *   node bench/src/hunt/exports.mjs [events=50000]
 *
 * FORMATS=timeline.csv,stix picks some; APP=path/to/dist/app.js runs another build of the server (to
 * compare before and after a change); SAVE_DIR keeps each file.
 *
 * Not part of the test suite. Build first (pnpm -r build).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { session } from './session.mjs';

const { startHuntroom } = await import(process.env.APP ? pathToFileURL(resolve(process.env.APP)).href : '@huntroom/server');
const N = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-hunt-export-bench-'));
const node = await startHuntroom({
  env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOGIN_LIMIT_PER_ADDRESS: '100000', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' },
});

/**
 * The other client and the download each run in a worker thread of their own (own event loop), so what
 * they measure is the node's main thread only: receiving a 30 MB file on the node's own loop (as this
 * script did before) would count the client's work as a stall of the server.
 */
const CLIENT = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { url, headers, mode, save } = workerData;
  if (mode === 'download') {
    const t = performance.now();
    fetch(url, { headers }).then(async (res) => {
      const body = new Uint8Array(await res.arrayBuffer());
      const ms = performance.now() - t;
      // SAVE_DIR keeps each file, to compare an export before and after a change byte for byte.
      if (save) require('node:fs').writeFileSync(save, body);
      parentPort.postMessage({ status: res.status, bytes: body.byteLength, ms });
    });
  } else {
    const waits = [];
    let on = true;
    parentPort.on('message', () => (on = false));
    (async () => {
      while (on) {
        const t = performance.now();
        await fetch(url).then((r) => r.arrayBuffer());
        waits.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
      parentPort.postMessage(waits);
    })();
  }
`;
const inWorker = (workerData) => new Worker(CLIENT, { eval: true, workerData });
const once = (w) => new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));

/** CPU time of this thread so far (ms). */
const threadCpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]) / 1e6;

/**
 * Polls /healthz every 10 ms from its own thread until stopped; answers the waits seen (ms), the
 * node's longest event-loop delay meanwhile (ms) and its longest turn in CPU time (ms).
 */
function watchHealth() {
  const w = inWorker({ url: `${node.url}/healthz`, mode: 'health' });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let lastCpu = threadCpu();
  let cpuMax = 0;
  let timer;
  const tick = () => {
    const c = threadCpu();
    cpuMax = Math.max(cpuMax, c - lastCpu);
    lastCpu = c;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return async () => {
    const got = once(w);
    w.postMessage('stop');
    const waits = (await got).sort((a, b) => a - b);
    delay.disable();
    clearTimeout(timer);
    await w.terminate();
    return {
      p99: waits[Math.min(waits.length - 1, Math.floor(waits.length * 0.99))] ?? 0,
      worst: waits.at(-1) ?? 0,
      n: waits.length,
      loopMax: delay.max / 1e6,
      cpuMax,
    };
  };
}

try {
  const alice = await session(node.url, 'alice');
  const ben = await session(node.url, 'ben');
  const ws = node.demo.workspaceId;
  const api = (path) => `${node.url}/api/workspaces/${ws}/${path}`;
  const post = async (path, body) => {
    const res = await fetch(api(path), { method: 'POST', headers: alice, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const levels = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
  const network = (await post('networks', { name: 'bench', tlp: 'CLEAR' })).network.id;
  const hosts = [];
  for (let i = 0; i < 2_000; i += 1_000) {
    const items = Array.from({ length: 1_000 }, (_, k) => ({
      networkId: network,
      hostname: `bench-${i + k}`,
      addresses: [`10.${(i + k) >> 8}.${(i + k) & 255}.1`],
      tlp: levels[(i + k) % 4],
    }));
    hosts.push(...(await post('hosts/bulk', { items })).results.map((r) => r.id));
  }
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < N; i += 5_000) {
    const items = [];
    for (let j = i; j < Math.min(N, i + 5_000); j++) {
      items.push({ at: new Date(start + j * 37_000).toISOString(), hostId: hosts[j % 50], description: `bench event ${j}`, source: 'bench', tlp: levels[(j % 50) % 4] });
    }
    const r = await post('timeline/bulk', { items });
    if (r.rejected) throw new Error(`bulk refused ${r.rejected}`);
  }
  // What the machine alone costs: /healthz with no export running (a loaded 2-core machine is slow too).
  const idle = watchHealth();
  await new Promise((r) => setTimeout(r, 3_000));
  const base = await idle();
  console.log(
    `${N} timeline events and ${hosts.length} hosts added; /healthz with no export: p99 ${base.p99.toFixed(0)} ms, worst ${base.worst.toFixed(0)} ms (${base.n} polls); event-loop delay max ${base.loopMax.toFixed(0)} ms, longest turn ${base.cpuMax.toFixed(1)} ms CPU; load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log('exports as CA (sees all but AMBER+STRICT):');
  for (const format of (process.env.FORMATS ?? 'timeline.csv,hosts.csv,report.md,stix,misp,package.zip').split(',')) {
    const stop = watchHealth();
    const { status, bytes, ms } = await once(
      inWorker({ url: api(`export/${format}`), headers: ben, mode: 'download', save: process.env.SAVE_DIR && join(process.env.SAVE_DIR, format) }),
    );
    const health = await stop();
    if (status !== 200) throw new Error(`${format}: ${status}`);
    console.log(
      `${format.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6).toFixed(1).padStart(6)} MB   /healthz p99 ${health.p99.toFixed(0)} ms, worst ${health.worst.toFixed(0)} ms (${health.n} polls); event-loop delay max ${health.loopMax.toFixed(0)} ms, longest turn ${health.cpuMax.toFixed(1)} ms CPU; load ${loadavg()[0].toFixed(1)}`,
    );
  }
} finally {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
