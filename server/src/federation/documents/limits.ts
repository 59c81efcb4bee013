/**
 * The document server's defences, for Yjs updates that arrive over a link (docs/federation.md section
 * 8). A local socket has a token bucket of sync messages, a CPU budget (its own and its account's), a
 * frame limit and the worker trial of large updates (collab/MessageReceiver.ts); a peer instance is an
 * untrusted client like any other, so its updates meet the same limits, counted per remote author and,
 * since a hostile peer can name as many authors of its teams as it likes, per link as well:
 *
 * - rate: the collab options' updates per second for each author (burst ten times a socket's: the
 *   outbox replays an outage's edits one by one, where a reconnecting socket sends them as one sync
 *   message), ten times that for the whole link (and ten times an author's burst);
 * - CPU: each author's integrations (trial and main thread) are charged to `cpuBudgetMs` per
 *   `cpuWindowMs`, the link's to `LINK_CPU_FACTOR` times the account budget; once either is spent the
 *   author's (or link's) next updates are deferred unread until the window turns.
 *
 * Over a rate or a budget is not a refusal: `admit` says how long to wait, and the channel holds the
 * link's ordered stream that long and tries the same message again (deferral.ts, FederationDeferral).
 * An honest peer replaying an outage's edits loses none of them; a flooding one gets its budget of this
 * node's time and no more, and only its own link waits.
 *
 * Memory is bounded: the maps are cleared when a hostile peer's invented authors make them large.
 */
import type { CollabOptions } from '../../collab/options.js';
import { TokenBucket } from '../../collab/TokenBucket.js';
import { AccountBudgets } from '../../collab/accountBudget.js';

/** A link's budget is this many accounts' worth: one runaway author is cut off long before its link. */
export const LINK_CPU_FACTOR = 4;
/** An author's burst over a socket's; a link's rate over an author's, and its burst over an author's. */
const LINK_RATE_FACTOR = 10;
const MAX_KEYS = 10_000;

export class LinkUpdateLimits {
  private readonly authorRates = new Map<string, TokenBucket>();
  private readonly linkRates = new Map<string, TokenBucket>();
  private readonly authorCpu: AccountBudgets;
  private readonly linkCpu: AccountBudgets;

  constructor(
    private readonly options: Pick<CollabOptions, 'updatesPerSecond' | 'updateBurst' | 'cpuBudgetMs' | 'cpuWindowMs' | 'accountCpuBudgetMs'>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.authorCpu = new AccountBudgets(options.cpuBudgetMs, options.cpuWindowMs, now);
    this.linkCpu = new AccountBudgets(options.accountCpuBudgetMs * LINK_CPU_FACTOR, options.cpuWindowMs, now);
  }

  /**
   * Takes one update of `author` (undefined: the home's own change) over `link`; undefined when it may
   * be handled now, else why not and when to try again. Spends nothing else.
   */
  admit(link: string, author: Author | undefined): NotNow | undefined {
    const who = authorKey(link, author);
    const { updatesPerSecond: rate, updateBurst: burst, cpuWindowMs } = this.options;
    // One token comes back in 1/rate s; a spent budget when its window turns (looked at again sooner,
    // as a window may have begun before the budget ran out).
    const tokenMs = Math.ceil(1000 / rate);
    const budgetMs = Math.min(cpuWindowMs, 1_000);
    // The author's bucket first: an author over its own rate does not spend its link's tokens.
    if (!this.bucket(this.authorRates, who, rate, burst * LINK_RATE_FACTOR).take())
      return { reason: `updates of ${authorName(author)} over ${link} come faster than ${rate} a second`, retryAfterMs: tokenMs };
    if (!this.bucket(this.linkRates, link, rate * LINK_RATE_FACTOR, burst * LINK_RATE_FACTOR * LINK_RATE_FACTOR).take())
      return { reason: `${link} sends document updates faster than ${rate * LINK_RATE_FACTOR} a second`, retryAfterMs: Math.ceil(tokenMs / LINK_RATE_FACTOR) };
    if (!this.linkCpu.charge(link, 0)) return { reason: `document updates over ${link} cost too much server time`, retryAfterMs: budgetMs };
    if (!this.authorCpu.charge(who, 0)) return { reason: `updates of ${authorName(author)} over ${link} cost too much server time`, retryAfterMs: budgetMs };
    return undefined;
  }

  /** Charges server time spent on an update to its author and link; false once either is spent. */
  charge(link: string, author: Author | undefined, ms: number): boolean {
    const authorOk = this.authorCpu.charge(authorKey(link, author), ms);
    const linkOk = this.linkCpu.charge(link, ms);
    return authorOk && linkOk;
  }

  private bucket(map: Map<string, TokenBucket>, key: string, rate: number, burst: number): TokenBucket {
    let b = map.get(key);
    if (!b) {
      if (map.size >= MAX_KEYS) map.clear();
      b = new TokenBucket(rate, burst, this.now);
      map.set(key, b);
    }
    return b;
  }
}

/** An update over a rate or a budget: why, and in how long it may pass. */
export interface NotNow {
  reason: string;
  retryAfterMs: number;
}

/** Who wrote an update: the remote account's id (the key) and its name here (for the sentences). */
export interface Author {
  id: string;
  name: string;
}

const authorKey = (link: string, author: Author | undefined): string => `${link}\n${author?.id ?? ''}`;
const authorName = (author: Author | undefined): string => author?.name ?? 'the home';
