import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { trialBudget, trialIntegration } from './trial.js';
import { trialTask, type TrialInput } from './trialWorker.js';
import { PoolBusyError, type WorkerPool } from '../workers/pool.js';

/** A pool that runs the trial task in this thread, or refuses as a full one would. */
const pool = (mode: 'run' | 'busy' | 'hang' = 'run') =>
  ({
    run: (_name: string, input: TrialInput, opts: { signal?: AbortSignal }) =>
      mode === 'busy'
        ? Promise.reject(new PoolBusyError())
        : mode === 'hang'
          ? new Promise((_r, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
          : Promise.resolve(trialTask(input)),
  }) as unknown as WorkerPool;

/** A document's state as the trial takes it (LiveDocument.stateParts). */
function docWith(chars: number) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(chars));
  return () => [Y.encodeStateAsUpdate(doc)];
}
const update = () => {
  const d = new Y.Doc();
  d.getText('t').insert(0, 'y'.repeat(50_000));
  return Y.encodeStateAsUpdate(d);
};

describe('trialIntegration', () => {
  it("charges the copy of the document and the trial's own time to the sender", async () => {
    const charged: number[] = [];
    const { verdict, slices, state } = await trialIntegration(pool(), docWith(1_000_000), update(), 250, (ms) => (charged.push(ms), true));
    expect(verdict).toBe('ok');
    // The update comes back in slices, and the copy's state includes it.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state!);
    expect(doc.getText('t').length).toBe(1_050_000);
    expect(slices!.length).toBeGreaterThan(0);
    const alone = new Y.Doc();
    for (const s of slices!) Y.applyUpdate(alone, s);
    expect(alone.getText('t').toString()).toBe('y'.repeat(50_000));
    // One charge for the copy made on the main thread, one for the integration in the worker.
    expect(charged).toHaveLength(2);
    expect(charged.every((ms) => ms >= 0)).toBe(true);
  });

  it('refuses when the sender is over budget: already for the copy, before a thread is used', async () => {
    let ran = false;
    const watching = { run: (...a: unknown[]) => ((ran = true), (pool().run as (...x: unknown[]) => unknown)(...a)) } as unknown as WorkerPool;
    expect((await trialIntegration(watching, docWith(10), update(), 250, () => false)).verdict).toBe('over-budget');
    expect(ran).toBe(false);
    let n = 0;
    expect((await trialIntegration(pool(), docWith(10), update(), 250, () => ++n < 2)).verdict).toBe('over-budget');
  });

  it('says busy when the pool refuses, malformed for bytes Yjs cannot read', async () => {
    expect((await trialIntegration(pool('busy'), docWith(10), update(), 250, () => true)).verdict).toBe('busy');
    expect((await trialIntegration(pool(), docWith(10), new Uint8Array([1, 2, 3, 250, 250]), 250, () => true)).verdict).toBe('malformed');
  });

  it('allows more time for a larger update (an honest 512 KiB part of a large note), the base for a small one', () => {
    expect(trialBudget(250, 3, 1024)).toBe(253);
    expect(trialBudget(250, 3, 512 * 1024)).toBe(1_786);
  });
});
