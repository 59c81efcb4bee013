/** Percentiles, medians and small helpers shared by the scenarios. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an array of numbers (sorted copy). NaN when empty. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Nearest-rank percentile from a histogram: `counts[i]` values in [i, i + 1) x `bucketMs`, the last
 * bucket every value from there up. Gives the upper edge of the bucket holding the rank (so at most
 * one bucket too high), or `maxMs` when that is lower or the rank falls in the last bucket. NaN when empty.
 */
export function histogramPercentile(counts, bucketMs, maxMs, p) {
  const n = counts.reduce((a, b) => a + b, 0);
  if (!n) return NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  let seen = 0;
  for (let i = 0; i < counts.length - 1; i++) {
    seen += counts[i];
    // Rounded to the ns: 33 x 0.1 is 3.3000000000000003.
    if (seen >= rank) return Math.min(Math.round((i + 1) * bucketMs * 1e6) / 1e6, maxMs);
  }
  return maxMs;
}

export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  if (!xs.length) return NaN;
  return percentile(xs, 50);
}

/** Object fields of a point whose numeric fields get medians too (the fan-out's `{ p99, max, ... }`). */
const NESTED = new Set(['readLag', 'writerLate']);

/** Median of each numeric field over the repeats of one point (and of NESTED's); other fields from the first. */
export function medianOf(points) {
  const out = { ...points[0] };
  for (const key of Object.keys(points[0])) {
    const v = points[0][key];
    if (typeof v === 'number') out[key] = median(points.map((p) => p[key]));
    else if (NESTED.has(key) && v) {
      out[key] = { ...v };
      for (const [k, x] of Object.entries(v)) if (typeof x === 'number') out[key][k] = median(points.map((p) => p[key]?.[k]));
    }
  }
  // Whether a server was held back (heldBack.mjs): the worst repeat, as for `invalid` below.
  const held = points.map((p) => p.heldBack).filter(Boolean);
  if (held.length) out.heldBack = Object.fromEntries(Object.keys(held[0]).map((k) => [k, Math.max(...held.map((h) => h[k]))]));
  out.repeats = points.length;
  // One invalid repeat makes the median suspect: say so, with every reason any repeat gave.
  out.invalid = points.some((p) => p.invalid);
  if (points.some((p) => p.invalidBecause)) out.invalidBecause = [...new Set(points.flatMap((p) => p.invalidBecause ?? []))];
  out.disturbed = false;
  return out;
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Median over the points without errors, preferring undisturbed ones; says how many were used. */
export function medianOfClean(points) {
  const ok = points.filter((p) => !p.error);
  if (!ok.length) return points[0];
  const clean = ok.filter((p) => !p.disturbed);
  const used = clean.length ? clean : ok;
  return { ...medianOf(used), disturbed: !clean.length, used: used.length, excludedDisturbed: ok.length - used.length };
}
