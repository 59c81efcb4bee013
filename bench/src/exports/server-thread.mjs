/**
 * Watches a node's main thread from outside, in a worker thread of the bench (waits.mjs starts it):
 * every millisecond or so it reads /proc/<pid>/task/<pid>/schedstat (the thread's CPU time and its
 * time runnable but waiting for a core, in ns). A stretch is a run of samples in which the thread
 * never slept (CPU plus waiting covered at least 80% of the wall time between samples): as long as it
 * lasts, it may read no other client's request. Not a bound either way: a thread working through many
 * short turns does not sleep, yet reads requests between them; and a thread asleep on a lock (a
 * parallel garbage collection waiting for its helper threads, a mutex) reads none, yet is not counted
 * (its state is S, as when it waits for I/O). Sampled intervals longer than
 * MAX_SAMPLE_GAP_MS (this thread held up) end a stretch and are answered as watcherGapMs. A sample that finds it in state D (asleep in the kernel on
 * a disk or writeback) counts too. Per window the longest stretch is answered with how much of it was
 * CPU (the node's own work: a long turn, a collection), waiting for the core (the export's thread or
 * anything else on the server core) and blocked in the kernel, so a long wait of a client can be told
 * apart: the node busy, kept off its core, or held in the kernel; and the server core's steal time in
 * the stretch and in the whole window (the virtual machine itself kept off the host's CPU).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';

const task = `/proc/${workerData.pid}/task/${workerData.pid}`;
// The server core's steal time (/proc/stat, in USER_HZ ticks of 10 ms): time the hypervisor ran
// something else on it. In a virtual machine the guest's clock runs on, so a stolen stretch shows in
// schedstat as CPU or waiting of whichever thread was there, and as a delay of every thread.
const core = `cpu${workerData.core ?? 0} `;
const stealMs = () => {
  const stat = readFileSync('/proc/stat', 'latin1');
  const at = stat.indexOf(core);
  return Number(stat.slice(at, stat.indexOf('\n', at)).trim().split(/\s+/)[8]) * 10;
};
const read = () => {
  const steal = stealMs();
  const [cpu, wait] = readFileSync(`${task}/schedstat`, 'latin1').split(' ', 2).map(Number);
  // The state letter after the command name: D is asleep in the kernel (disk, a page fault, writeback
  // throttling), which schedstat counts neither as CPU nor as waiting, yet no request is read then.
  const stat = readFileSync(`${task}/stat`, 'latin1');
  return { t: performance.now(), cpu: cpu / 1e6, wait: wait / 1e6, blocked: stat[stat.lastIndexOf(')') + 2] === 'D', steal };
};
const none = () => ({ ms: 0, cpuMs: 0, waitMs: 0, blockedMs: 0, stolenMs: 0 });
let windowStolenMs = 0;
let watcherGapMs = 0;
const MAX_SAMPLE_GAP_MS = 5;
let longest = none();
let stretch = none();
let last = read();
let samples = 0;
let gone = false;

const timer = setInterval(() => {
  let now;
  try {
    now = read();
  } catch {
    // The node has exited.
    gone = true;
    clearInterval(timer);
    return;
  }
  samples++;
  const dt = now.t - last.t;
  const cpu = now.cpu - last.cpu;
  const wait = now.wait - last.wait;
  const stolen = now.steal - last.steal;
  windowStolenMs += stolen;
  // Seen blocked at either end of the interval: its time beyond CPU and waiting counts as blocked.
  const blocked = now.blocked || last.blocked ? Math.max(0, dt - cpu - wait) : 0;
  // A late sample (this thread itself held up) leaves the interval unobserved: the stretch ends there
  // rather than count a gap of the watcher as the node awake.
  watcherGapMs = Math.max(watcherGapMs, dt);
  if (dt <= MAX_SAMPLE_GAP_MS && cpu + wait + blocked >= 0.8 * dt) {
    stretch = { ms: stretch.ms + dt, cpuMs: stretch.cpuMs + cpu, waitMs: stretch.waitMs + wait, blockedMs: stretch.blockedMs + blocked, stolenMs: stretch.stolenMs + stolen };
    if (stretch.ms > longest.ms) longest = stretch;
  } else stretch = none();
  last = now;
}, 1);

parentPort.on('message', (m) => {
  parentPort.postMessage({ ...longest, samples, gone, windowStolenMs, watcherGapMs });
  longest = none();
  windowStolenMs = 0;
  watcherGapMs = 0;
  samples = 0;
  if (m === 'stop') {
    clearInterval(timer);
    parentPort.close();
  }
});
