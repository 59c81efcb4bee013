/**
 * The fan-out chart, written by hand as SVG: p99 latency against clients per room, one line per
 * server, with the DESIGN.md target (25 ms) and the 100 ms mark as dashed lines. The x axis places
 * the ramp's steps evenly (they double), the y axis is linear from 0.
 */
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e'];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** series: [{ label, points: [{ x, y, invalid }] }], steps: the x values in order. */
export function p99Chart({ title, steps, series }) {
  const W = 720;
  const H = 420;
  const m = { left: 64, right: 170, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  const yMax = niceCeil(Math.max(110, ...ys));
  const xAt = (x) => m.left + (steps.length === 1 ? pw / 2 : (steps.indexOf(x) / (steps.length - 1)) * pw);
  const yAt = (y) => m.top + ph - (Math.min(y, yMax) / yMax) * ph;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Grid and y labels.
  for (let i = 0; i <= 5; i++) {
    const v = (yMax / 5) * i;
    const y = yAt(v);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 8}" y="${y + 4}" text-anchor="end">${Math.round(v)}</text>`);
  }
  for (const [v, label] of [
    [25, 'target 25 ms'],
    [100, '100 ms'],
  ]) {
    if (v > yMax) continue;
    const y = yAt(v);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#888" stroke-dasharray="5,4"/>`);
    out.push(`<text x="${m.left + pw - 4}" y="${y - 4}" text-anchor="end" fill="#666">${label}</text>`);
  }
  for (const x of steps) {
    out.push(`<text x="${xAt(x)}" y="${m.top + ph + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">clients per room (20 rooms, 10 edits/s each)</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">p99 latency (ms), median of repeats</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (pts.length) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${pts.map((p) => `${xAt(p.x)},${yAt(p.y)}`).join(' ')}"/>`);
    }
    for (const p of pts) {
      // Hollow markers for points whose load generator was over its CPU limit (INVALID).
      out.push(`<circle cx="${xAt(p.x)}" cy="${yAt(p.y)}" r="4" fill="${p.invalid ? 'white' : color}" stroke="${color}" stroke-width="2"/>`);
      if (p.y > yMax) out.push(`<text x="${xAt(p.x) + 6}" y="${yAt(p.y) + 4}" fill="${color}">${Math.round(p.y)} ms</text>`);
    }
    const ly = m.top + 10 + i * 22;
    out.push(`<line x1="${m.left + pw + 16}" x2="${m.left + pw + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"/>`);
    out.push(`<text x="${m.left + pw + 46}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push(`<text x="${m.left + pw + 16}" y="${m.top + 10 + series.length * 22 + 8}" fill="#666" font-size="11">hollow: INVALID point</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}
