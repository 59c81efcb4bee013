/**
 * Extraction of indicators from free text: tool output, reports, e-mail bodies, defanged text. The
 * text is refanged, then patterns run from the most specific to the least (URL before the domain in
 * it, e-mail before its domain, CIDR before its address); each match is blanked out so a less
 * specific pattern cannot take it again. Large inputs are processed in line-aligned chunks with a
 * progress callback, so a Web Worker can report progress on a 10 MB paste.
 */
import { refang } from './refang.js';
import { CandidateSet, type Candidate } from './candidates.js';
import { FILE_LIKE_TLDS, isKnownTld } from './tlds.js';
import { canonicalIPv6 } from './ip.js';
import { HASH_LENGTHS } from './types.js';

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

type Rule = [RegExp, (m: string, set: CandidateSet) => void];

const TRAILING = /[.,;:!?)\]}'"]+$/;
const HASH_TYPE: Record<number, string> = Object.fromEntries(Object.entries(HASH_LENGTHS).map(([t, n]) => [n, t]));

function domainOrFile(m: string, set: CandidateSet): void {
  const host = m.toLowerCase();
  const labels = host.split('.');
  const tld = labels[labels.length - 1]!;
  if (labels.length === 2 && FILE_LIKE_TLDS.has(tld)) return void set.add('filename', m);
  if (!isKnownTld(tld)) return;
  set.add(labels.length > 2 ? 'hostname' : 'domain', m);
}

const RULES: Rule[] = [
  [/\b(?:https?|ftps?):\/\/[^\s<>"'`]+/gi, (m, s) => void s.add('url', m.replace(TRAILING, ''))],
  [/\b[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,63}\b/gi, (m, s) => void s.add('email', m)],
  // Not inside a longer dotted number (versions, OIDs): no digit or "." right before, no ".digit" after.
  [/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}\b/g, (m, s) => void s.add('cidr', m)],
  [/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5}\b)?(?!\.?\d)/g, (m, s) => void s.add('ip-dst', m)],
  [/\[[0-9a-f:.]{2,45}\](?::\d{1,5})?/gi, (m, s) => void (canonicalIPv6(m.slice(1, m.indexOf(']'))) && s.add('ip-dst', m.endsWith(']') ? m.slice(1, -1) : m))],
  [/(?<![\w:.])(?:[0-9a-f]{1,4}:|::?){2,7}(?:[0-9a-f]{1,4}|:)(?![\w:.])/gi, (m, s) => void (canonicalIPv6(m) && m.length > 2 && s.add('ip-dst', m))],
  [/\b(?:HKLM|HKCU|HKCR|HKU|HKCC|HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG))\\[^\s"'<>|]+/g, (m, s) => void s.add('regkey', m.replace(TRAILING, ''))],
  [/\b[A-Za-z]:\\(?:[^\\\s"'<>|:*?]+\\)*[^\\\s"'<>|:*?]*/g, (m, s) => void s.add('filepath', m.replace(TRAILING, ''))],
  [/\bCVE-\d{4}-\d{4,7}\b/gi, (m, s) => void s.add('cve', m)],
  [/\b\d{1,8}:[A-Za-z0-9/+]{3,}:[A-Za-z0-9/+]{3,}(?![\w/+:])/g, (m, s) => void s.add('ssdeep', m)],
  [/\b[0-9a-fA-F]{32,128}\b/g, (m, s) => void (HASH_TYPE[m.length] && s.add(HASH_TYPE[m.length]!, m))],
  [/\bbc1[ac-hj-np-z02-9]{11,71}\b/g, (m, s) => void s.add('btc', m)],
  [/\bAS\d{1,10}\b/g, (m, s) => void s.add('as', m)],
  // Unicode letters too: IDN names (bücher.de) are punycoded by normalization.
  [/(?<![\p{L}\p{N}_-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]{0,62}(?![\p{L}\p{N}_@\\-])/giu, domainOrFile],
];

function scan(chunk: string, set: CandidateSet): void {
  let work = refang(chunk);
  for (const [re, take] of RULES) {
    work = work.replace(re, (m) => {
      take(m, set);
      return ' '.repeat(m.length);
    });
  }
}

/** Finds, types, refangs, normalizes and de-duplicates every indicator in `text`. */
export function extractIndicators(text: string, opts: ExtractOptions = {}): ExtractResult {
  const set = new CandidateSet();
  const size = opts.chunkSize ?? 512 * 1024;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + size);
    // Cut at a line end so no indicator is split between chunks.
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end);
      if (nl > start) end = nl + 1;
    }
    scan(text.slice(start, end), set);
    start = end;
    opts.onProgress?.(start, text.length);
  }
  if (text.length === 0) opts.onProgress?.(0, 0);
  return { candidates: set.list(), found: set.found };
}
