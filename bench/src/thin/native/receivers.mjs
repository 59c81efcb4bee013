/**
 * The native receivers (`--thin=native`): Node connects each receiver with the lean client (upgrade,
 * hello, the server's sync step 2), then hands the open sockets to one C process (receivers.c), which
 * reads them from then on. child_process.spawn duplicates each socket given in `stdio` into the child
 * at its index (fd 3, 4, ...) and stops reading it in Node; the child inherits this process's CPU
 * affinity (receivers-proc.mjs runs pinned to the generator's core).
 *
 * Why: the lean Node receivers cost about 9-10 µs of generator CPU per delivery, so at 20 rooms x 400
 * receivers (80,000 deliveries/s) the generator's core was the limit, not the servers
 * (docs/performance.md, "Native receivers, 2026-11-29 (night)").
 *
 * Times: the C process stamps each arrival with CLOCK_MONOTONIC in ns, the clock of
 * process.hrtime.bigint() and of performance.now() here (both libuv's uv_hrtime), so arrivals come
 * back as this process's performance.now() values.
 */
import { spawn } from 'node:child_process';
import { nativeBinary } from './build.mjs';

const MAGIC = 0x3243524e; // "NRC2"
const READY = 0x31594452; // "RDY1"
const HEAD_BYTES = 76;

/**
 * performance.now() at CLOCK_MONOTONIC 0, in ms: hrtime read between two performance.now() calls, the
 * closest pair of a few kept. A single first reading was 1.6 ms off (the first calls are slow).
 */
const monotonicOriginMs = (() => {
  let best = { spread: Infinity, origin: 0 };
  for (let i = 0; i < 20; i++) {
    const before = performance.now();
    const ns = process.hrtime.bigint();
    const after = performance.now();
    if (after - before < best.spread) best = { spread: after - before, origin: Number(ns) / 1e6 - (before + after) / 2 };
  }
  return best.origin;
})();

export class NativeReceivers {
  /**
   * `clients`: connected lean clients (thin/lean.mjs) of targets of one dialect. Those whose socket
   * cannot be handed over (closed, or its parser in the middle of a frame) are dropped and counted
   * in `notHandedOff`; `clients` then lists those the C process reads, in its socket order.
   */
  constructor(clients, { binary = nativeBinary().path } = {}) {
    if (!binary) throw new Error('native receivers: no compiled receivers program (thin.mjs falls back to lean)');
    this.clients = [];
    this.notHandedOff = 0;
    const sockets = [];
    for (const c of clients) {
      const sock = c.handOff();
      if (sock) {
        this.clients.push(c);
        sockets.push(sock);
      } else {
        this.notHandedOff++;
        c.drop();
      }
    }
    const dialect = this.clients[0]?.target.dialect === 'hocuspocus' ? 'h' : 'y';
    this.child = spawn(binary, [String(sockets.length), dialect], { stdio: ['pipe', 'pipe', 'inherit', ...sockets] });
    this.chunks = [];
    this.bytes = 0;
    this.waiting = undefined;
    this.exited = undefined;
    /** Resolves once the C process reads the sockets and the kernel stamps their packets. */
    this.ready = new Promise((resolve, reject) => (this.readyWaiting = { resolve, reject }));
    this.child.stdout.on('data', (chunk) => {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      this.tryReport();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `native receivers exited with ${code ?? signal}`;
      this.waiting?.reject(new Error(this.exited));
      this.waiting = undefined;
      this.readyWaiting?.reject(new Error(this.exited));
      this.readyWaiting = undefined;
    });
    // A write after the process exited is reported by its exit, not as an unhandled stream error.
    this.child.stdin.on('error', () => {});
  }

  get pid() {
    return this.child.pid;
  }

  /** Clears what was recorded and records from now on. */
  record() {
    this.child.stdin.write('R');
  }

  /**
   * Stops recording and resolves with the report: deliveries (sync updates while recording), maxGap
   * (ms), per socket `updates` and `markerUpdates` since the start, the arrivals while recording
   * (`socket`, `seq`, `at` in this process's performance.now() ms), and `closed`, `protocolErrors`,
   * `pongs`, `writeFailures`, `unstamped` (updates without a kernel receive timestamp), and `readLag`:
   * how far the C process's reads were behind the kernel's stamps while recording (receivers.c says
   * how), as `{ n, maxMs, bucketMs, counts }`, `counts` a histogram of `bucketMs` wide buckets whose
   * last one holds every longer lag (stats.mjs histogramPercentile reads it; merge by adding counts).
   */
  stop() {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.stdin.write('S');
    });
  }

  tryReport() {
    let buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [buf];
    if (this.readyWaiting) {
      if (this.bytes < 4) return;
      if (buf.readUInt32LE(0) !== READY) throw new Error('native receivers: no ready word');
      buf = buf.subarray(4);
      this.chunks = [buf];
      this.bytes -= 4;
      this.readyWaiting.resolve();
      this.readyWaiting = undefined;
    }
    if (this.bytes < HEAD_BYTES) return;
    if (buf.readUInt32LE(0) !== MAGIC) throw new Error('native receivers: report out of step');
    const n = buf.readUInt32LE(4);
    const arrivals = Number(buf.readBigUInt64LE(16));
    const buckets = buf.readUInt32LE(72);
    const total = HEAD_BYTES + buckets * 4 + n * 8 + arrivals * 16;
    if (this.bytes < total) return;
    const report = {
      deliveries: Number(buf.readBigUInt64LE(8)),
      maxGap: buf.readDoubleLE(24),
      closed: buf.readUInt32LE(32),
      protocolErrors: buf.readUInt32LE(36),
      pongs: buf.readUInt32LE(40),
      writeFailures: buf.readUInt32LE(44),
      unstamped: buf.readUInt32LE(48),
      readLag: {
        n: Number(buf.readBigUInt64LE(52)),
        maxMs: Number(buf.readBigUInt64LE(60)) / 1e6,
        bucketMs: buf.readUInt32LE(68) / 1e6,
        counts: new Uint32Array(buckets),
      },
      updates: new Uint32Array(n),
      markerUpdates: new Uint32Array(n),
      arrivals: { socket: new Uint32Array(arrivals), seq: new Uint32Array(arrivals), at: new Float64Array(arrivals) },
    };
    let at = HEAD_BYTES;
    for (let i = 0; i < buckets; i++, at += 4) report.readLag.counts[i] = buf.readUInt32LE(at);
    for (let i = 0; i < n; i++, at += 8) {
      report.updates[i] = buf.readUInt32LE(at);
      report.markerUpdates[i] = buf.readUInt32LE(at + 4);
    }
    const a = report.arrivals;
    for (let i = 0; i < arrivals; i++, at += 16) {
      a.socket[i] = buf.readUInt32LE(at);
      a.seq[i] = buf.readUInt32LE(at + 4);
      const ns = buf.readUInt32LE(at + 12) * 2 ** 32 + buf.readUInt32LE(at + 8);
      a.at[i] = ns / 1e6 - monotonicOriginMs;
    }
    buf = buf.subarray(total);
    this.chunks = buf.length ? [buf] : [];
    this.bytes = buf.length;
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(report);
  }

  /** Ends the C process (its copies of the sockets close with it); the lean clients still hold theirs. */
  close() {
    if (!this.exited) this.child.stdin.end('Q');
    for (const c of this.clients) c.drop();
  }
}
