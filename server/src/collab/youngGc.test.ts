/** The young-generation scavenge between the turns of a large document's build (youngGc.ts, persistence.ts). */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { scavengeYoungGeneration } from './youngGc.js';
import { applySlices } from './persistence.js';
import { sliceUpdate } from './slices.js';

/** Counts the scavenges V8 reports while `run` runs (counts, not times: robust on a busy machine). */
async function scavengesDuring(run: () => unknown): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) count++;
  });
  observer.observe({ entryTypes: ['gc'] });
  await run();
  // Entries are delivered after the task that made them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return count;
}

describe('scavengeYoungGeneration', () => {
  it('runs a scavenge now and leaves no gc global behind', async () => {
    const hadGc = 'gc' in globalThis;
    let ran = false;
    const scavenges = await scavengesDuring(() => {
      for (let i = 0; i < 5; i++) ran = scavengeYoungGeneration();
    });
    expect(ran).toBe(true);
    expect(scavenges).toBeGreaterThanOrEqual(5);
    expect('gc' in globalThis).toBe(hadGc);
  });

  it('is run by applySlices after every turn of the build', async () => {
    const source = new Y.Doc();
    const text = source.getText('note');
    for (let i = 0; i < 2_000; i++) text.insert((i * 7919) % (text.length + 1), String(i % 10));
    const slices = sliceUpdate(Y.encodeStateAsUpdate(source), { structs: 50, bytes: 1024, deleteRanges: 10 });
    expect(slices.length).toBeGreaterThanOrEqual(20);
    const live = new Y.Doc();
    // turnMs 0: one slice per turn. A few hundred small items would never fill the young generation
    // by themselves, so as many scavenges as turns come from applySlices.
    const scavenges = await scavengesDuring(() => applySlices(live, slices, null, 0));
    expect(live.getText('note').toString()).toBe(text.toString());
    expect(scavenges).toBeGreaterThanOrEqual(slices.length);
  });
});
