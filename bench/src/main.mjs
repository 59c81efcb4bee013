#!/usr/bin/env node
/**
 * `pnpm --filter @huntroom/bench bench [--quick] [--repeats=N] ...` (config.mjs lists the knobs).
 *
 * Re-executes itself pinned to core 1 (`taskset -c 1`); every server it starts is pinned to core 0,
 * so generator and server never share a core. Runs each scenario point `repeats` times, the servers
 * interleaved within each repeat (so slow drift of the machine hits all of them alike), takes the
 * medians, and writes bench/results/<date>.json, latest.md and fanout-p99.svg.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { GENERATOR_CORE, allowedCpus } from './pinning.mjs';

if (!process.env.BENCH_PINNED) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('taskset', ['-c', GENERATOR_CORE, process.execPath, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(r.status ?? 1);
}

const { config } = await import('./config.mjs');
const { SERVERS } = await import('./servers/index.mjs');
const { medianOfClean } = await import('./stats.mjs');
const { machineBusy, coreBusy, waitQuiet } = await import('./proc.mjs');
const { SERVER_CORE } = await import('./servers/spawn.mjs');
const { fanoutPoint } = await import('./scenarios/fanout.mjs');
const { idleRound } = await import('./scenarios/idle.mjs');
const { hotroomPoint } = await import('./scenarios/hotroom.mjs');
const { awarenessPoint } = await import('./scenarios/awareness.mjs');
const { coldloadPoint, prepareBigDoc } = await import('./scenarios/coldload.mjs');
const { noteFor } = await import('./scenarios/bigdoc.mjs');
const { reconnectPoint } = await import('./scenarios/reconnect.mjs');
const { clusterPoint, clusterAvailable } = await import('./scenarios/cluster.mjs');
const { exportsPoint } = await import('./scenarios/exports.mjs');
const { markdown } = await import('./report/markdown.mjs');
const { p99Chart } = await import('./report/svg.mjs');

const require = createRequire(import.meta.url);
try {
  require.resolve('@huntroom/server');
} catch {
  console.error('bench: build the server first: pnpm -r --filter @huntroom/shared --filter @huntroom/server build');
  process.exit(1);
}

const servers = config.servers.map((id) => {
  if (!SERVERS[id]) throw new Error(`unknown server ${id}; known: ${Object.keys(SERVERS).join(', ')}`);
  return SERVERS[id];
});
const labels = Object.fromEntries(servers.map((s) => [s.id, s.label]));
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const gitRev = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

/** Runs `point(server)` `repeats` times per server, interleaved; returns raw points and medians. */
async function repeated(name, repeats, point, only = servers) {
  const raw = Object.fromEntries(only.map((s) => [s.id, []]));
  for (let r = 0; r < repeats; r++) {
    for (const s of only) {
      let p;
      // Other work on this machine (invisible as processes from a sandbox, but on the same two
      // cores) spoils a point: one seen busy just before or just after the point is marked
      // `disturbed` and run once more; disturbed points stay in the raw data but not in the medians.
      for (let attempt = 1; attempt <= config.attempts; attempt++) {
        const busyBefore = await waitQuiet({ maxWaitMs: config.quietWaitMs });
        const t = performance.now();
        try {
          p = await point(s);
        } catch (err) {
          p = { error: String(err.message ?? err).slice(0, 300) };
        }
        // The server is stopped by now, so its core should be idle; a pause first lets this
        // process finish closing its own sockets.
        await new Promise((r) => setTimeout(r, 300));
        const busyAfter = await coreBusy(SERVER_CORE, 500);
        p.machineBusyBefore = busyBefore;
        p.machineBusyAfter = busyAfter;
        p.disturbed = busyBefore > DISTURBED || busyAfter > DISTURBED;
        raw[s.id].push(p);
        log(`${name} ${s.id} repeat ${r + 1}/${repeats} (${((performance.now() - t) / 1000).toFixed(1)} s)`, summary(p));
        if (!p.disturbed) break;
      }
    }
  }
  const median = Object.fromEntries(Object.entries(raw).map(([id, points]) => [id, medianOfClean(points)]));
  return { raw, median };
}

