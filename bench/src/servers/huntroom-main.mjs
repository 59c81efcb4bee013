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
process.once('SIGTERM', () => {
  void (profiler ? profiler() : Promise.resolve()).then(() => node.close()).then(() => process.exit(0));
});

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
