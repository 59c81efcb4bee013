/**
 * What a node shares out among its callers and must not run out of: the worker pool, the slots for
 * whole-file uploads and the argon2 hashes computed at once. Built once from the configuration in
 * app.ts and reached through the context (docs/security.md "Limits and resources").
 */
import type { Config } from './config.js';
import { WorkerPool, defaultWorkerThreads } from './workers/pool.js';
import { UploadSlots } from './http/uploadSlots.js';
import { HashGate } from './auth/hashGate.js';

export interface Resources {
  workers: WorkerPool;
  uploads: UploadSlots;
  hashes: HashGate;
}

export function createResources(config: Config): Resources {
  const { limits } = config;
  return {
    workers: new WorkerPool({ threads: limits.workerThreads || defaultWorkerThreads(), queue: limits.workerQueue }),
    uploads: new UploadSlots(),
    hashes: new HashGate(limits.hashesAtOnce),
  };
}
