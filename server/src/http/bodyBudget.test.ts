import { describe, expect, it } from 'vitest';
import { BodyBudgets } from './bodyBudget.js';

describe('BodyBudgets', () => {
  it('lets a burst through, then the rate; a body may overdraw, and the wait says how long', () => {
    let t = 0;
    const b = new BodyBudgets({ rate: 1_000, burst: 4_000 }, () => t);
    for (let i = 0; i < 4; i++) {
      expect(b.waitSeconds('ben')).toBe(0);
      b.charge('ben', 1_000);
    }
    expect(b.waitSeconds('ben')).toBe(1);
    expect(b.waitSeconds('alice')).toBe(0);
    t += 500;
    expect(b.waitSeconds('ben')).toBe(0);
    b.charge('ben', 3_500);
    expect(b.waitSeconds('ben')).toBe(3);
    t += 3_001;
    expect(b.waitSeconds('ben')).toBe(0);
  });
});
