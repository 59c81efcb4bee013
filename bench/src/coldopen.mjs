/**
 * The main thread's longest blocking during a cold open (issue 21), without the noise of other rooms'
 * delivery gaps: `node src/coldopen.mjs [app.js of a build] [edits=260000 | a saved state file]`.
 * Starts one node in this process on a fresh data directory, stores the note (the bench's document
 * of scattered single-character edits, bigdoc.mjs) as its one log row, starts the node again (cold),
 * then opens the note with a raw socket (sync step 1, empty state vector) and prints the time to its
 * sync step 2, the event-loop delay (monitorEventLoopDelay, 10 ms resolution), the longest gap of a
 * 2 ms timer and the garbage collector's pauses in that window, in all and by kind (gcByKind: scavenges
 * of the young generation against mark-compacts of the whole heap). PROFILE=<file> also writes an
 * inspector CPU profile of the window. SAVE=<file> keeps the built state for the next run.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { buildEditedDoc } from './scenarios/bigdoc.mjs';
import * as Y from 'yjs';
const req = createRequire(new URL('../../server/package.json', import.meta.url));
const WebSocket = req('ws');
const Database = req('better-sqlite3');
const app = process.argv[2] ? pathToFileURL(resolve(process.argv[2])).href : new URL('../../server/dist/app.js', import.meta.url).href;
const source = process.argv[3] ?? '260000';
const { startHuntroom } = await import(app);
let snap;
if (existsSync(source)) snap = readFileSync(source);
else {
  const { chunks } = buildEditedDoc(Number(source));
  snap = Buffer.from(Y.mergeUpdates(chunks));
  if (process.env.SAVE) (await import('node:fs')).writeFileSync(process.env.SAVE, snap);
}
const dataDir = mkdtempSync(join(tmpdir(), 'coldopen-'));
const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'accounts', LOGIN_LIMIT_PER_ADDRESS: '100000' };
const start = () => startHuntroom({ env, collab: { unloadDelayMs: 200 } });
let node = await start();
const login = async (url) => {
  const r = await fetch(url + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'alice', password: process.env.PW ?? 'huntroom-demo' }),
  });
  if (!r.ok) throw new Error('login ' + r.status + ' ' + (await r.text()));
  const body = await r.json();
  const c = r.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .find((x) => x.startsWith('huntroom_session='));
  return { cookie: c, csrf: body.csrfToken };
};
let { cookie, csrf } = await login(node.url);
const created = await (
  await fetch(`${node.url}/api/workspaces/${node.demo.workspaceId}/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: node.url, 'x-csrf-token': csrf },
    body: JSON.stringify({ title: 'big' }),
  })
).json();
const docId = created.docId ?? created.note?.docId ?? created.id;
if (!docId) throw new Error(JSON.stringify(created));
await node.close();
const db = new Database(join(dataDir, 'huntroom.sqlite'));
db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)').run(docId, snap);
db.close();
node = await start();
({ cookie } = await login(node.url));
await new Promise((r) => setTimeout(r, 1000));
const h = monitorEventLoopDelay({ resolution: 10 });
// The main thread's own CPU time between two ticks of the timer: the longest work that ran without
// yielding, measured on the thread's clock (Linux schedstat), so waiting for a core on a busy
// machine does not count (the wall-clock figures above do include it).
const cpuMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]) / 1e6;
let last = performance.now(),
  maxTimerGap = 0,
  lastCpu = cpuMs(),
  maxCpuGap = 0;
const timer = setInterval(() => {
  const now = performance.now();
  const cpu = cpuMs();
  maxTimerGap = Math.max(maxTimerGap, now - last);
  maxCpuGap = Math.max(maxCpuGap, cpu - lastCpu);
  last = now;
  lastCpu = cpu;
}, 2);
const session = new Session();
session.connect();
if (process.env.PROFILE) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
}
// Each pause with its kind (perf_hooks' constants: 1 scavenge of the young generation, 2 minor
// mark-sweep, 4 mark-compact of the whole heap, 8 incremental marking, 16 weak callbacks), so a stall
// can be put on young-generation survivors or on full collections of the old generation.
const GC_KIND = { 1: 'scavenge', 2: 'minorMarkSweep', 4: 'markCompact', 8: 'incremental', 16: 'weakCallbacks' };
const gcs = [];
const gcByKind = {};
const obs = new PerformanceObserver((l) => {
  for (const e of l.getEntries()) {
    gcs.push(e.duration);
    const kind = GC_KIND[e.detail?.kind] ?? String(e.detail?.kind);
    const k = (gcByKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    k.count++;
    k.totalMs += e.duration;
    k.maxMs = Math.max(k.maxMs, e.duration);
  }
});
obs.observe({ entryTypes: ['gc'] });
h.enable();
const t0 = performance.now();
const ws = new WebSocket(`${node.url.replace('http', 'ws')}/yjs/${docId}`, { headers: { cookie, origin: node.url } });
await new Promise((r, j) => {
  ws.once('open', r);
  ws.once('unexpected-response', (_q, res) => j(new Error('refused ' + res.statusCode)));
});
ws.send(Buffer.from([0, 0, 1, 0]));
const bytes = await new Promise((r) =>
  ws.on('message', (m) => {
    if (m[0] === 0 && m[1] === 1) r(m.byteLength);
  }),
);
const openMs = performance.now() - t0;
await new Promise((r) => setTimeout(r, 300));
h.disable();
clearInterval(timer);
obs.disconnect();
if (process.env.PROFILE) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.env.PROFILE, JSON.stringify(profile));
}
gcs.sort((a, b) => b - a);
console.log(
  JSON.stringify({
    build: String(app).split('/').slice(-2, -1)[0],
    snapshot: snap.byteLength,
    openMs: Math.round(openMs),
    step2Bytes: bytes,
    maxEventLoopDelayMs: Math.round(h.max / 1e6),
    p99DelayMs: Math.round(h.percentile(99) / 1e6),
    maxTimerGapMs: Math.round(maxTimerGap),
    maxCpuBetweenTicksMs: Math.round(maxCpuGap),
    gcMaxMs: Math.round(gcs[0] ?? 0),
    gcTotalMs: Math.round(gcs.reduce((a, b) => a + b, 0)),
    gcCount: gcs.length,
    gcByKind: Object.fromEntries(Object.entries(gcByKind).map(([kind, k]) => [kind, `${k.count}x, ${Math.round(k.totalMs)} ms, max ${Math.round(k.maxMs)} ms`])),
    // The young generation's size after the open: V8 grows it (up to two 16 MB semi-spaces by default)
    // while many objects survive, and a scavenge copies what survives in it.
    newSpaceMB: Math.round((await import('node:v8')).getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1e6),
    load: (await import('node:os')).loadavg()[0].toFixed(1),
  }),
);
ws.close();
await node.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
