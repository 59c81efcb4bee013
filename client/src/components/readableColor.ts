/**
 * A team's colour as text on the dark panels: teams pick their colour (Canada's red, #e5484d, reads at
 * 4.2:1 on the panel), so text in it is mixed towards white just enough to reach WCAG AA (4.5:1) on the
 * darkest and lightest panel backgrounds. Borders and dots keep the colour as picked.
 */
const PANELS = ['#0e1116', '#1c232d'];
const AA = 4.5;

function rgb(hex: string): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return undefined;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (c: [number, number, number]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

const cache = new Map<string, string>();

/** `color` lightened towards white until it reads at AA on every panel; unknown formats pass as they are. */
export function readableTeamColor(color: string): string {
  const known = cache.get(color);
  if (known) return known;
  const base = rgb(color);
  if (!base) return color;
  const panels = PANELS.map((p) => rgb(p)!);
  let out = base;
  for (let t = 0; t <= 1; t += 0.05) {
    out = base.map((v) => v + (255 - v) * t) as [number, number, number];
    if (panels.every((p) => contrast(out, p) >= AA)) break;
  }
  const result = hex(out);
  cache.set(color, result);
  return result;
}
