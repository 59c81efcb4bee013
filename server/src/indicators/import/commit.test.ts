/**
 * batchEnd: an import's batches never cut one value's run of file sightings, since bulkCreate counts
 * the copies one command brings against those the indicator held (repeats.ts).
 */
import { describe, expect, it } from 'vitest';
import { batchEnd } from './commit.js';

const row = (value: string) => ({ item: { type: 'domain', value } });
const seen = (value: string) => ({ item: { type: 'domain', value }, sighting: true as const });

describe('batchEnd', () => {
  it('cuts at 2,000 items when no run of sightings crosses there', () => {
    const items = [...Array.from({ length: 2_500 }, (_, i) => row(`v${i}.example`))];
    expect(batchEnd(items, 0)).toBe(2_000);
    expect(batchEnd(items, 2_000)).toBe(2_500);
  });

  it("moves the cut back to the start of a value's run of sightings that would be split", () => {
    const items = [...Array.from({ length: 1_990 }, (_, i) => row(`v${i}.example`)), ...Array.from({ length: 30 }, () => seen('a.example')), seen('b.example')];
    // The run of a.example sits at 1,990..2,019: the first batch ends before it, the next holds it whole.
    expect(batchEnd(items, 0)).toBe(1_990);
    expect(batchEnd(items, 1_990)).toBe(items.length);
  });

  it('a run of another value right at the cut is not held back', () => {
    const items = [...Array.from({ length: 1_999 }, () => seen('a.example')), seen('b.example'), seen('c.example')];
    expect(batchEnd(items, 0)).toBe(2_000);
  });
});
