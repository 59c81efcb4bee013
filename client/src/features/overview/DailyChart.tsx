/**
 * Indicators added per day as a small column chart, drawn by hand in SVG: a dozen bars need no chart
 * library (and its weight in the bundle). Each bar has a <title> for its exact count; the figure has a
 * text summary for screen readers.
 */
import type { OverviewCount } from '@huntroom/shared';
import { plural } from './plural.js';

const W = 560;
const H = 140;
const PAD = { top: 12, right: 8, bottom: 22, left: 32 };

const dayLabel = (key: string) => new Date(`${key}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function DailyChart({ days }: { days: OverviewCount[] }) {
  if (!days.length) return <p className="muted">No indicators yet.</p>;
  const shown = days.slice(-30);
  const max = Math.max(1, ...shown.map((d) => d.count));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / shown.length;
  const bar = Math.max(2, Math.min(40, step * 0.7));
  const total = shown.reduce((s, d) => s + d.count, 0);
  // A label under every bar when they fit, else under every few.
  const every = Math.ceil(shown.length / 8);
  return (
    <figure className="overview-chart" data-testid="overview-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${plural(total, 'indicator')} added over ${plural(shown.length, 'day')}, at most ${max} in a day`}>
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} className="tick" textAnchor="end">
          {max}
        </text>
        <text x={PAD.left - 6} y={PAD.top + innerH} className="tick" textAnchor="end">
          0
        </text>
        {shown.map((d, i) => {
          const h = (d.count / max) * innerH;
          const x = PAD.left + i * step + (step - bar) / 2;
          return (
            <g key={d.key} data-testid="overview-chart-bar">
              <rect x={x} y={PAD.top + innerH - h} width={bar} height={Math.max(h, d.count ? 1 : 0)} rx={2} className="bar">
                <title>{`${dayLabel(d.key)}: ${plural(d.count, 'indicator')}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={x + bar / 2} y={H - 6} className="tick" textAnchor="middle">
                  {dayLabel(d.key)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
