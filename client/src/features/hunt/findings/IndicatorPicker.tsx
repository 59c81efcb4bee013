/**
 * Pick indicators from the board to link to a finding: a search over the workspace's indicators (the
 * board's REST list, so only what the team may see) and the picked ones as removable chips.
 */
import { useEffect, useState } from 'react';
import type { IndicatorView } from '@huntroom/shared';
import { get } from '../../../lib/api.js';
import { useWorkspace } from '../../workspaces/context.js';

export interface Picked {
  id: string;
  label: string;
}

export function IndicatorPicker({ value, onChange }: { value: Picked[]; onChange: (v: Picked[]) => void }) {
  const ws = useWorkspace();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<IndicatorView[]>([]);
  useEffect(() => {
    if (q.trim().length < 2) return setFound([]);
    let live = true;
    const t = setTimeout(() => {
      void get<{ items: IndicatorView[] }>(`/api/workspaces/${ws.id}/indicators?limit=8&q=${encodeURIComponent(q.trim())}`).then(
        (r) => live && setFound(r.items),
        () => live && setFound([]),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, ws.id]);

  return (
    <div className="field indicator-picker">
      <label htmlFor="finding-ioc-search">Linked indicators</label>
      <div className="chips">
        {value.map((p) => (
          <span key={p.id} className="chip mono small">
            {p.label}{' '}
            <button type="button" aria-label={`Unlink ${p.label}`} onClick={() => onChange(value.filter((x) => x.id !== p.id))}>
              ✕
            </button>
          </span>
        ))}
      </div>
      <input id="finding-ioc-search" type="search" placeholder="Search the indicator board…" value={q} onChange={(e) => setQ(e.target.value)} data-testid="finding-ioc-search" />
      {found.length > 0 && (
        <ul className="picker-results" role="listbox" aria-label="Indicators found">
          {found
            .filter((i) => !value.some((p) => p.id === i.id))
            .map((i) => (
              <li key={i.id} role="option" aria-selected={false}>
                <button
                  type="button"
                  className="link-btn mono small"
                  onClick={() => {
                    onChange([...value, { id: i.id, label: `${i.type}:${i.value}` }]);
                    setQ('');
                  }}
                  data-testid={`pick-${i.value}`}
                >
                  {i.type} · {i.value}
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
