/**
 * The matrix itself, in two modes. Compact: one narrow column per tactic, so all 14 Enterprise tactics
 * fit a 1440 px screen; a cell is one line, its name clipped (the full name shows on hover and on
 * keyboard focus), shaded by the heat map, with a dot per team that marked it. Detailed: wider cards
 * with the id, each team's mark as a chip and the linked indicators (the board as it was), shaded too.
 *
 * Keyboard: one cell is in the tab order (roving tabindex); the arrow keys move up and down a tactic
 * and across tactics, Home and End go to the ends of a tactic, Enter opens the technique, + and -
 * open and close its sub-techniques.
 */
import { type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import type { Mark, Team } from '@huntroom/shared';
import type { MatrixColumn, MatrixRow } from './matrixModel.js';
import { shadeOf, statusColor, strongestStatus, type HeatSource } from './heat.js';

export type MatrixMode = 'compact' | 'detailed';

interface Props {
  mode: MatrixMode;
  columns: MatrixColumn[];
  byTechnique: Map<string, Mark[]>;
  subMarks: (parentId: string) => Mark[];
  heat: HeatSource;
  teams: Map<string, Team> | undefined;
  linked: Map<string, number>;
  workspaceId: string;
  openId: string | undefined;
  activeKey: string | undefined;
  onActivate: (key: string) => void;
  onOpen: (techniqueId: string, key: string) => void;
  onToggle: (techniqueId: string, open?: boolean) => void;
}

/**
 * A narrow column cannot hold "Reconnaissance" on one line, and browsers without a hyphenation
 * dictionary break it anywhere: a soft hyphen before the usual suffixes gives "Reconnais-sance".
 */
const breakable = (name: string) => name.replace(/(\w{4,}?)(sance|ment|tion|tial|tence|ence)\b/g, '$1\u00ad$2');

export function MatrixView(p: Props) {
  const tabStop = p.columns.some((c) => c.rows.some((r) => r.key === p.activeKey)) ? p.activeKey : p.columns.find((c) => c.rows.length)?.rows[0]?.key;

  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const key = (e.target as HTMLElement).dataset.cell;
    if (!key) return;
    const c = p.columns.findIndex((col) => col.rows.some((r) => r.key === key));
    const r = p.columns[c]!.rows.findIndex((row) => row.key === key);
    const row = p.columns[c]!.rows[r]!;
    let next: string | undefined;
    const across = (dir: 1 | -1) => {
      for (let i = c + dir; i >= 0 && i < p.columns.length; i += dir) {
        const rows = p.columns[i]!.rows;
        if (rows.length) return rows[Math.min(r, rows.length - 1)]!.key;
      }
      return undefined;
    };
    if (e.key === 'ArrowDown') next = p.columns[c]!.rows[r + 1]?.key;
    else if (e.key === 'ArrowUp') next = p.columns[c]!.rows[r - 1]?.key;
    else if (e.key === 'ArrowRight') next = across(1);
    else if (e.key === 'ArrowLeft') next = across(-1);
    else if (e.key === 'Home') next = p.columns[c]!.rows[0]?.key;
    else if (e.key === 'End') next = p.columns[c]!.rows.at(-1)?.key;
    else if ((e.key === '+' || e.key === '-') && row.subCount > 0) {
      e.preventDefault();
      p.onToggle(row.technique.id, e.key === '+');
      return;
    } else return;
    e.preventDefault();
    if (!next) return;
    p.onActivate(next);
    e.currentTarget.querySelector<HTMLElement>(`[data-cell="${next}"]`)?.focus();
  };

  return (
    <div
      className={`matrix ${p.mode}`}
      style={{ ['--cols' as string]: p.columns.length }}
      data-testid="attack-matrix"
      data-mode={p.mode}
      data-handoff-scroll
      onKeyDown={move}
      aria-describedby="matrix-keys"
    >
      <p id="matrix-keys" className="sr-only">
        Arrow keys move between techniques, Enter opens one, plus and minus show or hide its sub-techniques, Escape closes the technique panel.
      </p>
      {p.columns.map((col, i) => (
        <div key={col.tactic.id} className={`tactic ${i >= p.columns.length / 2 ? 'right-half' : ''}`} data-testid={`tactic-${col.tactic.shortname}`}>
          <h3 title={`${col.tactic.id} ${col.tactic.name}: ${col.total} techniques, ${col.marked} marked`}>
            <span className="tactic-name">{breakable(col.tactic.name)}</span>
            <span className="tactic-counts">
              <span className="muted">{col.total}</span>
              {col.marked > 0 && (
                <span className="marked-count" data-testid={`marked-${col.tactic.shortname}`}>
                  {col.marked} marked
                </span>
              )}
            </span>
          </h3>
          {col.rows.map((row) => (
            <Cell key={row.key} row={row} {...p} tabStop={tabStop === row.key} />
          ))}
        </div>
      ))}
    </div>
  );
}

