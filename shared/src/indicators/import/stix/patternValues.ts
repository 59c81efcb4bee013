/**
 * The values of a STIX pattern that are indicators: each `=` or `IN` comparison on a path Huntroom has a
 * type for. Comparisons that match many values (LIKE, MATCHES, ranges) or say what a value is not
 * (`!=`, NOT) are reported as skipped, never taken as a value. Inside one `[...]` joined only by AND, a
 * connection's address and port become `ip:port`, and a file's name and directory one path.
 */
import { parsePattern, PatternError, type Comparison } from './pattern.js';
import { canonicalPath, pathType, skippedPathReason } from './paths.js';
import { addressType, joinPath, type Found } from './observables.js';

export interface PatternResult {
  values: Found[];
  skipped: { text: string; reason: string }[];
}

const single = (comps: Comparison[], path: string) => {
  const hits = comps.filter((c) => canonicalPath(c.path) === path && c.op === '=' && !c.negated);
  return hits.length === 1 ? hits[0]!.values[0] : undefined;
};

export function patternValues(pattern: string): PatternResult {
  let observations;
  try {
    observations = parsePattern(pattern);
  } catch (e) {
    if (e instanceof PatternError) throw new Error(`the pattern does not parse: ${e.message}`, { cause: e });
    throw e;
  }
  const values: Found[] = [];
  const skipped: PatternResult['skipped'] = [];
  for (const { comparisons, allAnd } of observations) {
    const port = { 'ip-dst': allAnd ? single(comparisons, 'network-traffic:dst_port') : undefined, 'ip-src': allAnd ? single(comparisons, 'network-traffic:src_port') : undefined };
    const refType = { 'ip-dst': single(comparisons, 'network-traffic:dst_ref.type'), 'ip-src': single(comparisons, 'network-traffic:src_ref.type') };
    const dir = allAnd ? single(comparisons, 'file:parent_directory_ref.path') : undefined;
    const name = allAnd ? single(comparisons, 'file:name') : undefined;
    for (const c of comparisons) {
      const path = canonicalPath(c.path);
      const meaning = pathType(path);
      if (!meaning) {
        const why = skippedPathReason(path);
        if (why) skipped.push({ text: c.text, reason: why });
        // Other paths (a file's size, a connection's protocol) qualify the values, they are not ones.
        continue;
      }
      if (c.negated || c.op === '!=') {
        skipped.push({ text: c.text, reason: 'a negated comparison says what the value is not' });
        continue;
      }
      if (c.op === 'LIKE' || c.op === 'MATCHES') {
        skipped.push({ text: c.text, reason: `${c.op} matches many values; Huntroom keeps exact values` });
        continue;
      }
      if (c.op !== '=' && c.op !== 'IN') {
        skipped.push({ text: c.text, reason: `"${c.op}" compares, it does not name a value` });
        continue;
      }
      // A file's name with its directory in the same observation is one path, taken once.
      if (dir !== undefined && name !== undefined && (path === 'file:name' || path === 'file:parent_directory_ref.path')) {
        if (path === 'file:name') values.push({ type: 'filepath', value: joinPath(dir, name) });
        continue;
      }
      for (const v of c.values) {
        if (meaning.type === 'ip-dst' || meaning.type === 'ip-src') {
          const side = path.startsWith('network-traffic:src') ? 'ip-src' : meaning.type;
          if (refType[side as 'ip-dst'] === 'domain-name') values.push({ type: 'domain', value: v });
          else if (v.includes('/')) values.push({ type: addressType(v, side), value: v });
          else {
            const p = path.startsWith('network-traffic:') ? port[side as 'ip-dst'] : undefined;
            values.push({ type: side, value: p === undefined ? v : v.includes(':') ? `[${v}]:${p}` : `${v}:${p}` });
          }
        } else if (meaning.type === 'filename' && /[\\/]/.test(v)) values.push({ type: 'filepath', value: v });
        else values.push({ type: meaning.type, value: v, ...(meaning.tag ? { tag: meaning.tag } : {}) });
      }
    }
  }
  return { values, skipped };
}
