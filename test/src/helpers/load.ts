/**
 * Hostile and measuring clients for the resource-limit suites: a body streamed from one reused chunk
 * (so this process does not hold what it sends), /healthz latency over fresh connections, and the
 * threads and resident memory of a server process read from /proc.
 */
import { request, get as httpGet } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode, waitForHttp } from './processes.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface StreamResult {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  /** Milliseconds from the first byte sent to the answer's head. */
  ms: number;
  /** Bytes written into the socket when the answer came (the rest was never sent). */
  sentBeforeAnswer: number;
}

export interface StreamOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Bytes of body to send at most. */
  total: number;
  /** Announce the length (Content-Length) or stream without it (chunked). */
  declare?: boolean;
  /** Stop after this many bytes and keep the request open until `release` resolves. */
  pauseAt?: number;
  release?: Promise<void>;
  /** The first bytes of the body (the rest is spaces, which JSON allows). */
  prefix?: string;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/**
 * Sends a body of `total` bytes to `url + path`, stopping as soon as the server answers; resolves with
 * the answer and how much had been sent by then. A server that closes the socket early is fine.
 */
export function streamBody(url: string, path: string, opts: StreamOptions): Promise<StreamResult> {
  const { method = 'POST', total, declare = true } = opts;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  // Said explicitly: Node's client frames a DELETE body only when told to.
  if (declare) headers['content-length'] = String(total);
  else headers['transfer-encoding'] = 'chunked';
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method, headers, agent: false });
    let sent = 0;
    let answered = false;
    const started = performance.now();
    req.on('response', (res) => {
      answered = true;
      const ms = performance.now() - started;
      const sentBeforeAnswer = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      const done = () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* keep the text */
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ms, sentBeforeAnswer });
        req.destroy();
      };
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = async () => {
      if (opts.prefix) {
        req.write(opts.prefix);
        sent += Buffer.byteLength(opts.prefix);
      }
      let writes = 0;
      while (sent < total && !answered && !req.destroyed) {
        // A write the kernel takes at once does not yield: let the answer be seen now and then.
        if (++writes % 16 === 0) await new Promise((r) => setImmediate(r));
        if (opts.pauseAt !== undefined && sent >= opts.pauseAt && opts.release) {
          await opts.release;
          opts.release = undefined;
          continue;
        }
        const n = Math.min(CHUNK.length, total - sent);
        sent += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          await new Promise<void>((r) => {
            const done = () => {
              req.off('drain', done);
              req.off('close', done);
              r();
            };
            req.once('drain', done);
            req.once('close', done);
          });
        }
      }
      if (!answered && !req.destroyed) req.end();
    };
    void pump().catch(() => undefined);
  });
}

/** One GET /healthz on a fresh connection; resolves with its latency (ms). */
export function healthzOnce(url: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    httpGet(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`healthz ${res.statusCode}`))));
    }).on('error', reject);
  });
}

export interface Latency {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/** `n` sequential /healthz requests; their p50, p99 and max. */
export async function healthzLatency(url: string, n = 200): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await healthzOnce(url));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { samples: n, p50: round(at(0.5)), p99: round(at(0.99)), max: round(times[times.length - 1]!) };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Threads, resident memory (MiB) and CPU time used so far (ms, user + system) of a process, from /proc. */
export function procStats(pid: number): { threads: number; rssMiB: number; cpuMs: number } {
  const threads = readdirSync(`/proc/${pid}/task`).length;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses; clock ticks of 10 ms.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  return { threads, rssMiB: rss ? Math.round(Number(rss[1]) / 1024) : NaN, cpuMs };
}

export interface HostileStats {
  sent: number;
  mbSent: number;
  statuses: Record<string, number>;
}

/**
 * Starts hostileBodies.mjs in a process of its own against `url`; resolves once it sends. `stop()`
 * ends it and resolves with what it sent and the answers it got.
 */
export async function startHostileBodies(opts: { url: string; routes: [string, string][]; headers: Record<string, Record<string, string>>; loops?: number; durationMs?: number }) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./hostileBodies.mjs', import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', HOSTILE: JSON.stringify(opts) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('started') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`hostile client exited early: ${out}`)));
  });
  return {
    pid: child.pid!,
    async stop(): Promise<HostileStats> {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out.trim().split('\n').pop()!) as HostileStats;
    },
  };
}

export interface SpawnedServer {
  url: string;
  pid: number;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** `node server/dist/main.js` on a free port with a fresh DATA_DIR, so its threads and memory are its own. */
export async function spawnServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-proc-'));
  const port = await freePort();
  const proc = spawnNode('main.js', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', HUNTROOM_DEMO: 'accounts', ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 30_000, () => proc.child.exitCode === null);
  return {
    url,
    pid: proc.child.pid!,
    dataDir,
    output: () => proc.output(),
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Samples `sample()` every `everyMs` until `stop()`; resolves with every value seen. */
export function sampleWhile<T>(sample: () => T, everyMs = 20) {
  const seen: T[] = [];
  const timer = setInterval(() => {
    try {
      seen.push(sample());
    } catch {
      /* the process may be gone */
    }
  }, everyMs);
  return {
    stop(): T[] {
      clearInterval(timer);
      return seen;
    },
  };
}
