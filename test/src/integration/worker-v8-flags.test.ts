/**
 * A server started with a V8 flag (`node --max-semi-space-size=8 ...`, `--trace-gc`) still runs its
 * pool's tasks in worker threads. Node refuses a worker whose explicit execArgv holds a V8 flag
 * (ERR_WORKER_INVALID_EXEC_ARGV); the pool used to pass the main thread's flags explicitly, so every
 * task failed and large document loads fell back to the main thread (docs/performance.md, "Cold open,
 * 2026-11-29 (afternoon)").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_DIST } from '../helpers/processes.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'huntroom-v8-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker pool under V8 flags', () => {
  it('runs a document task in a worker thread when the node was started with --max-semi-space-size', async () => {
    const script = join(dir, 'task.mjs');
    // A document of one insert, folded by the pool's compactTask: the answer is a Yjs update.
    writeFileSync(
      script,
      `import { WorkerPool } from ${JSON.stringify(pathToFileURL(join(SERVER_DIST, 'workers/pool.js')).href)};
const pool = new WorkerPool({ threads: 1, queue: 1 });
const update = new Uint8Array([1, 1, 1, 0, 4, 1, 1, 116, 1, 120, 0]);
try {
  const out = await pool.run('compactTask', { parts: [update] });
  console.log(JSON.stringify({ ok: true, bytes: out.byteLength, threads: pool.stats.threads }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err && err.code || err) }));
}
await pool.close();
`,
    );
    const { stdout } = await run(process.execPath, ['--max-semi-space-size=8', script], { timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: boolean; error?: string; bytes?: number; threads?: number };
    expect(result).toMatchObject({ ok: true, threads: 1 });
    expect(result.bytes).toBeGreaterThan(2);
  }, 90_000);
});
