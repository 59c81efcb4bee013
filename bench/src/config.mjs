/**
 * Sizes of every scenario, from flags or BENCH_* environment variables, so a quick look and the full
 * run are the same code. `--quick` shrinks the sizes and repeats; any single number can still be set:
 * `--repeats=3`, `BENCH_REPEATS=3`, `--servers=huntroom,hocuspocus`, `--scenarios=fanout,idle`,
 * `--steps=25,50` (clients per room of the fan-out ramp; after them it goes up by `--ramp-step`).
 *
 * The default run is the fan-out ramp and the DESIGN.md section 10 scenarios (idle sockets, cold
 * load, reconnect); `--all` adds the hot room, awareness, the two-node cluster and the exports. Both
 * take long now that the ramp goes on until every server passes 100 ms and the reconnect storm runs
 * twice (the peers take over a minute per storm): `--all --repeats=3` took 46 minutes on the 2-core
 * machine (2026-11-30); the default's five repeats take longer. `--quick` is for a first look.
 */
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`) || process.env[`BENCH_${name.toUpperCase()}`] === '1';

function raw(name) {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  if (arg) return arg.slice(name.length + 3);
  return process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
}
const num = (name, fallback) => {
  const v = raw(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
};
const list = (name, fallback) => raw(name)?.split(',').filter(Boolean) ?? fallback;

const quick = flag('quick');
const coldEdits = num('cold-edits', 260_000);
/**
 * Warm-up of a fan-out or hot-room point before it is measured (every server, the same). Each point
 * starts a fresh server, and a fresh V8 is still compiling its hot paths with TurboFan on its
 * background threads seconds into the traffic: with 1 s the measured window of 20 rooms x 100 still
 * held 1 to 1.5 us per delivery of compile threads for Huntroom (more code per update: storage, the
 * federation tap, validation) against 0.3 us for y-websocket, about 0.5 us after 10 s (perf and
 * per-thread /proc counters, docs/performance.md "Fan-out, 2026-11-29 (afternoon)"). A server in
 * service has long finished that, so the point measures it warm. `--warmup-ms=N` sets it.
 */
const WARM_MS = quick ? 1000 : 10_000;
/**
 * The thin receivers: `native` (default): the fan-out's and hot room's receivers connect with the lean
 * client and are then read by a C process (thin/native/), which costs the generator less per delivery
 * and counts the same (docs/performance.md, "Native receivers, 2026-11-29 (night)"); where no C compiler
 * builds it, and for every other scenario, the lean client runs. `lean` (thin/lean.mjs: WebSocket
 * frames parsed by hand from one reused read buffer) or `ws` (thin/ws.mjs: the `ws` library's client)
 * choose those everywhere, for comparison.
 */
const THIN = raw('thin') ?? 'native';
if (!['lean', 'ws', 'native'].includes(THIN)) throw new Error(`--thin must be lean, ws or native, got ${THIN}`);
const CORE = ['fanout', 'idle', 'coldload', 'reconnect'];
const EXTRA = ['hotroom', 'awareness', 'cluster', 'exports'];

export const config = {
  quick,
  thin: THIN,
  repeats: num('repeats', quick ? 3 : 5),
  servers: list('servers', ['huntroom', 'y-websocket', 'hocuspocus']),
  scenarios: list('scenarios', flag('all') ? [...CORE, ...EXTRA] : CORE),
  /**
   * Before each point, wait up to this long for the machine to be quiet; a disturbed point is run up
   * to `attempts` times in all. On a machine that is never quiet (shared with other work), lower both
   * (`--quiet-wait-ms=2000 --attempts=1`) and compare only servers measured in the same run.
   */
  quietWaitMs: num('quiet-wait-ms', 30_000),
  attempts: num('attempts', 2),
  /**
   * A point whose load generator used more than this share of its core(s) is marked INVALID: the rule
   * for receivers that timestamp in JavaScript (`--thin=lean|ws`, and every scenario but the fan-out
   * and hot room), where a busy generator reads late and so adds its own delay to every latency.
   */
  maxGeneratorCpu: num('max-generator-cpu', 0.7),
  /**
   * The rule for the native receivers (fan-out and hot room with `--thin=native`; scenarios/validity.mjs
   * says why): their arrival times are the kernel's receive stamps, so the generator's own delay in
   * reading is in no latency and its CPU share alone says little. Such a point is INVALID when the
   * writers sent under `min-edit-rate` of the edits due, their lateness p99 passes `max-writer-late` of
   * the interval between one writer's edits, the server's sockets were held back by the receivers
   * (heldBack.mjs), the receivers' read lag p99 passes the interval between two updates to one socket
   * or `max-read-lag-ms` when given (receivers.c: the time after the read minus the kernel's stamp;
   * includes any pause of the C process between rounds), or the generator's CPU passes
   * `max-generator-cpu-native` of its cores (saturated).
   */
  maxGeneratorCpuNative: num('max-generator-cpu-native', 0.9),
  maxWriterLate: num('max-writer-late', 0.1),
  minEditRate: num('min-edit-rate', 0.98),
  maxReadLagMs: num('max-read-lag-ms', undefined),
  fanout: {
    rooms: num('rooms', 20),
    steps: list('steps', quick ? ['25', '50', '100'] : ['25', '50', '100', '200']).map(Number),
    /**
     * After the listed steps the ramp goes up by `rampStep` clients per room (250, 300, 350, ... after
     * 200), fine enough to find where each server passes 100 ms, until every server's p99 passed 100 ms,
     * up to `rampCap` clients per room (800: 20 rooms make 16,000 sockets, under the 20,000 open files a
     * process may have here). A server past 100 ms is not run at the steps after.
     */
    rampStep: num('ramp-step', 50),
    rampCap: num('ramp-cap', quick ? 200 : 800),
    /**
     * Receivers spread over this many load-generator processes (spread.mjs); \`auto\` (default) starts
     * with one and spreads a step's receivers when the step before, scaled up, would pass the
     * generator CPU limit; up to \`max-generator-procs\`. Pinned to \`generator-cores\` (default core 1).
     */
    generatorProcs: raw('generator-procs') ?? 'auto',
    maxGeneratorProcs: num('max-generator-procs', 4),
    generatorCores: raw('generator-cores') ?? '1',
    editsPerSecond: num('eps', 10),
    warmupMs: num('warmup-ms', WARM_MS),
    measureMs: num('measure-ms', quick ? 2000 : 3000),
  },
  hotroom: {
    clients: num('hot-clients', 1000),
    writers: list('hot-writers', ['1', '10']).map(Number),
    /** Per writer; 10 writers at 4/s make 40,000 deliveries/s, like the largest fan-out step. */
    editsPerSecond: num('hot-eps', 4),
    warmupMs: num('warmup-ms', WARM_MS),
    measureMs: num('measure-ms', quick ? 2000 : 3000),
  },
  awareness: {
    rooms: num('aw-rooms', 10),
    clientsPerRoom: num('aw-clients', 50),
    cursors: num('aw-cursors', 2),
    hz: num('aw-hz', 10),
    warmupMs: num('warmup-ms', 1000),
    measureMs: num('measure-ms', quick ? 2000 : 3000),
  },
  /** Two Huntroom nodes on PostgreSQL + Redis (Huntroom only; skipped when PostgreSQL is not there). */
  cluster: {
    rooms: num('cluster-rooms', 20),
    clientsPerRoom: num('cluster-clients', 50),
    editsPerSecond: num('eps', 10),
    warmupMs: num('warmup-ms', 1000),
    measureMs: num('measure-ms', quick ? 2000 : 3000),
  },
  /**
   * Huntroom only: `export-indicators` indicators seeded into one node, then each of `export-formats`
   * downloaded as `export-recipient` while another client's waits are measured (/healthz and a note's
   * edit round trip every `export-interval-ms`), and the same for `export-idle-ms` with no export.
   * Seeding 100,000 indicators takes minutes (seedSeconds in each point), so the scenario has its own repeat count.
   */
  exports: {
    indicators: num('export-indicators', quick ? 20_000 : 100_000),
    formats: list('export-formats', ['csv', 'layer', 'stix']),
    recipient: raw('export-recipient') ?? 'US',
    /** As a browser asks (`Accept-Encoding: gzip`): every format but the ZIP comes gzipped; `--export-plain` asks for none. */
    gzip: !flag('export-plain'),
    idleMs: num('export-idle-ms', 3000),
    intervalMs: num('export-interval-ms', 10),
    settleMs: num('export-settle-ms', 1000),
    repeats: num('export-repeats', quick ? 1 : 3),
  },
  idle: {
    sockets: num('idle-sockets', quick ? 1000 : 5000),
    docs: num('idle-docs', quick ? 500 : 2500),
    settleMs: num('idle-settle-ms', 3000),
    /** How long after the sockets left the server's RSS is read again (DESIGN.md: 60 s). */
    afterLeaveMs: num('idle-after-ms', quick ? 20_000 : 60_000),
    /** The wait above makes each round long (about 80 s a server), so the idle scenario has its own
     * repeat count: 5 like every other point, 1 with --quick. */
    repeats: num('idle-repeats', quick ? 1 : 5),
  },
  coldload: {
    /** `edits` (default): a note of `cold-edits` single-character edits at scattered positions; `inserts`: `cold-bytes` of long inserts. */
    doc: raw('cold-doc') ?? 'edits',
    edits: coldEdits,
    /** `--note-cache=<dir>`: keep the built note in a file there for the next run (bigdoc.mjs). */
    cacheDir: raw('note-cache'),
    bytes: num('cold-bytes', 3.4e6),
    rooms: num('cold-rooms', 10),
    clientsPerRoom: num('cold-clients', 20),
    editsPerSecond: num('eps', 10),
  },
  reconnect: {
    clients: num('reconnect-clients', 1000),
    rooms: num('reconnect-rooms', 10),
    windowMs: num('reconnect-window-ms', 1000),
    editsPerSecond: num('eps', 10),
    /**
     * Every room holds the realistic note before the storm: `reconnect-edits` single-character edits at
     * scattered positions (default: the cold-load note, the same build); 0 for empty rooms.
     */
    noteEdits: num('reconnect-edits', coldEdits),
    cacheDir: raw('note-cache'),
    /**
     * What the clients hold when they come back (`--reconnect-with=empty,held`, both by default):
     * `empty`, nothing (every reconnect takes the whole note); `held`, the note (a y-websocket provider
     * sends its state vector and asks only for what it lacks). `held` needs the note.
     */
    with: list('reconnect-with', ['empty', 'held']),
  },
};

const unknownReconnect = config.reconnect.with.filter((w) => w !== 'empty' && w !== 'held');
if (unknownReconnect.length) throw new Error(`--reconnect-with takes empty and held, got ${unknownReconnect.join(', ')}`);
