/**
 * The TLP 2.0 label on an exported image: a band above and below the drawing, in the board's
 * background colour, each with the label "TLP:<LEVEL>" in FIRST's colours (coloured text on black).
 * The drawing itself is left as Excalidraw made it; the bands sit outside its theme filter, so the
 * label's colours are the standard's.
 */
import { TLP_COLORS, type TlpLevel } from '@huntroom/shared';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Band height, label height and font, in image pixels at scale 1. */
const BAND = 40;
const LABEL = 26;
const FONT = 'bold 16px system-ui, sans-serif';
const PAD = 10;

function labelWidth(text: string): number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return text.length * 11 + 2 * PAD;
  ctx.font = FONT;
  return Math.ceil(ctx.measureText(text).width) + 2 * PAD;
}

export function pngWithBands(drawing: HTMLCanvasElement, tlp: TlpLevel, background: string): Promise<Blob> {
  const text = `TLP:${tlp}`;
  const { fg, bg } = TLP_COLORS[tlp];
  const out = document.createElement('canvas');
  out.width = drawing.width;
  out.height = drawing.height + 2 * BAND;
  const ctx = out.getContext('2d');
  if (!ctx) return Promise.reject(new Error('This browser cannot draw the image.'));
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(drawing, 0, BAND);
  const width = labelWidth(text);
  for (const top of [(BAND - LABEL) / 2, out.height - BAND + (BAND - LABEL) / 2]) {
    ctx.fillStyle = bg;
    ctx.fillRect(PAD, top, width, LABEL);
    ctx.fillStyle = fg;
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 2 * PAD, top + LABEL / 2);
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('The image could not be encoded.'))), 'image/png'));
}

export function svgWithBands(drawing: SVGSVGElement, tlp: TlpLevel, background: string): Blob {
  const text = `TLP:${tlp}`;
  const { fg, bg } = TLP_COLORS[tlp];
  const [, , w = 0, h = 0] = (drawing.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  const width = Number(drawing.getAttribute('width')) || w;
  const height = Number(drawing.getAttribute('height')) || h;
  const outer = document.createElementNS(SVG_NS, 'svg');
  outer.setAttribute('xmlns', SVG_NS);
  outer.setAttribute('version', '1.1');
  outer.setAttribute('width', String(width));
  outer.setAttribute('height', String(height + 2 * BAND));
  outer.setAttribute('viewBox', `0 0 ${width} ${height + 2 * BAND}`);
  const el = (name: string, attrs: Record<string, string | number>) => {
    const e = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  outer.append(el('rect', { x: 0, y: 0, width, height: height + 2 * BAND, fill: background }));
  drawing.setAttribute('x', '0');
  drawing.setAttribute('y', String(BAND));
  outer.append(drawing);
  const lw = labelWidth(text);
  for (const top of [(BAND - LABEL) / 2, height + BAND + (BAND - LABEL) / 2]) {
    const g = el('g', { class: 'tlp-label' });
    g.append(el('rect', { x: PAD, y: top, width: lw, height: LABEL, fill: bg }));
    const t = el('text', {
      x: 2 * PAD,
      y: top + LABEL / 2,
      fill: fg,
      'dominant-baseline': 'central',
      'font-family': 'system-ui, sans-serif',
      'font-weight': 'bold',
      'font-size': 16,
    });
    t.textContent = text;
    g.append(t);
    outer.append(g);
  }
  return new Blob([new XMLSerializer().serializeToString(outer)], { type: 'image/svg+xml' });
}
