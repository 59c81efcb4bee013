/**
 * Preload for a server process whose clock is wrong by minutes (docs/federation.md section 6, "clocks
 * differ by minutes"): `NODE_OPTIONS="--require <this file>"` with HUNTROOM_CLOCK_OFFSET_MS set moves
 * Date.now(), `new Date()` and `Date()` by that many milliseconds. Dates built from a value are left
 * alone, so parsing and arithmetic behave as before. performance.now() and timers are not touched (they
 * are monotonic and carry no wall-clock time).
 */
'use strict';

const offset = Number(process.env.HUNTROOM_CLOCK_OFFSET_MS || 0);
if (!Number.isFinite(offset)) throw new Error(`HUNTROOM_CLOCK_OFFSET_MS must be a number of milliseconds, not ${process.env.HUNTROOM_CLOCK_OFFSET_MS}`);
if (offset !== 0) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const now = () => realNow() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length ? args : [now()], newTarget === globalThis.Date ? target : newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return now;
      return Reflect.get(target, prop, receiver);
    },
  });
}
