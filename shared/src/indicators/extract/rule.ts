import type { Emitter } from './emit.js';

/**
 * One extraction rule: a global regex and what to do with each match. Every regex must be linear on
 * any input: it may start only where a left-context lookbehind allows (so a failed attempt is not
 * retried at every position of the same run) and every repetition inside an attempt is bounded.
 * `take` returns false to leave the text for the rules after it; otherwise the match is blanked so a
 * less specific rule cannot take a part of it again.
 */
export interface Rule {
  name: string;
  /** The matches: a global regex, or `find` for a rule faster written as a scan from an anchor character. */
  re?: RegExp;
  /** Start and end offsets of each match, in order and not overlapping. */
  find?: (text: string) => Iterable<[number, number]>;
  take: (m: string, at: number, e: Emitter) => boolean | void;
  /** A cheap test of the chunk: when false the rule cannot match and its pass is skipped. */
  needs?: (text: string) => boolean;
}
