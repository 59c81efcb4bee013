/**
 * Time scale of the visual timeline: a window [start, end] in ms mapped onto a width in pixels, zoomed
 * around a point and clamped between one second and a few years, and the axis ticks for a window
 * (steps from a second to a year, the first step leaving room for a label). All times in UTC.
 */
const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** Steps from seconds to a year; months and years are counted as 30 and 365 days (labels stay right). */
const STEPS = [S, 5 * S, 15 * S, 30 * S, M, 5 * M, 15 * M, 30 * M, H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 91 * D, 182 * D, 365 * D];
export const MIN_SPAN = 5 * S;
export const MAX_SPAN = 20 * 365 * D;

export interface Window {
  start: number;
  end: number;
}

export const span = (w: Window) => w.end - w.start;

/** The window zoomed by `factor` (< 1 zooms in) keeping time `at` at the same pixel. */
export function zoom(w: Window, factor: number, at: number = (w.start + w.end) / 2): Window {
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span(w) * factor));
  const ratio = (at - w.start) / span(w);
  const start = at - ratio * next;
  return { start, end: start + next };
}

export const pan = (w: Window, ms: number): Window => ({ start: w.start + ms, end: w.end + ms });

/** A window around [min, max] with a little margin; a single instant gets a minute around it. */
export function fit(min: number, max: number): Window {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    const now = Date.now();
    return { start: now - 7 * D, end: now };
  }
  const margin = Math.max((max - min) * 0.03, 30 * S);
  return { start: min - margin, end: max + margin };
}

/** Tick times and the label format for a window drawn `width` pixels wide (about one label per 110 px). */
export function ticks(w: Window, width: number): { step: number; times: number[]; label: (t: number) => string } {
  const want = (span(w) / Math.max(width, 1)) * 110;
  const step = STEPS.find((s) => s >= want) ?? STEPS[STEPS.length - 1]!;
  const first = Math.ceil(w.start / step) * step;
  const times: number[] = [];
  for (let t = first; t <= w.end && times.length < 400; t += step) times.push(t);
  return { step, times, label: labelFor(step) };
}

function labelFor(step: number): (t: number) => string {
  const iso = (t: number) => new Date(t).toISOString();
  if (step < M) return (t) => iso(t).slice(11, 19);
  if (step < D) return (t) => `${iso(t).slice(5, 10)} ${iso(t).slice(11, 16)}`;
  if (step < 182 * D) return (t) => iso(t).slice(0, 10);
  return (t) => iso(t).slice(0, 7);
}

/** Index of the first time >= t in a sorted array (binary search): only visible events are drawn. */
export function lowerBound(times: Float64Array | number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
