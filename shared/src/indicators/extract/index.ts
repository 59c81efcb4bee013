/**
 * Extraction of indicators from free text: tool output, reports, e-mail bodies, defanged text. The
 * text is refanged, then rules run from the most specific to the least (URL before the domain in it,
 * e-mail before its domain, CIDR before its address); each match is blanked out so a less specific
 * rule cannot take it again. Every rule is linear in its input (see rule.ts), so a 1 MB paste of any
 * shape is read in well under a second. Large inputs are processed in line-aligned chunks with a
 * progress callback, so a Web Worker can report progress on a 10 MB paste.
 */
import { refang } from '../refang.js';
import { CandidateSet, type Candidate } from '../candidates.js';
import { Emitter } from './emit.js';
import { LineIndex } from './lines.js';
import { lineKinds, type TableRow } from './lineKinds.js';
import { emailRule, urlRule, cidrV4Rule, ipv4Rule, ipv6Rule, magnetRule } from './network.js';
import { mutexRule, namedPipeRule, regkeyRule, windowsPathRule, unixPathRule } from './paths.js';
import { asRule, btcRule, cveRule, hashRule, ssdeepRule, walletRule } from './misc.js';
import { hostRule } from './hosts.js';
import type { Rule } from './rule.js';

export interface ExtractOptions {
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Characters per chunk; progress is reported after each. */
  chunkSize?: number;
}

export interface ExtractResult {
  candidates: Candidate[];
  /** Matches found before de-duplication. */
  found: number;
}

/** Most specific first: each rule only sees what the rules before it left. */
export const RULES: readonly Rule[] = [
  magnetRule,
  urlRule,
  emailRule,
  regkeyRule,
  mutexRule,
  namedPipeRule,
  windowsPathRule,
  unixPathRule,
  cidrV4Rule,
  ipv6Rule,
  ipv4Rule,
  cveRule,
  ssdeepRule,
  hashRule,
  btcRule,
  walletRule,
  asRule,
  hostRule,
];

function scan(chunk: string, set: CandidateSet, byPlace: Set<Candidate>): void {
  let work = refang(chunk);
  const tables = new Map<number, TableRow>();
  const kinds = lineKinds(work, tables);
  const e = new Emitter(set, new LineIndex(work), new LineIndex(chunk), work, kinds, tables, byPlace);
  for (const rule of RULES) {
    if (rule.needs && !rule.needs(work)) continue;
    e.text = work;
    if (rule.find) work = blankFound(work, rule, e);
    else if (rule.re) {
      work = work.replace(rule.re, (m: string, ...rest: unknown[]) => {
        // replace() passes the offset after the capture groups (the rules use none) and before the string.
        const at = rest[rest.length - 2] as number;
        return rule.take(m, at, e) === false ? m : blank(m.length);
      });
    }
  }
}

// Blanks of the lengths matches usually have, made once: a 10 MB paste has 100,000 matches.
const BLANKS = Array.from({ length: 257 }, (_, n) => ' '.repeat(n));
const blank = (n: number): string => BLANKS[n] ?? ' '.repeat(n);

/** What `replace` does for a regex rule, for a rule that finds its matches by scanning. */
function blankFound(text: string, rule: Rule, e: Emitter): string {
  const out: string[] = [];
  let last = 0;
  for (const [start, end] of rule.find!(text)) {
    if (rule.take(text.slice(start, end), start, e) === false) continue;
    out.push(text.slice(last, start), blank(end - start));
    last = end;
  }
  if (last === 0) return text;
  out.push(text.slice(last));
  return out.join('');
}

/** Finds, types, refangs, normalizes and de-duplicates every indicator in `text`. */
export function extractIndicators(text: string, opts: ExtractOptions = {}): ExtractResult {
  const set = new CandidateSet();
  const byPlace = new Set<Candidate>();
  const size = opts.chunkSize ?? 512 * 1024;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + size);
    // Cut at a line end so no indicator is split between chunks.
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end);
      if (nl > start) end = nl + 1;
    }
    scan(text.slice(start, end), set, byPlace);
    start = end;
    opts.onProgress?.(start, text.length);
  }
  if (text.length === 0) opts.onProgress?.(0, 0);
  return { candidates: set.list(), found: set.found };
}
