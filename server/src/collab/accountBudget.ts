/**
 * What all of one account's document sockets on this node may cost together. Each connection has its
 * own CPU budget (Connection.chargeCpu), but an account may open dozens of sockets (one per document,
 * up to `maxConnectionsPerAccount`), which without this would multiply its budget by as many: one
 * hunter with a 3 MB note and 40 sockets pushed /healthz to 16.5 s. Every millisecond charged to a
 * connection is also charged here, and the account's large updates on trial (trial.ts) are counted,
 * so it cannot hold more than a few of the pool's threads at once.
 */
export class AccountBudgets {
  private readonly cpu = new Map<string, { usedMs: number; windowStart: number }>();
  private readonly trials = new Map<string, number>();

  constructor(
    private readonly budgetMs: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Adds CPU time spent for the account; false once it is over its budget for the window. */
  charge(accountId: string, ms: number): boolean {
    const t = this.now();
    let entry = this.cpu.get(accountId);
    if (!entry || t - entry.windowStart > this.windowMs) {
      if (this.cpu.size > 1_000) this.prune(t);
      entry = { usedMs: 0, windowStart: t };
      this.cpu.set(accountId, entry);
    }
    entry.usedMs += ms;
    return entry.usedMs <= this.budgetMs;
  }

  /** Counts a trial in flight; undefined when the account already has `max`. Call the result when it ends. */
  startTrial(accountId: string, max: number): (() => void) | undefined {
    const n = this.trials.get(accountId) ?? 0;
    if (n >= max) return undefined;
    this.trials.set(accountId, n + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.trials.get(accountId) ?? 1) - 1;
      if (left > 0) this.trials.set(accountId, left);
      else this.trials.delete(accountId);
    };
  }

  private prune(t: number): void {
    for (const [id, e] of this.cpu) if (t - e.windowStart > this.windowMs) this.cpu.delete(id);
  }
}
