/**
 * The "Add to board" panel: find an ATT&CK technique or an indicator and put it on the whiteboard as
 * a labelled shape, by its button (keyboard) or by dragging it onto the canvas. Indicators come from
 * the server's search, so only what the caller's team may see is offered.
 */
import { useMemo, useState, type DragEvent } from 'react';
import type { AttackIndex, IndicatorView } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { TlpBadge } from '../../components/badges.js';
import type { BoardItem } from './shapes.js';

export const DRAG_TYPE = 'application/x-huntroom-board-item';

interface Props {
  workspaceId: string;
  onAdd: (item: BoardItem) => void;
}

const MAX_SHOWN = 30;

function startDrag(e: DragEvent, item: BoardItem) {
  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item));
  e.dataTransfer.effectAllowed = 'copy';
}

export function ItemPicker({ workspaceId, onAdd }: Props) {
  const [tab, setTab] = useState<'technique' | 'indicator'>('technique');
  const [query, setQuery] = useState('');
  const q = query.trim();
  const index = useAsync(() => get<AttackIndex>('/api/attack/enterprise-attack'), []);
  const indicators = useAsync(
    () =>
      tab === 'indicator'
        ? get<{ items: IndicatorView[] }>(`/api/workspaces/${workspaceId}/indicators?limit=${MAX_SHOWN}${q ? `&q=${encodeURIComponent(q)}` : ''}`).then((r) => r.items)
        : Promise.resolve([]),
    [workspaceId, tab, q],
  );
  const techniques = useMemo(() => {
    const needle = q.toLowerCase();
    return (index.data?.techniques ?? []).filter((t) => !needle || t.id.toLowerCase().includes(needle) || t.name.toLowerCase().includes(needle)).slice(0, MAX_SHOWN);
  }, [index.data, q]);

  return (
    <aside className="card wb-picker" aria-label="Add to board" data-testid="wb-picker">
      <h2>Add to board</h2>
      <div className="wb-tabs" role="tablist">
        <button
          role="tab"
          aria-selected={tab === 'technique'}
          className={`btn small ${tab === 'technique' ? 'primary' : ''}`}
          onClick={() => setTab('technique')}
          data-testid="wb-tab-technique"
        >
          Techniques
        </button>
        <button
          role="tab"
          aria-selected={tab === 'indicator'}
          className={`btn small ${tab === 'indicator' ? 'primary' : ''}`}
          onClick={() => setTab('indicator')}
          data-testid="wb-tab-indicator"
        >
          Indicators
        </button>
      </div>
      <input
        type="search"
        placeholder={tab === 'technique' ? 'T1059 or PowerShell…' : 'Value, tag, technique…'}
        aria-label="Search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="wb-picker-search"
      />
      <ErrorBanner error={tab === 'technique' ? index.error : indicators.error} />
      <p className="muted small">Drag onto the board, or press Add.</p>
      <ul className="wb-items" data-testid="wb-items">
        {tab === 'technique' &&
          techniques.map((t) => {
            const item: BoardItem = { kind: 'technique', id: t.id, name: t.name };
            return (
              <li key={t.id} draggable onDragStart={(e) => startDrag(e, item)} data-testid={`wb-item-${t.id}`}>
                <span className="wb-item-text">
                  <strong>{t.id}</strong> {t.name}
                </span>
                <button className="btn small" onClick={() => onAdd(item)} aria-label={`Add ${t.id} ${t.name} to the board`}>
                  Add
                </button>
              </li>
            );
          })}
        {tab === 'indicator' &&
          (indicators.data ?? []).map((i) => {
            const item: BoardItem = { kind: 'indicator', id: i.id, type: i.type, value: i.value };
            return (
              <li key={i.id} draggable onDragStart={(e) => startDrag(e, item)} data-testid={`wb-item-${i.value}`}>
                <span className="wb-item-text">
                  <span className="muted">{i.type}</span> {i.value}
                </span>
                <TlpBadge level={i.tlp} />
                <button className="btn small" onClick={() => onAdd(item)} aria-label={`Add ${i.value} to the board`}>
                  Add
                </button>
              </li>
            );
          })}
        {tab === 'indicator' && indicators.data?.length === 0 && <li className="muted">No indicator matches.</li>}
      </ul>
    </aside>
  );
}
