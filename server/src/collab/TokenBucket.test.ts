import { describe, expect, it } from 'vitest';
import { TokenBucket } from './TokenBucket.js';

describe('TokenBucket', () => {
  it('allows the burst, then the sustained rate', () => {
    let t = 0;
    const b = new TokenBucket(10, 5, () => t);
    for (let i = 0; i < 5; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 100; // 0.1 s at 10/s: one token
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 10_000; // refills to the burst, not beyond
    for (let i = 0; i < 5; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('takes several tokens at once (bytes), all or none', () => {
    let t = 0;
    const b = new TokenBucket(1_000, 4_000, () => t);
    expect(b.take(3_000)).toBe(true);
    expect(b.take(2_000)).toBe(false); // 1,000 left: nothing taken
    expect(b.take(1_000)).toBe(true);
    t += 1_000;
    expect(b.take(5_000)).toBe(false); // more than the burst never fits
    expect(b.take(1_000)).toBe(true);
  });
});
