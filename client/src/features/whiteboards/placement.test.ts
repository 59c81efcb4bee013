import { describe, expect, it } from 'vitest';
import { freeSpot, type Box } from './placement.js';
import { throughDarkFilter, underDarkFilter } from './themeFilter.js';

const size = { width: 240, height: 76 };
const boxAt = (p: { x: number; y: number }): Box => ({ x: p.x - size.width / 2, y: p.y - size.height / 2, ...size });
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('freeSpot', () => {
  it('uses the centre of an empty board', () => {
    expect(freeSpot({ x: 100, y: 50 }, size, [])).toEqual({ x: 100, y: 50 });
  });

  it('places ten items in a row of Adds apart from each other, near the centre', () => {
    const taken: Box[] = [];
    for (let i = 0; i < 10; i++) {
      const p = freeSpot({ x: 0, y: 0 }, size, taken);
      const box = boxAt(p);
      for (const t of taken) expect(overlap(box, t)).toBe(false);
      // Within two shapes of the centre: the first ring holds eight.
      expect(Math.abs(p.x)).toBeLessThanOrEqual(2 * (size.width + 16));
      expect(Math.abs(p.y)).toBeLessThanOrEqual(2 * (size.height + 16));
      taken.push(box);
    }
  });

  it('goes around what the user drew', () => {
    const drawing: Box = { x: -300, y: -200, width: 600, height: 400 };
    const p = freeSpot({ x: 0, y: 0 }, size, [drawing]);
    expect(overlap(boxAt(p), drawing)).toBe(false);
  });
});

const rgbDistance = (x: string, y: string) => {
  const [a, b] = [x, y].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  return Math.hypot(...a!.map((v, i) => v - b![i]!));
};

describe('dark theme filter', () => {
  it('hands Excalidraw the colour its dark filter turns into the team colour', () => {
    // The team palette (server/src/teams/store.ts).
    for (const team of ['#4e9af1', '#e5484d', '#f5a524', '#30a46c', '#8e4ec6', '#12a594', '#e54666', '#978365']) {
      const drawn = throughDarkFilter(underDarkFilter(team));
      // Saturated amber and red are a little outside what the filter can draw: near, not exact.
      expect(rgbDistance(team, drawn), `${team} drawn as ${drawn}`).toBeLessThan(45);
      // Without the correction the filter draws it lighter or darker (amber 130 away, red 67), always further.
      expect(rgbDistance(team, throughDarkFilter(team)), team).toBeGreaterThan(rgbDistance(team, drawn));
    }
  });

  it('turns the white board background into the dark one the export shows', () => {
    expect(throughDarkFilter('#ffffff')).toBe('#121212');
  });
});
