/** Percentiles, medians and small helpers shared by the scenarios. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an array of numbers (sorted copy). NaN when empty. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  if (!xs.length) return NaN;
  return percentile(xs, 50);
}

/** Median of each numeric field over the repeats of one point; non-numeric fields from the first. */
export function medianOf(points) {
  const out = { ...points[0] };
  for (const key of Object.keys(points[0])) {
    if (typeof points[0][key] === 'number') out[key] = median(points.map((p) => p[key]));
  }
  out.repeats = points.length;
  // One invalid repeat makes the median suspect: say so.
  out.invalid = points.some((p) => p.invalid);
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