function Cell({ row, tabStop, ...p }: Props & { row: MatrixRow; tabStop: boolean }) {
  const t = row.technique;
  const marks = p.byTechnique.get(t.id) ?? [];
  const shade = shadeOf(marks, p.heat);
  const subStatus = !row.sub && !row.expanded ? strongestStatus(p.subMarks(t.id)) : undefined;
  const n = p.linked.get(t.id) ?? 0;
  const summary = [
    `${t.id} ${t.name}`,
    ...marks.map((m) => `${m.team}: ${m.status}${m.score !== undefined ? ` (score ${m.score})` : ''}${m.comment ? ` - ${m.comment}` : ''}`),
    ...(subStatus ? ['sub-techniques marked'] : []),
    ...(n ? [`${n} linked indicator${n === 1 ? '' : 's'}`] : []),
  ].join('\n');
  const color = (team: string) => p.teams?.get(team)?.color;
  return (
    <div
      className={`tech ${row.sub ? 'sub' : ''} ${shade ? 'marked' : ''} ${p.openId === t.id ? 'open' : ''}`}
      data-testid={`tech-${t.id}`}
      data-heat={shade?.status ?? ''}
      data-sub-heat={subStatus ?? ''}
      style={{ background: shade?.background, color: shade?.ink, borderLeftColor: subStatus ? statusColor(subStatus) : undefined }}
    >
      <button
        className="tech-name"
        data-cell={row.key}
        data-full={`${t.id} ${t.name}`}
        tabIndex={tabStop ? 0 : -1}
        onFocus={() => p.onActivate(row.key)}
        onClick={() => p.onOpen(t.id, row.key)}
        aria-label={summary.replaceAll('\n', '; ')}
        title={summary}
      >
        {p.mode === 'detailed' && <span className="mono small muted">{t.id} </span>}
        <span className="name-text">{t.name}</span>
      </button>
      {p.mode === 'compact' ? (
        <span className="dots" aria-hidden="true">
          {marks.map((m) => (
            <span key={m.team} className={`mark-dot dot-${m.status}`} style={{ background: color(m.team) }} data-team={m.team} />
          ))}
        </span>
      ) : (
        <div className="tech-meta">
          {marks.map((m) => (
            <span
              key={m.team}
              className={`mark mark-${m.status}`}
              style={{ borderColor: color(m.team), color: color(m.team) }}
              title={`${m.team}: ${m.status}${m.comment ? ` - ${m.comment}` : ''}`}
            >
              {m.team}
            </span>
          ))}
          {n > 0 && (
            <Link className="ioc-count" to={`/w/${p.workspaceId}/indicators?q=${t.id}`} title={`${n} linked indicators`} tabIndex={-1}>
              ◈ {n}
            </Link>
          )}
        </div>
      )}
      {row.subCount > 0 && (
        <button
          className="expand"
          tabIndex={-1}
          aria-expanded={row.expanded}
          aria-label={`${row.expanded ? 'Hide' : 'Show'} the ${row.subCount} sub-techniques of ${t.id}`}
          title={`${row.expanded ? 'Hide' : 'Show'} ${row.subCount} sub-techniques (+ / -)`}
          onClick={() => p.onToggle(t.id)}
        >
          {p.mode === 'compact' ? (row.expanded ? '▾' : '▸') : row.expanded ? '−' : row.subCount}
        </button>
      )}
    </div>
  );
}
