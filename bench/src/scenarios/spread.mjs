/**
 * The fan-out rooms with their thin receivers spread over `procs` load-generator processes
 * (receivers-proc.mjs), for the steps of the ramp where one process would saturate its core. The
 * writers stay here. Same interface as Rooms (rooms.mjs), plus `generatorCpu()`: the CPU of this
 * process and of every receivers process over a window, in cores, and each process's own share.
 *
 * Pinning: every receivers process runs under `taskset -c <cores>` (`--generator-cores`, default the
 * generator's core 1): on a 2-core machine whose other core is the server's, more processes spread the
 * event loops but not the CPU; `--generator-cores=0,1` gives them the server's core too, which then
 * measures the server with less than a core of its own (docs/performance.md says what each means).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writer, driveEdits, latenessWhileRecording } from '../writer.mjs';
import { cpuSeconds } from '../proc.mjs';
import { config } from '../config.mjs';
import { histogramPercentile } from '../stats.mjs';

const SCRIPT = fileURLToPath(new URL('../receivers-proc.mjs', import.meta.url));

/** A receivers process; `thin` overrides the run's thin client (thin/cost.mjs runs one of each). */
export class ReceiversProc {
  constructor(cores, thin = config.thin) {
    this.child = spawn('taskset', ['-c', cores, process.execPath, SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // The child reads no flags: the thin client of this run (--thin) goes by environment.
      env: { ...process.env, BENCH_THIN: thin },
    });
    this.waiting = new Map();
    this.child.on('message', (m) => {
      const w = this.waiting.get(m.type);
      this.waiting.delete(m.type);
      w?.(m);
    });
    this.ready = this.next('ready');
  }

  next(type) {
    return new Promise((resolve, reject) => {
      this.waiting.set(type, resolve);
      this.child.once('exit', (code) => reject(new Error(`receivers process exited with ${code} before ${type}`)));
    });
  }

  ask(message, reply) {
    const answer = this.next(reply);
    this.child.send(message);
    return answer;
  }

  get pid() {
    return this.child.pid;
  }
}

/**
 * The read lag histograms of the native receivers processes (thin/native/receivers.mjs) added
 * together, then read: `{ p50, p99, max, n }` in ms over every stamped update of the window.
 */
export function mergeReadLag(lags) {
  const [first] = lags;
  if (lags.some((l) => l.bucketMs !== first.bucketMs || l.counts.length !== first.counts.length)) throw new Error('native receivers: read lag histograms differ');
  const counts = new Float64Array(first.counts.length);
  for (const l of lags) l.counts.forEach((c, i) => (counts[i] += c));
  const max = Math.max(...lags.map((l) => l.maxMs));
  return {
    p50: histogramPercentile(counts, first.bucketMs, max, 50),
    p99: histogramPercentile(counts, first.bucketMs, max, 99),
    max: lags.some((l) => l.n) ? max : NaN,
    n: lags.reduce((a, l) => a + l.n, 0),
  };
}

export class SpreadRooms {
  constructor(targets, clientsPerRoom, writersPerRoom = 1, { procs, cores }) {
    this.targets = targets;
    this.clientsPerRoom = clientsPerRoom;
    this.sentAt = targets.map(() => []);
    this.writers = targets.flatMap((t, room) => Array.from({ length: writersPerRoom }, () => new Writer(t, this.sentAt[room])));
    this.procs = Array.from({ length: procs }, () => new ReceiversProc(cores));
    // Receivers of each room, as evenly as they divide.
    this.shares = this.procs.map((_, i) => Math.floor(clientsPerRoom / procs) + (i < clientsPerRoom % procs ? 1 : 0));
    this.receivers = { length: clientsPerRoom * targets.length };
    this.latencies = [];
    this.deliveries = 0;
    this.maxGap = 0;
    /** How late each edit of the window was sent after its due time, ms (writer.mjs driveEdits). */
    this.writerLate = [];
    /** --thin=native: the C receivers' read lag over the window, all processes merged (mergeReadLag). */
    this.readLag = undefined;
    this.recording = false;
    this.failed = 0;
    this.nativePids = [];
  }

  async connect() {
    await Promise.all(this.procs.map((p) => p.ready));
    await Promise.all(this.writers.map((w) => w.connect()));
    const results = await Promise.all(this.procs.map((p, i) => p.ask({ type: 'connect', targets: this.targets, perRoom: this.shares[i] }, 'connected')));
    // --thin=native: each receivers process has a C child reading its sockets, whose CPU counts too.
    this.nativePids = results.map((r) => r.nativePid).filter(Boolean);
    this.failed = results.reduce((n, r) => n + r.failed, 0);
    this.connectErrors = Object.assign({}, ...results.map((r) => r.errors));
  }

  startEditing(perSecond) {
    this.stopEditing = driveEdits(this.writers, perSecond, { onSent: latenessWhileRecording(this) });
  }

  record() {
    this.writerLate = [];
    this.recording = true;
    for (const p of this.procs) p.child.send({ type: 'record' });
  }

  /** Ends the window: each process computes its deliveries' latencies against the send times. */
  async stopRecording() {
    this.recording = false;
    const sentAt = this.sentAt.map((times) => Float64Array.from(times, (t) => t + performance.timeOrigin));
    const results = await Promise.all(this.procs.map((p) => p.ask({ type: 'stop', sentAt }, 'stopped')));
    this.latencies = results.flatMap((r) => Array.from(r.latencies));
    this.deliveries = results.reduce((n, r) => n + r.deliveries, 0);
    this.maxGap = Math.max(0, ...results.map((r) => r.maxGap));
    // --thin=native: sockets the servers closed, and updates timed by the read for want of a kernel stamp.
    this.native = this.nativePids.length
      ? ['closed', 'protocolErrors', 'unstamped'].reduce((o, k) => ({ ...o, [k]: results.reduce((n, r) => n + (r[k] ?? 0), 0) }), {})
      : undefined;
    this.readLag = this.nativePids.length ? mergeReadLag(results.map((r) => r.readLag)) : undefined;
  }

  get editsSent() {
    return this.sentAt.reduce((n, s) => n + s.length, 0);
  }

  /**
   * CPU of this process and each receivers process (then each native one) from now until the returned
   * function is called.
   */
  generatorCpu() {
    const pids = [...this.procs.map((p) => p.pid), ...this.nativePids];
    const own0 = process.cpuUsage();
    const c0 = pids.map(cpuSeconds);
    const t0 = performance.now();
    return () => {
      const seconds = (performance.now() - t0) / 1000;
      const own = process.cpuUsage(own0);
      const shares = [(own.user + own.system) / 1e6 / seconds, ...pids.map((pid, i) => (cpuSeconds(pid) - c0[i]) / seconds)];
      return { total: shares.reduce((a, b) => a + b, 0), shares };
    };
  }

  close() {
    this.stopEditing?.();
    this.recording = false;
    for (const w of this.writers) w.close();
    for (const p of this.procs) if (p.child.connected) p.child.send({ type: 'close' });
  }
}
