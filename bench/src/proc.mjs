/**
 * What a server process costs, read from /proc so that the same numbers come out for three servers
 * written three ways: CPU seconds (utime + stime of /proc/<pid>/stat) and resident memory (VmRSS).
 * The servers run in their own processes, so these are theirs alone.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds used so far by the process (user + system). Resolution 1/CLK_TCK s. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU share of this (load generator) process over an interval: 1 = one full core. */
export function generatorMeter() {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const d = process.cpuUsage(cpu0);
    return (d.user + d.system) / 1000 / (performance.now() - t0);
  };
}

/** Server CPU over an interval, in seconds. */
export function serverMeter(pid) {
  const c0 = cpuSeconds(pid);
  return () => cpuSeconds(pid) - c0;
}

/**
 * Busy share of one core over an interval, from /proc/stat (everything but idle and iowait). Unlike a
 * process's own CPU time this includes the kernel's softirq work for loopback TCP and any steal by
 * the hypervisor, so a core that is full shows as full even when the process on it looks idle.
 */
export function coreMeter(core) {
  const read = () => {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `));
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + v[4];
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  const a = read();
  return () => {
    const b = read();
    const total = b.total - a.total;
    return total ? 1 - (b.idle - a.idle) / total : NaN;
  };
}

/** Busy share of one core over `ms`. */
export async function coreBusy(core, ms) {
  const meter = coreMeter(core);
  await new Promise((r) => setTimeout(r, ms));
  return meter();
}

/** Busy share of the whole machine (all cores) over `ms`. */
export async function machineBusy(ms) {
  const meters = [coreMeter('0'), coreMeter('1')];
  await new Promise((r) => setTimeout(r, ms));
  const shares = meters.map((m) => m());
  return shares.reduce((a, b) => a + b, 0) / shares.length;
}

/**
 * Waits until the machine is quiet (under `threshold` busy over half a second), up to `maxWaitMs`.
 * Other work on this machine (another checkout's tests, CI) is not visible as processes from here
 * but shares the two cores; a point measured during it would measure that too. Returns the busy
 * share seen last, which goes into the point's record.
 */
export async function waitQuiet({ threshold = 0.1, maxWaitMs = 30_000 } = {}) {
  const until = performance.now() + maxWaitMs;
  let busy = await machineBusy(500);
  while (busy > threshold && performance.now() < until) busy = await machineBusy(500);
  return busy;
}
