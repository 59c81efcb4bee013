/**
 * Watches a node's main thread from outside, in a worker thread of the bench (waits.mjs starts it):
 * every millisecond or so it reads /proc/<pid>/task/<pid>/schedstat (the thread's CPU time and its
 * time runnable but waiting for a core, in ns). A stretch is a run of samples in which the thread
 * never slept (CPU plus waiting covered at least 80% of the wall time between samples): as long as it
 * lasts, no other client's request is read; a sample that finds it in state D (asleep in the kernel on
 * a disk or writeback) counts too. Per window the longest stretch is answered with how much of it was
 * CPU (the node's own work: a long turn, a collection), waiting for the core (the export's thread or
 * anything else on the server core) and blocked in the kernel, so a long wait of a client can be told
 * apart: the node busy, kept off its core, or held in the kernel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';

const task = `/proc/${workerData.pid}/task/${workerData.pid}`;
const read = () => {
  const [cpu, wait] = readFileSync(`${task}/schedstat`, 'latin1').split(' ', 2).map(Number);
  // The state letter after the command name: D is asleep in the kernel (disk, a page fault, writeback
  // throttling), which schedstat counts neither as CPU nor as waiting, yet no request is read then.
  const stat = readFileSync(`${task}/stat`, 'latin1');
  return { t: performance.now(), cpu: cpu / 1e6, wait: wait / 1e6, blocked: stat[stat.lastIndexOf(')') + 2] === 'D' };
};
const none = () => ({ ms: 0, cpuMs: 0, waitMs: 0, blockedMs: 0 });
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
  // Seen blocked at either end of the interval: its time beyond CPU and waiting counts as blocked.
  const blocked = now.blocked || last.blocked ? Math.max(0, dt - cpu - wait) : 0;
  if (cpu + wait + blocked >= 0.8 * dt) {
    stretch = { ms: stretch.ms + dt, cpuMs: stretch.cpuMs + cpu, waitMs: stretch.waitMs + wait, blockedMs: stretch.blockedMs + blocked };
    if (stretch.ms > longest.ms) longest = stretch;
  } else stretch = none();
  last = now;
}, 1);

parentPort.on('message', (m) => {
  parentPort.postMessage({ ...longest, samples, gone });
  longest = none();
  samples = 0;
  if (m === 'stop') {
    clearInterval(timer);
    parentPort.close();
  }
});
