// Huntroom in its own pinned process (run by servers/huntroom.mjs): SQLite in a temporary data
// directory, the demo workspace seeded (alice/ben/liga), and the document server's per-account limits
// raised, because the benchmark opens thousands of sockets from one account. The per-connection rate
// limits are raised to what collab.mjs uses; every other option (CPU budget, frame size, persistence
// before relay) stays as it ships.
import { pathToFileURL } from 'node:url';

// BENCH_HUNTROOM_APP: another build's app.js (the code before a change, servers/index.mjs).
const { startHuntroom } = process.env.BENCH_HUNTROOM_APP ? await import(pathToFileURL(process.env.BENCH_HUNTROOM_APP).href) : await import('@huntroom/server');

// DATABASE_URL, REDIS_URL, REDIS_PREFIX and SESSION_SECRET come from the environment when the
// two-node scenario sets them (PostgreSQL and Redis shared by both nodes); otherwise SQLite.
const node = await startHuntroom({
  env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: process.env.BENCH_DATA_DIR, LOG_LEVEL: 'silent' },
  collab: {
    maxDocumentsPerAccount: 100_000,
    maxConnectionsPerAccount: 100_000,
    updatesPerSecond: 1000,
    updateBurst: 5000,
    // Tickets are reused for every socket of a room during a point, which can outlast the default 60 s;
    // the harness's clients open every socket of a room with one URL, so tickets stay reusable here.
    ticketTtlMs: 3_600_000,
    singleUseTickets: false,
    unloadDelayMs: Number(process.env.BENCH_UNLOAD_DELAY_MS ?? 10_000),
  },
});
// BENCH_HUNTROOM_PROFILE=<dir>: a CPU profile of this server from ready to stop (inspector, because
// `--cpu-prof` writes only at a clean exit, which a slow shutdown killed after 5 s never reaches).
const profiler = process.env.BENCH_HUNTROOM_PROFILE ? await startProfile() : undefined;
// BENCH_HUNTROOM_PAUSES=<dir>: this server's GC pauses and event-loop stalls from ready to stop, to
// find what makes a delivery late (the fan-out tail).
const pauses = process.env.BENCH_HUNTROOM_PAUSES ? await recordPauses() : undefined;
process.once('SIGTERM', () => {
  pauses?.();
  void (profiler ? profiler() : Promise.resolve()).then(() => node.close()).then(() => process.exit(0));
});

async function recordPauses() {
  const { PerformanceObserver, monitorEventLoopDelay, performance } = await import('node:perf_hooks');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const gcs = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ at: Math.round(e.startTime), ms: e.duration, kind: e.detail?.kind });
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // A 1 ms interval's lateness, with its time: when the loop was held, and for how long.
  const stalls = [];
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    if (now - last > 2.5) stalls.push({ at: Math.round(last), ms: Math.round((now - last) * 100) / 100 });
    last = now;
  }, 1);
  return () => {
    clearInterval(tick);
    observer.disconnect();
    delay.disable();
    const dir = process.env.BENCH_HUNTROOM_PAUSES;
    mkdirSync(dir, { recursive: true });
    const q = (p) => delay.percentile(p) / 1e6;
    writeFileSync(`${dir}/pauses-${process.pid}.json`, JSON.stringify({ delay: { p50: q(50), p99: q(99), p999: q(99.9), max: delay.max / 1e6 }, gcs, stalls }));
  };
}

async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const dir = process.env.BENCH_HUNTROOM_PROFILE;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/huntroom-${process.pid}.cpuprofile`, JSON.stringify(profile));
  };
}
console.log(`READY ${node.url}`);
