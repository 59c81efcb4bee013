/**
 * Which core the load generator runs on (servers: servers/spawn.mjs, core 0), and what the kernel
 * says the affinity of a process actually is, recorded in the results as a check of the pinning.
 */
import { readFileSync } from 'node:fs';

export const GENERATOR_CORE = '1';

export function allowedCpus(pid = 'self') {
  return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
}