/** Busy share (both cores before a point, the server core after it) above which a point is disturbed. */
const DISTURBED = 0.25;

function summary(p) {
  if (p.error) return `ERROR ${p.error}`;
  const keys = [
    'p99',
    'deliveriesPerSec',
    'cpuPerDeliveryUs',
    'perSocketKiB',
    'afterAboveBaseMiB',
    'uploadStallMs',
    'openStallMs',
    'resyncP99Ms',
    'stormCpuPerReconnectMs',
    'writersClosed',
    'serverCpuPerReconnectMs',
    'lostUpdates',
    'worstMs',
    'idleWorstMs',
    'generatorCpu',
  ];
  return keys
    .filter((k) => typeof p[k] === 'number')
    .map((k) => `${k}=${p[k].toFixed(k === 'generatorCpu' ? 2 : 1)}`)
    .concat(
      // The fan-out's and hot room's: did the generator keep up (ms).
      p.writerLate ? [`writerLateP99=${p.writerLate.p99?.toFixed(2)}`] : [],
      p.readLag ? [`readLagP99=${p.readLag.p99?.toFixed(1)}`] : [],
      p.invalid ? [`INVALID${p.invalidBecause?.length ? ` (${p.invalidBecause.join('; ')})` : ''}`] : [],
      [`busy-before=${Math.round(p.machineBusyBefore * 100)}%`, `after=${Math.round(p.machineBusyAfter * 100)}%`],
      p.disturbed ? ['DISTURBED'] : [],
    )
    .join(' ');
}

const started = new Date();
const results = {
  date: started.toISOString(),
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `Linux ${release()}`,
    generatorCpus: allowedCpus(),
  },
  versions: { huntroom: gitRev, peers: Object.fromEntries(servers.filter((s) => s.id !== 'huntroom').map((s) => [s.id, s.version])) },
  labels,
  config,
  notDone: [
    ...Object.entries({ hotroom: 'hot room', awareness: 'awareness at 10 Hz', cluster: 'two Huntroom nodes with Redis', exports: 'exports of 100,000 indicators' })
      .filter(([id]) => !config.scenarios.includes(id))
      .map(([, what]) => `${what} (not selected; --all runs it)`),
    'the peers in a two-node setup (Hocuspocus with its Redis extension; y-websocket has none)',
    'the abuse suite (DESIGN.md section 10, fifth row)',
  ],
};

/** Cores in a taskset list such as `1`, `0,1` or `2-5`. */
function coreCount(list) {
  return String(list)
    .split(',')
    .map((part) => part.split('-').map(Number))
    .reduce((n, [from, to = from]) => n + (to - from + 1), 0);
}

