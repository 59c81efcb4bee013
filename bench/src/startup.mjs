#!/usr/bin/env node
/**
 * Server start-up time (issue 21: to ready on an empty data directory <= 1 s, to the error on a bad
 * setting <= 0.3 s). Spawns the server the way an operator starts it, each time with a fresh temporary
 * data directory, and times from spawn to the "Huntroom is running" line on stdout, and, with a bad
 * setting (PORT=not-a-port), to the process's exit with its error. Two builds, started alternately so
 * that both see the same machine: the bundle that `npm start` runs (server/dist/bundle/main.js, made by
 * server/bundle.mjs) and the unbundled tsc output (server/dist/main.js) for comparison. Also reports the
 * process's CPU time (all threads, as the kernel counts it) when the line came, where /proc exists.
 * Prints every run, the medians and maxima and the load average: `node src/startup.mjs [runs=7]`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.mjs';

const BUILDS = [
  { label: 'bundle (npm start)', main: fileURLToPath(new URL('../../server/dist/bundle/main.js', import.meta.url)) },
  { label: 'unbundled dist/main.js', main: fileURLToPath(new URL('../../server/dist/main.js', import.meta.url)) },
];
const runs = Number(process.argv[2] ?? 7);
const TICKS_PER_MS = 100 / 1000; // USER_HZ, 100 on Linux

for (const { main } of BUILDS) {
  if (!existsSync(main)) {
    console.error(`${main} is missing: build first (npm run build)`);
    process.exit(1);
  }
}

/** CPU time of a live process in ms (user + system, all threads), or NaN without /proc. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS;
  } catch {
    return NaN;
  }
}

/** Milliseconds from spawn until `until(stdout)` is true or the process exits; stops it then. */
function timeRun(main, env, until) {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-startup-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let finished = false;
  return new Promise((resolve) => {
    const done = (how) => {
      if (finished) return;
      finished = true;
      const ms = performance.now() - t0;
      const cpu = how === 'ready' ? cpuMs(child.pid) : NaN;
      child.kill('SIGKILL');
      const cleanUp = () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve({ ms, cpu, how, err: err.trim().split('\n')[0] });
      };
      if (child.exitCode !== null || child.signalCode !== null) cleanUp();
      else child.once('close', cleanUp);
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (until(out)) done('ready');
    });
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => code !== null && done(`exit ${code}`));
  });
}

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'n/a');

async function series(title, env, until) {
  const load = [loadavg()[0]];
  const results = new Map(BUILDS.map((b) => [b.label, { ms: [], cpu: [] }]));
  for (let i = 0; i < runs; i++) {
    // Alternate which build goes first, so neither always follows the other's exit.
    for (const build of i % 2 ? [...BUILDS].reverse() : BUILDS) {
      const r = await timeRun(build.main, env, until);
      results.get(build.label).ms.push(r.ms);
      results.get(build.label).cpu.push(r.cpu);
      const cpu = Number.isFinite(r.cpu) ? `, CPU ${fmt(r.cpu)}` : '';
      console.log(`${title}, ${build.label}, run ${i + 1}: ${fmt(r.ms)}${cpu} (${r.how}${r.err && r.how !== 'ready' ? `: ${r.err}` : ''})`);
    }
  }
  load.push(loadavg()[0]);
  console.log(`${title}: load average ${load.map((l) => l.toFixed(1)).join(' -> ')}`);
  for (const [label, { ms, cpu }] of results) {
    const cpuPart = cpu.some(Number.isFinite) ? `; CPU median ${fmt(percentile(cpu.filter(Number.isFinite), 50))}` : '';
    console.log(`  ${label}: median ${fmt(percentile(ms, 50))}, max ${fmt(Math.max(...ms))} over ${runs} runs${cpuPart}`);
  }
  console.log('');
}

await series('ready on an empty data directory', {}, (out) => out.includes('Huntroom is running at'));
await series('error on a bad setting (PORT=not-a-port)', { PORT: 'not-a-port' }, () => false);
