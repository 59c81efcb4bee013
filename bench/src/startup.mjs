#!/usr/bin/env node
/**
 * Server start-up time (issue 21: to ready on an empty data directory <= 1 s, to the error on a bad
 * setting <= 0.3 s). Spawns `node server/dist/main.js` (built first) the way an operator starts it,
 * each time with a fresh temporary data directory, and times from spawn to the "Huntroom is running"
 * line on stdout, and, with a bad setting (PORT=not-a-port), to the process's exit with its error.
 * Prints every run and the median: `node src/startup.mjs [runs=7]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.mjs';

const main = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
const runs = Number(process.argv[2] ?? 7);

/** Milliseconds from spawn until `until(stdout, stderr)` is true or the process exits; stops it then. */
function timeRun(env, until) {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-startup-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve) => {
    const done = (how) => {
      const ms = performance.now() - t0;
      child.kill('SIGKILL');
      child.once('close', () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve({ ms, how, err: err.trim().split('\n')[0] });
      });
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (until(out)) done('ready');
    });
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => child.exitCode !== null && code !== null && done(`exit ${code}`));
  });
}

async function series(label, env, until) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = await timeRun(env, until);
    times.push(r.ms);
    console.log(`${label} run ${i + 1}: ${r.ms.toFixed(0)} ms (${r.how}${r.err && r.how !== 'ready' ? `: ${r.err}` : ''})`);
  }
  console.log(`${label}: median ${percentile(times, 50).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms over ${runs} runs\n`);
}

await series('ready on an empty data directory', {}, (out) => out.includes('Huntroom is running at'));
await series('error on a bad setting (PORT=not-a-port)', { PORT: 'not-a-port' }, () => false);
