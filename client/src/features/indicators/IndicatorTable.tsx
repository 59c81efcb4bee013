/**
 * The board as a table, virtualized with TanStack Virtual: only the rows on screen exist in the DOM,
 * so 100,000 indicators scroll as smoothly as 100. Rows changed by another team flash in its colour.
 * A value too long for its cell keeps its whole text in the title and a copy button (hashes are cut
 * in the middle, so both ends that tell them apart stay); the marking badge is never cut.
 */
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { expiredNote, type IndicatorView } from '@huntroom/shared';
import { TlpBadge } from '../../components/badges.js';
import { displayValue, middleEllipsis } from './display.js';
import type { IndicatorStore } from './store.js';
import type { Sort, SortKey } from './filter.js';
import { NARROW_QUERY, useMatchMedia } from '../../app/navMenu.js';

type Column = { key: SortKey | 'tags'; label: string; width: string; wide?: true };
const COLUMNS: Column[] = [
  { key: 'type', label: 'Type', width: '80px' },
  { key: 'value', label: 'Value', width: 'minmax(160px, 3fr)' },
  { key: 'status', label: 'Status', width: '116px' },
  { key: 'confidence', label: 'Conf.', width: '48px', wide: true },
  // Wide enough for TLP:AMBER+STRICT, the longest marking.
  { key: 'tlp', label: 'TLP', width: '132px' },
  { key: 'team', label: 'Team', width: '48px' },
  { key: 'tags', label: 'Tags', width: 'minmax(80px, 1fr)', wide: true },
  { key: 'sightingCount', label: 'Seen', width: '44px', wide: true },
  { key: 'lastSeen', label: 'Last seen', width: '136px', wide: true },
];
/** With the detail panel open the table is narrower: the secondary columns step aside. */
const columnsFor = (compact: boolean) => COLUMNS.filter((c) => !compact || !c.wide);
const gridFor = (compact: boolean, selectable: boolean) =>
  `${selectable ? '32px ' : ''}${columnsFor(compact)
    .map((c) => c.width)
    .join(' ')}`;
/** "2026-11-29 01:14" in local time: one width for every date, so the column never cuts one. */
const shortDate = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

interface Props {
  rows: IndicatorView[];
  store: IndicatorStore;
  sort: Sort;
  onSort: (key: SortKey) => void;
  selected: Set<string>;
  onToggle: (id: string, shift: boolean) => void;
  /** Ticks every row shown (the filtered rows), or none. */
  onToggleAll: (all: boolean) => void;
  /** False for observers: no checkboxes they could not use. */
  selectable: boolean;
  onOpen: (id: string) => void;
  openId: string | undefined;
  defanged: boolean;
  compact: boolean;
}

