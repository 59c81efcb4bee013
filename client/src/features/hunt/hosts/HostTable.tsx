/**
 * The hosts as a virtualized table (TanStack Virtual: only the rows on screen exist in the DOM). A row
 * is a focus stop: arrows move, Enter opens, 1-5 set the state. A host another team changed while the
 * page is open carries that team's colour for a few seconds (never on load).
 */
import { useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { HOST_STATES, type HostState, type HostView } from '@huntroom/shared';
import { StateBadge, colorOf, useTeams, when } from '../common.js';
import { useHunt } from '../useHuntBoard.js';

interface Props {
  rows: HostView[];
  openId: string | undefined;
  onOpen: (id: string) => void;
  onState: ((h: HostView, to: HostState) => void) | undefined;
  compact: boolean;
}

const GRID_WIDE = 'minmax(140px, 2fr) minmax(120px, 1.4fr) minmax(90px, 1fr) 130px 76px 130px minmax(130px, 1fr)';
const GRID_COMPACT = 'minmax(120px, 2fr) 130px minmax(100px, 1fr)';

export function HostTable({ rows, openId, onOpen, onState, compact }: Props) {
  const board = useHunt();
  const teams = useTeams();
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 40, overscan: 10 });
  const grid = compact ? GRID_COMPACT : GRID_WIDE;

  function onKey(e: KeyboardEvent<HTMLDivElement>, index: number) {
    const h = rows[index]!;
    const focusRow = (i: number) => {
      const target = Math.max(0, Math.min(rows.length - 1, i));
      virtual.scrollToIndex(target);
      requestAnimationFrame(() => parent.current?.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus());
    };
    if (e.key === 'ArrowDown') focusRow(index + 1);
    else if (e.key === 'ArrowUp') focusRow(index - 1);
    else if (e.key === 'Enter') onOpen(h.id);
    else if (onState && /^[1-5]$/.test(e.key)) onState(h, HOST_STATES[Number(e.key) - 1]!);
    else return;
    e.preventDefault();
  }

  return (
    <div className="hunt-table" role="table" aria-rowcount={rows.length} data-testid="host-table">
      <div className="hunt-row hunt-head" role="row" style={{ gridTemplateColumns: grid }}>
        <span role="columnheader">Host</span>
        {!compact && <span role="columnheader">Addresses</span>}
        {!compact && <span role="columnheader">OS</span>}
        {!compact && <span role="columnheader">Role</span>}
        {!compact && <span role="columnheader">Crit.</span>}
        <span role="columnheader">State</span>
        <span role="columnheader">Examined by</span>
      </div>
      <div className="hunt-scroll" ref={parent} data-handoff-scroll>
        {rows.length === 0 && <p className="empty-state">No host matches.</p>}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const h = rows[item.index]!;
            const hl = board.store.highlightOf(h.id);
            const color = hl && colorOf(teams.byId, hl.teamId);
            const name = h.hostname || h.addresses[0] || h.id;
            return (
              <div
                key={h.id}
                role="row"
                tabIndex={0}
                data-index={item.index}
                className={`hunt-row ${openId === h.id ? 'open' : ''} ${hl ? 'flash' : ''}`}
                style={{ gridTemplateColumns: grid, transform: `translateY(${item.start}px)`, ...(color ? { boxShadow: `inset 4px 0 0 ${color}`, background: `${color}22` } : {}) }}
                onClick={() => onOpen(h.id)}
                onKeyDown={(e) => onKey(e, item.index)}
                aria-label={`${name}, ${h.state}`}
                data-testid={`host-row-${name}`}
                data-highlight={hl ? hl.by : undefined}
              >
                <span role="cell" className="mono value-cell">
                  <span className="value-text">{name}</span>
                  {hl && (
                    <span className="by-line" style={{ color }}>
                      by {hl.by}
                    </span>
                  )}
                </span>
                {!compact && (
                  <span role="cell" className="mono small clip" title={h.addresses.join(', ')}>
                    {h.addresses.join(', ')}
                  </span>
                )}
                {!compact && (
                  <span role="cell" className="small clip" title={h.os}>
                    {h.os}
                  </span>
                )}
                {!compact && (
                  <span role="cell" className="small">
                    {h.role}
                  </span>
                )}
                {!compact && (
                  <span role="cell" className={`small crit crit-${h.criticality}`}>
                    {h.criticality}
                  </span>
                )}
                <span role="cell">
                  <StateBadge state={h.state} />
                </span>
                <span role="cell" className="small">
                  {h.examinedBy ? (
                    <>
                      <span className="team-dot" style={{ background: colorOf(teams.byId, h.examinedBy.id) }} aria-hidden /> {h.examinedBy.code}{' '}
                      <span className="muted">{when(h.examinedAt)}</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
