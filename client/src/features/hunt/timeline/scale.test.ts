import { describe, expect, it } from 'vitest';
import { fit, lowerBound, MAX_SPAN, MIN_SPAN, span, ticks, zoom } from './scale.js';

describe('timeline scale', () => {
  const w = { start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2026-07-01T00:00:00Z') };

  it('zooms around a point, keeping it at the same place, within a second and twenty years', () => {
    const at = w.start + span(w) / 4;
    const z = zoom(w, 0.5, at);
    expect(span(z)).toBe(span(w) / 2);
    expect((at - z.start) / span(z)).toBeCloseTo(0.25);
    let tiny = w;
    for (let i = 0; i < 80; i++) tiny = zoom(tiny, 0.5);
    expect(span(tiny)).toBe(MIN_SPAN);
    expect(span(zoom(w, 1e6))).toBe(MAX_SPAN);
  });

  it('ticks months as dates and seconds as times, about one per 110 px', () => {
    const months = ticks(w, 1100);
    expect(months.times.length).toBeGreaterThanOrEqual(6);
    expect(months.label(months.times[0]!)).toMatch(/^2026-0\d-\d\d$/);
    const secs = ticks({ start: w.start, end: w.start + 20_000 }, 1000);
    expect(secs.step).toBe(5_000);
    expect(secs.label(secs.times[1]!)).toBe('00:00:05');
  });

  it('fits a range with a margin and finds the first visible event by binary search', () => {
    const f = fit(1_000_000, 2_000_000);
    expect(f.start).toBeLessThan(1_000_000);
    expect(f.end).toBeGreaterThan(2_000_000);
    expect(lowerBound([1, 3, 3, 7], 3)).toBe(1);
    expect(lowerBound([1, 3, 3, 7], 8)).toBe(4);
  });
});
