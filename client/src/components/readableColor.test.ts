import { describe, expect, it } from 'vitest';
import { readableTeamColor } from './readableColor.js';

/** WCAG contrast of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    const [r, g, bl] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('readableTeamColor', () => {
  it('lightens a dark red until it reads at 4.5:1 on both panels, and no further than needed', () => {
    const out = readableTeamColor('#e5484d');
    expect(out).not.toBe('#e5484d');
    for (const panel of ['#0e1116', '#1c232d']) expect(contrast(out, panel)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(out, '#ffffff')).toBeGreaterThan(1.5); // still a colour, not white
  });

  it('keeps a colour that already reads, and passes a format it does not know', () => {
    expect(readableTeamColor('#ffd166')).toBe('#ffd166');
    expect(readableTeamColor('rebeccapurple')).toBe('rebeccapurple');
  });
});