if (config.scenarios.includes('fanout')) {
  const c = config.fanout;
  const raw = {};
  const median = {};
  const steps = [];
  const procsAt = {};
  const auto = c.generatorProcs === 'auto';
  let procs = auto ? 1 : Number(c.generatorProcs);
  // The native receivers read every socket in one C epoll loop: a second process on the same core adds
  // no CPU, only wake-ups, which the servers pay on their own core (loopback TCP wakes the reader from
  // the sender's send). Measured at 300 per room, one core for the generator: two processes took every
  // server's CPU per delivery from 7.8 to 12.9 µs (Huntroom) and y-websocket's p99 from 10 ms to 7.3 s
  // (docs/performance.md, "Receiver processes"). So they spread over at most one process per core.
  const maxProcs = config.thin === 'native' ? Math.min(c.maxGeneratorProcs, coreCount(c.generatorCores)) : c.maxGeneratorProcs;
  // Servers whose p99 has not passed 100 ms yet: only they are run at the next step.
  let pending = [...servers];
  let stoppedBecause = 'every server passed 100 ms';
  // The listed steps, then up by rampStep clients per room each (250, 300, ... after 200) to the cap.
  const stepAt = (i, before) => (i < c.steps.length ? c.steps[i] : before + c.rampStep);
  for (let i = 0; pending.length; i++) {
    const step = stepAt(i, steps.at(-1));
    if (step > c.rampCap) {
      stoppedBecause = `cap of ${c.rampCap} clients per room reached`;
      break;
    }
    steps.push(step);
    procsAt[step] = procs;
    const r = await repeated(
      `fanout ${step}/room${procs > 1 ? ` (${procs} receiver processes)` : ''}`,
      config.repeats,
      (s) => fanoutPoint(s, { ...c, clientsPerRoom: step, generatorProcs: procs, generatorCores: c.generatorCores }),
      pending,
    );
    for (const s of pending) {
      (raw[s.id] ??= {})[step] = r.raw[s.id];
      (median[s.id] ??= {})[step] = r.median[s.id];
    }
    // The generator's CPU at this step, per process it had, scaled to the next step: over the limit,
    // the next step spreads the receivers over more processes (as many as keep each near 50%).
    const genPerProc = Math.max(0, ...pending.map((s) => (r.median[s.id]?.generatorCpu ?? 0) / procs));
    pending = pending.filter((s) => r.median[s.id]?.p99 <= 100);
    const next = stepAt(i + 1, step);
    const projected = (genPerProc * next) / step;
    if (auto && projected > config.maxGeneratorCpu) procs = Math.min(maxProcs, Math.max(procs + 1, Math.ceil((procs * projected) / 0.5)));
    if (pending.length && pending.every((s) => r.median[s.id]?.invalid) && (!auto || procs === maxProcs)) {
      stoppedBecause = 'the load generator, not the servers, was the limit (INVALID points)';
      break;
    }
  }
  const p99Over100 = Object.fromEntries(servers.map((s) => [s.id, steps.find((step) => median[s.id]?.[step] && !(median[s.id][step].p99 <= 100)) ?? null]));
  results.fanout = { steps, raw, median, p99Over100, procsAt, stoppedBecause };
}

if (config.scenarios.includes('hotroom')) {
  results.hotroom = { writers: config.hotroom.writers, median: {}, raw: {} };
  for (const writers of config.hotroom.writers) {
    const r = await repeated(`hot room ${writers} writer(s)`, config.repeats, (s) => hotroomPoint(s, { ...config.hotroom, writers }));
    results.hotroom.median[writers] = r.median;
    results.hotroom.raw[writers] = r.raw;
  }
}

if (config.scenarios.includes('awareness')) {
  results.awareness = await repeated('awareness', config.repeats, (s) => awarenessPoint(s, { ...config.awareness, maxGeneratorCpu: config.maxGeneratorCpu }));
}

if (config.scenarios.includes('idle')) {
  // All servers per round (their after-leave waits overlap); see scenarios/idle.mjs.
  const raw = Object.fromEntries(servers.map((s) => [s.id, []]));
  for (let r = 0; r < config.idle.repeats; r++) {
    // Memory is not disturbed by other work on the cores; the busy shares are recorded all the same.
    const busyBefore = await waitQuiet();
    const points = await idleRound(servers, config.idle, log);
    const busyAfter = await machineBusy(500);
    for (const s of servers) {
      raw[s.id].push({ ...points[s.id], machineBusyBefore: busyBefore, machineBusyAfter: busyAfter });
      log(`idle ${s.id} repeat ${r + 1}/${config.idle.repeats}`, summary(raw[s.id].at(-1)));
    }
  }
  const median = Object.fromEntries(Object.entries(raw).map(([id, ps]) => [id, medianOfClean(ps)]));
  results.idle = { raw, median };
}

