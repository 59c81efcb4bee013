/**
 * Starts a server in its own process pinned to core 0 (`taskset -c 0`, which execs the command, so
 * the child's pid is the server's own and /proc/<pid> numbers are the server's alone). Resolves when
 * a line of its stdout matches `ready`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpuSeconds, rssBytes } from '../proc.mjs';
import { allowedCpus } from '../pinning.mjs';

export const SERVER_CORE = '0';

// Servers still running when the benchmark ends or is interrupted are stopped with it.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

/** A free TCP port on the loopback address (the servers that cannot listen on port 0 need one). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function spawnPinned(args, { env = {}, ready, timeoutMs = 60_000 }) {
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const match = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready: ${stderr}`));
    });
  });
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  const exited = new Promise((r) => child.once('exit', r));
  // The kernel's word on the pinning, not ours: a server that is not on its core is no result.
  const cpus = allowedCpus(child.pid);
  if (cpus !== SERVER_CORE) throw new Error(`server pinned to CPUs ${cpus}, expected ${SERVER_CORE}`);
  return {
    pid: child.pid,
    match,
    cpuSeconds: () => cpuSeconds(child.pid),
    rssBytes: () => rssBytes(child.pid),
    get stderr() {
      return stderr;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
