import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { trialIntegration } from './trial.js';
import { trialTask } from './trialWorker.js';
import { PoolBusyError, type WorkerPool } from '../workers/pool.js';

/** A pool that runs the trial task in this thread, or refuses as a full one would. */
const pool = (mode: 'run' | 'busy' | 'hang' = 'run') =>
  ({
    run: (_name: string, input: { state: Uint8Array; update: Uint8Array }, opts: { signal?: AbortSignal }) =>
      mode === 'busy'
        ? Promise.reject(new PoolBusyError())
        : mode === 'hang'
          ? new Promise((_r, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
          : Promise.resolve(trialTask(input)),
  }) as unknown as WorkerPool;

function docWith(chars: number) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(chars));
  return doc;
}
const update = () => {
  const d = new Y.Doc();
  d.getText('t').insert(0, 'y'.repeat(50_000));
  return Y.encodeStateAsUpdate(d);
};

describe('trialIntegration', () => {
  it("charges the copy of the document and the trial's own time to the sender", async () => {
    const charged: number[] = [];
    const verdict = await trialIntegration(pool(), docWith(1_000_000), update(), 250, (ms) => (charged.push(ms), true));
    expect(verdict).toBe('ok');
    // One charge for the copy made on the main thread, one for the integration in the worker.
    expect(charged).toHaveLength(2);
    expect(charged.every((ms) => ms >= 0)).toBe(true);
  });

  it('refuses when the sender is over budget: already for the copy, before a thread is used', async () => {
    let ran = false;
    const watching = { run: (...a: unknown[]) => ((ran = true), (pool().run as (...x: unknown[]) => unknown)(...a)) } as unknown as WorkerPool;
    expect(await trialIntegration(watching, docWith(10), update(), 250, () => false)).toBe('over-budget');
    expect(ran).toBe(false);
    let n = 0;
    expect(await trialIntegration(pool(), docWith(10), update(), 250, () => ++n < 2)).toBe('over-budget');
  });

  it('says busy when the pool refuses, malformed for bytes Yjs cannot read', async () => {
    expect(await trialIntegration(pool('busy'), docWith(10), update(), 250, () => true)).toBe('busy');
    expect(await trialIntegration(pool(), docWith(10), new Uint8Array([1, 2, 3, 250, 250]), 250, () => true)).toBe('malformed');
  });
});
