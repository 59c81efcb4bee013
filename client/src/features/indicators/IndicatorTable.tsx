/**
 * The board as a table, virtualized with TanStack Virtual: only the rows on screen exist in the DOM,
 * so 100,000 indicators scroll as smoothly as 100. Rows changed by another team flash in its colour.
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { defang, expiredNote, type IndicatorView } from '@huntroom/shared';
import { TlpBadge } from '../../components/badges.js';
import type { IndicatorStore } from './store.js';
import type { Sort, SortKey } from './filter.js';

type Column = { key: SortKey | 'tags'; label: string; width: string; wide?: true };
const COLUMNS: Column[] = [
  { key: 'type', label: 'Type', width: '80px' },
  { key: 'value', label: 'Value', width: 'minmax(160px, 3fr)' },
  { key: 'status', label: 'Status', width: '116px' },
  { key: 'confidence', label: 'Conf.', width: '48px', wide: true },
  { key: 'tlp', label: 'TLP', width: '112px' },
  { key: 'team', label: 'Team', width: '48px' },
  { key: 'tags', label: 'Tags', width: 'minmax(80px, 1fr)', wide: true },
  { key: 'sightingCount', label: 'Seen', width: '44px', wide: true },
  { key: 'lastSeen', label: 'Last seen', width: '150px', wide: true },
];
/** With the detail panel open the table is narrower: the secondary columns step aside. */
const columnsFor = (compact: boolean) => COLUMNS.filter((c) => !compact || !c.wide);
const gridFor = (compact: boolean) =>
  `32px ${columnsFor(compact)
    .map((c) => c.width)
    .join(' ')}`;

interface Props {
  rows: IndicatorView[];
  store: IndicatorStore;
  sort: Sort;
  onSort: (key: SortKey) => void;
  selected: Set<string>;
  onToggle: (id: string, shift: boolean) => void;
  onOpen: (id: string) => void;
  openId: string | undefined;
  defanged: boolean;
  compact: boolean;
}

export function IndicatorTable({ rows, store, sort, onSort, selected, onToggle, onOpen, openId, defanged, compact }: Props) {
  const GRID = gridFor(compact);
  const cols = columnsFor(compact);
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 36, overscan: 12 });
  return (
    <div className="ioc-table" role="table" aria-rowcount={rows.length} data-testid="indicator-table">
      <div className="ioc-row ioc-head" role="row" style={{ gridTemplateColumns: GRID }}>
        <span role="columnheader" />
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
                <span role="cell" onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={`Select ${v.value}`} checked={selected.has(v.id)} onChange={() => undefined} onClick={(e) => onToggle(v.id, e.shiftKey)} />
                </span>
                <span role="cell" className="mono small">
                  {v.type}
                </span>
                <span role="cell" className="mono value-cell" title={v.originalValue}>
                  <span className="value-text">{defanged ? defang(v.value) : v.value}</span>
                  {h && (
                    <span className="by-line" style={{ color: h.color }}>
                      by {h.by}
                    </span>
                  )}
                </span>
                <span role="cell">
                  <span className={`status status-${v.status}`}>{v.status}</span>
                  {/* Past its end of validity: still listed (an analyst may hunt back), marked so it is not taken as current. */}
                  {expiredNote(v.validUntil) && (
                    <span className="expired-mark small" title={expiredNote(v.validUntil)} data-testid="expired-mark">
                      expired
                    </span>
                  )}
                </span>
                {!compact && <span role="cell">{v.confidence}</span>}
                <span role="cell">
                  <TlpBadge level={v.tlp} />
                </span>
                <span role="cell" className="small">
                  {v.ownerTeam.code}
                </span>
                {!compact && (
                  <span role="cell" className="small tags">
                    {v.tags.join(', ')}
                  </span>
                )}
                {!compact && <span role="cell">{v.sightingCount}</span>}
                {!compact && (
                  <span role="cell" className="small">
                    {new Date(v.lastSeen).toLocaleString()}
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
