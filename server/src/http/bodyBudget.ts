/**
 * Body bytes one caller may make the node read on the JSON routes: a rate with a burst, per account
 * (per address when not logged in). A body is at most 1 MB, but a script sending them back to back,
 * from many connections at once, would still keep the main thread reading and the garbage collector
 * busy; past its budget a caller gets 429 before another byte is read. Whole-file uploads are not
 * counted here: they have their own slots (uploadSlots.ts).
 */
export interface BodyBudgetLimits {
  /** Bytes a second, sustained. */
  rate: number;
  /** Bytes at once, after a quiet while. */
  burst: number;
}

/** 2 MB a second and 8 MB at once: a person's requests are a few KB; a bulk script is slowed, not stopped. */
export const DEFAULT_BODY_BUDGET: BodyBudgetLimits = { rate: 2_000_000, burst: 8_000_000 };

export class BodyBudgets {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();

  constructor(
    readonly limits: BodyBudgetLimits = DEFAULT_BODY_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private bucket(key: string) {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 10_000) this.prune(t);
      b = { tokens: this.limits.burst, last: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.limits.burst, b.tokens + ((t - b.last) / 1000) * this.limits.rate);
    b.last = t;
    return b;
  }

  /** Seconds until `key` may send again; 0 when it may now. */
  waitSeconds(key: string): number {
    const b = this.bucket(key);
    return b.tokens > 0 ? 0 : Math.max(1, Math.ceil(-b.tokens / this.limits.rate));
  }

  /** Charges bytes read; the budget may go below zero (one body may be larger than what was left). */
  charge(key: string, bytes: number): void {
    this.bucket(key).tokens -= bytes;
  }

  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.last) / 1000) * this.limits.rate >= this.limits.burst) this.buckets.delete(k);
  }
}