export function IndicatorTable({ rows, store, sort, onSort, selected, onToggle, onToggleAll, selectable, onOpen, openId, defanged, compact: besidePanel }: Props) {
  // A phone shows each indicator as a two-line card (value, then type, status, marking, team;
  // indicators.css, .ioc-table.phone): the secondary columns step aside as beside the detail panel.
  const phone = useMatchMedia(NARROW_QUERY);
  const compact = besidePanel || phone;
  const GRID = gridFor(compact, selectable);
  const allTicked = rows.length > 0 && selected.size === rows.length;
  const cols = columnsFor(compact);
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => (phone ? 62 : 36), overscan: 12 });
  useEffect(() => virtual.measure(), [phone, virtual]);
  return (
    <div className={`ioc-table ${phone ? 'phone' : ''} ${selectable ? 'selectable' : ''}`} role="table" aria-rowcount={rows.length} data-testid="indicator-table">
      <div className="ioc-row ioc-head" role="row" style={{ gridTemplateColumns: GRID }}>
        {selectable && (
          <span role="columnheader">
            <input
              type="checkbox"
              aria-label={`Select all ${rows.length} shown`}
              checked={allTicked}
              ref={(el) => {
                if (el) el.indeterminate = selected.size > 0 && !allTicked;
              }}
              onChange={() => onToggleAll(!allTicked)}
              data-testid="select-all"
            />
          </span>
        )}
        {cols.map((c) => (
          <span key={c.key} role="columnheader" aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
            {c.key === 'tags' ? (
              c.label
            ) : (
              <button className="sort-btn" onClick={() => onSort(c.key as SortKey)}>
                {c.label} {sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
              </button>
            )}
          </span>
        ))}
      </div>
      <div className="ioc-scroll" ref={parent} data-testid="indicator-scroll" data-handoff-scroll>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const v = rows[item.index]!;
            const h = store.highlightOf(v.id);
            return (
              <div
                key={v.id}
                role="row"
                className={`ioc-row ${openId === v.id ? 'open' : ''} ${h ? 'flash' : ''}`}
                style={{ gridTemplateColumns: GRID, transform: `translateY(${item.start}px)`, ...(h ? { boxShadow: `inset 4px 0 0 ${h.color}`, background: `${h.color}22` } : {}) }}
                onClick={() => onOpen(v.id)}
                data-testid={`ioc-row-${v.value}`}
              >
                {selectable && (
                  <span role="cell" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`Select ${v.value}`} checked={selected.has(v.id)} onChange={() => undefined} onClick={(e) => onToggle(v.id, e.shiftKey)} />
                  </span>
                )}
                <span role="cell" className="mono small">
                  {v.type}
                </span>
                <span role="cell" className="mono value-cell">
                  <ValueText type={v.type} value={displayValue(v.type, v.value, defanged)} onOpen={() => onOpen(v.id)} />
                  {h && (
                    <span className="by-line" style={{ color: h.color }}>
                      by {h.by}
                    </span>
                  )}
                </span>
                <span role="cell">
                  <span className={`status status-${v.status}`}>{v.status}</span>
                  {store.isWaiting(v.id) && (
                    <span className="waiting-badge" title="Changed here, not yet saved on the server: sent when the connection is back" data-testid="row-waiting">
                      waiting
                    </span>
                  )}
                  {/* Past its end of validity: still listed (an analyst may hunt back), marked so it is not taken as current. */}
                  {expiredNote(v.validUntil) && (
                    <span className="expired-mark small" title={expiredNote(v.validUntil)} data-testid="expired-mark">
                      expired
                    </span>
                  )}
                </span>
                {!compact && <span role="cell">{v.confidence}</span>}
                <span role="cell" className="tlp-cell">
                  <TlpBadge level={v.tlp} />
                </span>
                <span role="cell" className="small">
                  {v.ownerTeam.code}
                </span>
                {!compact && (
                  <span role="cell" className="small tags" title={v.tags.join(', ') || undefined}>
                    {v.tags.join(', ')}
                  </span>
                )}
                {!compact && <span role="cell">{v.sightingCount}</span>}
                {!compact && (
                  <span role="cell" className="small" title={new Date(v.lastSeen).toLocaleString()}>
                    {shortDate(v.lastSeen)}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/**
 * The value as shown, whole in its title: a button that opens the row's detail (the keyboard's way
 * to it), then a copy button (of what is shown: defanged when the toggle is on) that copies without
 * opening the row.
 */
function ValueText({ type, value, onOpen }: { type: string; value: string; onOpen: () => void }) {
  return (
    <>
      {/* A button, so the keyboard opens the row as a click on it does (Tab to it, Enter). */}
      <button
        type="button"
        className="value-text"
        title={value}
        data-testid="value-text"
        onClick={(e) => {
          e.stopPropagation();
          onOpen();
        }}
      >
        {middleEllipsis(type, value)}
      </button>
      <button
        type="button"
        className="copy-btn"
        aria-label={`Copy ${value}`}
        title="Copy"
        onClick={(e) => {
          e.stopPropagation();
          void navigator.clipboard?.writeText(value).catch(() => undefined);
        }}
      >
        <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M11 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </button>
    </>
  );
}
