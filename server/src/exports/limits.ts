/**
 * How many exports one account may run: a few at once and a few dozen a minute (EXPORTS_AT_ONCE_PER_ACCOUNT,
 * EXPORTS_PER_MINUTE_PER_ACCOUNT). Each export reads every item of the workspace the recipient may see
 * and builds the file in the worker pool; without a cap one observer asking for 60 at once took 71
 * threads and 1.1 GB. Over either limit: 429 with Retry-After, before any of that work starts. The pool's
 * own queue (workers/pool.ts) bounds what all accounts together can ask for: when it is full, an
 * export is refused with 503 and Retry-After, also before any work.
 */
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { PoolBusyError } from '../workers/pool.js';

export function exportLimits(ctx: AppContext) {
  const { exportsAtOnce, exportsPerMinute } = ctx.config.limits;
  const running = new Map<string, number>();
  // Exports of all accounts in progress on this node, reading or building: no more than the pool can
  // take (its threads and its queue), counted from the start, because reading the workspace comes
  // before the pool and runs on the main thread.
  let all = 0;
  const { threads, queue } = ctx.resources.workers.options;
  const perMinute = rateLimit({
    windowMs: 60_000,
    limit: exportsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.auth!.account.id,
    handler: () => {
      throw new AppError('rate_limited', `at most ${exportsPerMinute} exports a minute; wait a little and try again`);
    },
  });
  const atOnce = (req: Request, res: Response, next: NextFunction) => {
    // The node has as many exports under way as the pool can take: refuse now, before this one reads
    // the workspace for nothing.
    if (all >= threads + queue || ctx.resources.workers.full) {
      res.setHeader('Retry-After', '5');
      throw new PoolBusyError();
    }
    const id = req.auth!.account.id;
    const n = running.get(id) ?? 0;
    if (n >= exportsAtOnce) {
      res.setHeader('Retry-After', '5');
      throw new AppError('rate_limited', `at most ${exportsAtOnce} exports at once; wait for one to finish`);
    }
    running.set(id, n + 1);
    all++;
    res.once('close', () => {
      all--;
      const left = (running.get(id) ?? 1) - 1;
      if (left > 0) running.set(id, left);
      else running.delete(id);
    });
    next();
  };
  // Anonymous callers pass through to the route's own 401.
  return [
    (req: Request, res: Response, next: NextFunction) => (req.auth ? atOnce(req, res, next) : next()),
    (req: Request, res: Response, next: NextFunction) => (req.auth ? perMinute(req, res, next) : next()),
  ];
}
