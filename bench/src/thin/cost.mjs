#!/usr/bin/env node
/**
 * `node src/thin/cost.mjs [server=huntroom] [rooms=20] [perRoom=100] [seconds=5] [clients=lean,ws]`:
 * the load generator's own CPU per delivery with each thin client, measured side by side in one run
 * (`native` too: its receivers process and the C process reading the sockets, counted together).
 * One server (pinned to core 0, as in the bench) with `rooms` rooms, one writer each at 10 edits/s in
 * this process, and per client kind a receivers process (receivers-proc.mjs, pinned to the generator's
 * core 1) holding `perRoom` receivers of every room. Both processes get the same messages at the same
 * time, so the CPU each used over the window (/proc), divided by its deliveries, compares the clients
 * on one footing whatever else the machine is doing. Prints CPU share, deliveries/s, µs per delivery
 * and the latency each saw (the generator's own delay is part of it).
 */
import { loadavg } from 'node:os';
import { SERVERS } from '../servers/index.mjs';
import { ReceiversProc } from '../scenarios/spread.mjs';
import { Writer, driveEdits } from '../writer.mjs';
import { readFileSync } from 'node:fs';
import { cpuSeconds } from '../proc.mjs';
import { percentile, sleep } from '../stats.mjs';
import { GENERATOR_CORE } from '../pinning.mjs';

const [serverId = 'huntroom', rooms = '20', perRoom = '100', seconds = '5', kinds = 'lean,ws'] = process.argv.slice(2);
const WARM_MS = Number(process.env.BENCH_WARMUP_MS ?? 10_000);
/** User and system CPU seconds of a process (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
const userSystem = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11]) / 100, Number(fields[12]) / 100];
};

const inst = await SERVERS[serverId].start();
try {
  const targets = await inst.docs(Number(rooms));
  const sentAt = targets.map(() => []);
  const writers = targets.map((t, room) => new Writer(t, sentAt[room]));
  await Promise.all(writers.map((w) => w.connect()));
  const procs = kinds.split(',').map((kind) => ({ kind, proc: new ReceiversProc(GENERATOR_CORE, kind) }));
  await Promise.all(procs.map((p) => p.proc.ready));
  for (const p of procs) {
    const r = await p.proc.ask({ type: 'connect', targets, perRoom: Number(perRoom) }, 'connected');
    if (r.failed) console.log(`${p.kind}: ${r.failed} receivers failed to connect ${JSON.stringify(r.errors)}`);
    // native: the receivers process (which connected them and holds them idle) plus its C child.
    p.pids = [p.proc.pid, ...(r.nativePid ? [r.nativePid] : [])];
  }
  const cpuOf = (p) => p.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const userSystemOf = (p) => p.pids.map(userSystem).reduce(([u, s], [u2, s2]) => [u + u2, s + s2], [0, 0]);
  const stop = driveEdits(writers, 10);
  await sleep(WARM_MS);
  const load = loadavg();
  const cpu0 = procs.map(cpuOf);
  const us0 = procs.map(userSystemOf);
  const t0 = performance.now();
  for (const p of procs) p.proc.child.send({ type: 'record' });
  await sleep(Number(seconds) * 1000);
  const cpu = procs.map((p, i) => cpuOf(p) - cpu0[i]);
  const us = procs.map((p, i) => userSystemOf(p).map((v, j) => v - us0[i][j]));
  const window = (performance.now() - t0) / 1000;
  const absolute = sentAt.map((times) => Float64Array.from(times, (t) => t + performance.timeOrigin));
  const results = await Promise.all(procs.map((p) => p.proc.ask({ type: 'stop', sentAt: absolute }, 'stopped')));
  stop();
  console.log(`${serverId}, ${rooms} rooms x ${perRoom} receivers per client kind, ${window.toFixed(1)} s measured; load average ${load.map((l) => l.toFixed(2)).join(' ')}`);
  procs.forEach((p, i) => {
    const { deliveries, latencies } = results[i];
    const lat = Array.from(latencies);
    console.log(
      `  ${p.kind.padEnd(9)} CPU ${((cpu[i] / window) * 100).toFixed(1)}%  deliveries/s ${(deliveries / window).toFixed(0)}  ` +
        `${((cpu[i] * 1e6) / deliveries).toFixed(2)} µs/delivery (user ${((us[i][0] * 1e6) / deliveries).toFixed(2)}, system ${((us[i][1] * 1e6) / deliveries).toFixed(2)})  p50 ${percentile(lat, 50).toFixed(2)} ms  p99 ${percentile(lat, 99).toFixed(2)} ms`,
    );
  });
  for (const w of writers) w.close();
  for (const p of procs) p.proc.child.send({ type: 'close' });
} finally {
  await inst.stop();
}
process.exit(0);
