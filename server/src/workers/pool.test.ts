import { describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.js';

describe('WorkerPool', () => {
  // piscina stops making threads once they fail while they start; a task queued after that waited for
  // ever (an export that never answered when the bundle lacked tasks.js). It must be refused instead.
  it('refuses a task when its threads cannot start, instead of leaving it waiting', async () => {
    const pool = new WorkerPool({ threads: 2, queue: 4, filename: new URL('./no-such-worker-file.js', import.meta.url).href });
    try {
      pool.warm();
      // Whether the pool was already given up or the task is queued on it, the answer is an error.
      await expect(pool.run('exportTask', {})).rejects.toThrow(/no-such-worker-file|could not start/);
      await expect(pool.run('exportTask', {})).rejects.toThrow(/no-such-worker-file|could not start/);
    } finally {
      await pool.close();
    }
  });
});
