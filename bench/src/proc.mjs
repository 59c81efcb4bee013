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
