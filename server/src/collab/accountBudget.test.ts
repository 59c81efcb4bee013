import { describe, expect, it } from 'vitest';
import { AccountBudgets } from './accountBudget.js';

describe('AccountBudgets', () => {
  it('sums what every connection of an account spends in a window, then starts over', () => {
    let t = 0;
    const b = new AccountBudgets(2_000, 10_000, () => t);
    // Forty connections at 60 ms each: each far under a connection's own 1 s, together over 2 s.
    const verdicts = Array.from({ length: 40 }, () => b.charge('ben', 60));
    expect(verdicts.slice(0, 33).every(Boolean)).toBe(true);
    expect(verdicts.slice(34).some(Boolean)).toBe(false);
    expect(b.charge('alice', 60)).toBe(true);
    t += 10_001;
    expect(b.charge('ben', 60)).toBe(true);
  });

  it('counts trials in flight per account, and gives a slot back once', () => {
    const b = new AccountBudgets(2_000, 10_000);
    const first = b.startTrial('ben', 2)!;
    const second = b.startTrial('ben', 2)!;
    expect(b.startTrial('ben', 2)).toBeUndefined();
    expect(b.startTrial('alice', 2)).toBeDefined();
    first();
    first();
    const third = b.startTrial('ben', 2);
    expect(third).toBeDefined();
    expect(b.startTrial('ben', 2)).toBeUndefined();
    second();
    third!();
  });
});
