/**
 * The two linked instances most federation suites start from (one pair per file): us-cert and lv-cert,
 * each with the users given (alice, liga by default), linked the way operators link them
 * (federation.ts). `nationPair()` registers the suite's beforeAll/afterAll and returns the pair, whose
 * fields are set once that beforeAll ran. Hooks the suite registers after the call run after the link
 * is up, and their afterAll before the instances stop (vitest runs "after" hooks in reverse).
 * federationDocs.ts adds a shared workspace and logins for the document suites.
 */
import { afterAll, beforeAll } from 'vitest';
import type { StartOptions } from '@huntroom/server';
import { linkNations, startNation, type Nation } from './federation.js';

export interface NationPair {
  us: Nation;
  lv: Nation;
}

/** One instance's users (the first one a team admin), environment and start options. */
interface Side {
  users?: string[];
  env?: Record<string, string>;
  options?: Omit<StartOptions, 'env'>;
}

/** `beforeLink`: what must be in place before the link comes up (a suite's own message handler, say). */
export function nationPair(opts: { us?: Side; lv?: Side; beforeLink?: (pair: NationPair) => void } = {}): NationPair {
  const pair = {} as NationPair;
  beforeAll(async () => {
    const { us = {}, lv = {} } = opts;
    const nations = await Promise.all([
      startNation('us-cert', 'US', us.users ?? ['alice'], us.env, us.options),
      startNation('lv-cert', 'LV', lv.users ?? ['liga'], lv.env, lv.options),
    ]);
    Object.assign(pair, { us: nations[0], lv: nations[1] });
    opts.beforeLink?.(pair);
    await linkNations(pair.us, pair.lv);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([pair.us?.stop(), pair.lv?.stop()]);
  });
  return pair;
}
