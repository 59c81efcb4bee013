/**
 * The heat map's controls and legend: whose marks shade the cells (all shown teams combined, or one
 * team), which teams and statuses are shown at all, "marked only", and what the colours mean (hue by
 * status, depth by score, a dot per team in its colour).
 */
import type { MarkStatus, Team } from '@huntroom/shared';
import { depthOf, LEGEND_STATUSES, mix, UNSCORED_PERCENT, type HeatSource } from './heat.js';

interface Props {
  teams: Team[];
  heat: HeatSource;
  onHeat: (h: HeatSource) => void;
  hiddenTeams: ReadonlySet<string>;
  onToggleTeam: (code: string) => void;
  hiddenStatuses: ReadonlySet<MarkStatus>;
  onToggleStatus: (s: MarkStatus) => void;
  markedOnly: boolean;
  onMarkedOnly: (v: boolean) => void;
}

export function HeatControls(p: Props) {
  return (
    <div className="heat-controls" data-testid="heat-controls">
      <label className="inline-field">
        <span className="small muted">Heat map</span>
        <select
          value={p.heat.kind === 'team' ? p.heat.team : ''}
          onChange={(e) => p.onHeat(e.target.value ? { kind: 'team', team: e.target.value } : { kind: 'combined' })}
          data-testid="heat-source"
        >
          <option value="">All teams combined</option>
          {p.teams.map((t) => (
            <option key={t.code} value={t.code}>
              {t.code} only
            </option>
          ))}
        </select>
      </label>
      <div className="chip-group" role="group" aria-label="Show the marks of these teams">
        <span className="small muted">Teams</span>
        {p.teams.map((t) => (
          <button
            key={t.code}
            className="chip"
            aria-pressed={!p.hiddenTeams.has(t.code)}
            onClick={() => p.onToggleTeam(t.code)}
            title={`${t.name}: ${p.hiddenTeams.has(t.code) ? 'hidden, click to show' : 'shown, click to hide'}`}
            data-testid={`team-filter-${t.code}`}
          >
            <span className="mark-dot" style={{ background: t.color }} aria-hidden="true" />
            {t.code}
          </button>
        ))}
      </div>
      <div className="chip-group" role="group" aria-label="Show marks with these statuses">
        <span className="small muted">Status</span>
        {LEGEND_STATUSES.map((s) => (
          <button key={s} className="chip" aria-pressed={!p.hiddenStatuses.has(s)} onClick={() => p.onToggleStatus(s)} data-testid={`status-filter-${s}`}>
            <span className="swatch" style={{ background: mix(s, UNSCORED_PERCENT) }} aria-hidden="true" />
            {s}
          </button>
        ))}
        <label className="chip">
          <input type="checkbox" checked={p.markedOnly} onChange={(e) => p.onMarkedOnly(e.target.checked)} data-testid="marked-only" /> marked only
        </label>
      </div>
      <Legend />
    </div>
  );
}

function Legend() {
  return (
    <figure className="heat-legend" data-testid="heat-legend" aria-label="Legend">
      <figcaption className="small muted">Legend</figcaption>
      {LEGEND_STATUSES.map((s) => (
        <span key={s} className="legend-item small">
          <span className="legend-ramp" style={{ background: `linear-gradient(to right, ${mix(s, depthOf(0))}, ${mix(s, depthOf(100))})` }} aria-hidden="true" />
          {s}
        </span>
      ))}
      <span className="small muted">score 0 → 100 (no score: middle)</span>
      <span className="legend-item small">
        <span className="legend-strip" aria-hidden="true" /> teams that marked it, in their colours
      </span>
    </figure>
  );
}
