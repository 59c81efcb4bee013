/**
 * Excalidraw's dark theme is a CSS filter over its canvases, `invert(93%) hue-rotate(180deg)` (and the
 * same filter on dark exports), so a colour handed to it is not the colour drawn. Team colours must
 * stay team colours: `underDarkFilter` gives the colour that the filter turns into the wanted one
 * (for collaborator cursors), `throughDarkFilter` what a colour becomes (for the export's bands, which
 * sit outside the filter and must match the filtered background).
 *
 * The filter is linear per pixel (Filter Effects 1: invert is v -> a(1-v) + (1-a)v, hue-rotate a
 * matrix), and hue-rotate(180deg) is its own inverse (2L - I, L the luminance projection), so the
 * inverse is exact wherever the wanted colour is inside what the filter can produce. A saturated
 * colour is not (hue-rotate clamps): there a short search from the clamped inverse finds the input
 * whose filtered colour is nearest.
 */
export const DARK_FILTER = 'invert(93%) hue-rotate(180deg)';

type Rgb = [number, number, number];
const INVERT = 0.93;
// Luminance weights of CSS hue-rotate's matrix.
const LUM: Rgb = [0.213, 0.715, 0.072];

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const parse = (hex: string): Rgb | undefined => {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) return undefined;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as Rgb;
};
const hex = (c: Rgb) =>
  `#${c
    .map((v) =>
      Math.round(clamp(v) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** hue-rotate(180deg): 2 * luminance - channel, clamped as the filter clamps. */
const rotate180 = (c: Rgb): Rgb => {
  const l = LUM[0] * c[0] + LUM[1] * c[1] + LUM[2] * c[2];
  return c.map((v) => clamp(2 * l - v)) as Rgb;
};
const invert = (c: Rgb): Rgb => c.map((v) => INVERT * (1 - v) + (1 - INVERT) * v) as Rgb;
const uninvert = (c: Rgb): Rgb => c.map((v) => clamp((INVERT - v) / (2 * INVERT - 1))) as Rgb;

/** What the dark theme draws for `color` (an unparseable colour is returned as is). */
export function throughDarkFilter(color: string): string {
  const c = parse(color);
  return c ? hex(rotate180(invert(c))) : color;
}

const filtered = (c: Rgb): Rgb => rotate180(invert(c));
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Coordinate descent on the input, in steps of 1/255 up to 32/255, towards the wanted filtered colour. */
function nearestInput(target: Rgb, start: Rgb): Rgb {
  let best = start;
  let err = distance(filtered(best), target);
  for (let step = 32 / 255; step >= 1 / 255; step /= 2) {
    for (let improved = true; improved;) {
      improved = false;
      for (let ch = 0; ch < 3; ch++)
        for (const dir of [-1, 1]) {
          const next = [...best] as Rgb;
          next[ch] = clamp(next[ch]! + dir * step);
          const e = distance(filtered(next), target);
          if (e < err - 1e-9) [best, err, improved] = [next, e, true];
        }
    }
  }
  return best;
}

const memo = new Map<string, string>();

/** The colour to hand Excalidraw so that the dark theme draws `color` (or the nearest it can draw). */
export function underDarkFilter(color: string): string {
  const c = parse(color);
  if (!c) return color;
  let out = memo.get(color);
  if (!out) memo.set(color, (out = hex(nearestInput(c, uninvert(rotate180(c))))));
  return out;
}