if (config.scenarios.includes('coldload')) {
  const { size } = prepareBigDoc(config.coldload);
  results.coldload = { docBytes: size, ...(await repeated('coldload', config.repeats, (s) => coldloadPoint(s, config.coldload))) };
}

if (config.scenarios.includes('reconnect')) {
  // The rooms' note is built before any point (minutes), not inside one; the cold load's if the same.
  if (config.reconnect.noteEdits) {
    const t = performance.now();
    const { size } = noteFor({ doc: 'edits', edits: config.reconnect.noteEdits, cacheDir: config.reconnect.cacheDir });
    log(`reconnect note: ${config.reconnect.noteEdits} edits, ${size} bytes (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  for (const w of config.reconnect.with) {
    const held = w === 'held';
    if (held && !config.reconnect.noteEdits) {
      // What the clients would hold is the note: with empty rooms this is the empty case again.
      log('reconnect (held) not run: the rooms hold no note (--reconnect-edits=0)');
      continue;
    }
    const r = await repeated(`reconnect (${w})`, config.repeats, (s) => reconnectPoint(s, { ...config.reconnect, held, maxGeneratorCpu: config.maxGeneratorCpu }));
    // Lost updates are reported as a median and as the total: one lost update in one repeat matters.
    const lostTotal = Object.fromEntries(Object.entries(r.raw).map(([id, ps]) => [id, ps.reduce((n, p) => n + (p.lostUpdates ?? 0), 0)]));
    results[held ? 'reconnectHeld' : 'reconnect'] = { ...r, lostTotal };
  }
}

if (config.scenarios.includes('cluster')) {
  if (!servers.some((s) => s.id === 'huntroom')) {
    // Huntroom only; nothing to do when it is not among the servers of this run.
  } else if (await clusterAvailable()) {
    results.cluster = await repeated('cluster', config.repeats, (s) => clusterPoint(s, { ...config.cluster, maxGeneratorCpu: config.maxGeneratorCpu }), [SERVERS.huntroom]);
  } else {
    results.notDone.unshift('two Huntroom nodes with Redis (PostgreSQL not reachable: set BENCH_DATABASE_URL)');
  }
}

if (config.scenarios.includes('exports') && servers.some((s) => s.id === 'huntroom')) {
  // Huntroom only (the peers have no exports; the report says n/a for them).
  const c = config.exports;
  results.exports = await repeated('exports', c.repeats, (s) => exportsPoint(s, { ...c, maxGeneratorCpu: config.maxGeneratorCpu }), [SERVERS.huntroom]);
}

results.durationSeconds = Math.round((Date.now() - started.getTime()) / 1000);

const dir = fileURLToPath(new URL('../results/', import.meta.url));
if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
const stamp = results.date.slice(0, 19).replaceAll(':', '-');
writeFileSync(`${dir}${stamp}.json`, JSON.stringify(results, null, 2) + '\n');
const md = markdown(results);
// latest.md is the last run; <date>.md stays beside its JSON, so a partial run (--scenarios=...)
// does not lose the tables of the run before it.
writeFileSync(`${dir}${stamp}.md`, md);
writeFileSync(`${dir}latest.md`, md);
if (results.fanout) {
  const chart = p99Chart({
    title: `Fan-out p99 latency, ${results.date.slice(0, 10)}`,
    steps: results.fanout.steps,
    series: servers.map((s) => ({
      label: labels[s.id],
      points: results.fanout.steps.map((x) => ({ x, y: results.fanout.median[s.id][x]?.p99, invalid: results.fanout.median[s.id][x]?.invalid })),
    })),
  });
  writeFileSync(`${dir}fanout-p99.svg`, chart);
}
console.log(md);
log(`done in ${results.durationSeconds} s; wrote results/${stamp}.json, results/${stamp}.md, results/latest.md${results.fanout ? ', results/fanout-p99.svg' : ''}`);
process.exit(0);
