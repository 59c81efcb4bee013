/**
 * The board by status: one column per status, cards dragged between columns (or moved with the
 * status menu on each card, for the keyboard). Each column shows its first 200 cards; the table is
 * the place for thousands.
 */
import { useState, type DragEvent } from 'react';
import { INDICATOR_STATUSES, type IndicatorStatus, type IndicatorView } from '@huntroom/shared';
import { TlpBadge } from '../../components/badges.js';
import { displayValue } from './display.js';

const PER_COLUMN = 200;

export function StatusBoard({
  rows,
  onMove,
  onOpen,
  defanged,
  readOnly,
}: {
  rows: IndicatorView[];
  onMove: (id: string, status: IndicatorStatus) => void;
  onOpen: (id: string) => void;
  defanged: boolean;
  readOnly: boolean;
}) {
  const [over, setOver] = useState<string>();
  const byStatus = new Map<string, IndicatorView[]>(INDICATOR_STATUSES.map((s) => [s, []]));
  for (const v of rows) byStatus.get(v.status)?.push(v);

  const drop = (status: IndicatorStatus) => (e: DragEvent) => {
    e.preventDefault();
    setOver(undefined);
    const id = e.dataTransfer.getData('text/x-indicator');
    if (id) onMove(id, status);
  };

  return (
    <div className="status-board" data-testid="status-board">
      {INDICATOR_STATUSES.map((status) => {
        const cards = byStatus.get(status)!;
        return (
          <section
            key={status}
            className={`status-col ${over === status ? 'over' : ''}`}
            aria-label={`${status}: ${cards.length}`}
            onDragOver={(e) => (e.preventDefault(), setOver(status))}
            onDragLeave={() => setOver(undefined)}
            onDrop={drop(status)}
            data-testid={`status-col-${status}`}
          >
            <h3>
              <span className={`status status-${status}`}>{status}</span> <span className="muted">{cards.length}</span>
            </h3>
            {cards.slice(0, PER_COLUMN).map((v) => (
              <article key={v.id} className="ioc-card" draggable={!readOnly} onDragStart={(e) => e.dataTransfer.setData('text/x-indicator', v.id)} data-testid={`card-${v.value}`}>
                <button className="card-open mono" onClick={() => onOpen(v.id)}>
                  {displayValue(v.type, v.value, defanged)}
                </button>
                <div className="card-meta">
                  <span className="mono small">{v.type}</span> <TlpBadge level={v.tlp} /> <span className="small">{v.ownerTeam.code}</span>
                  {!readOnly && (
                    <select aria-label={`Status of ${v.value}`} value={v.status} onChange={(e) => onMove(v.id, e.target.value as IndicatorStatus)}>
                      {INDICATOR_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  )}
                </div>
              </article>
            ))}
            {cards.length > PER_COLUMN && <p className="muted small">…and {cards.length - PER_COLUMN} more in the table view</p>}
          </section>
        );
      })}
    </div>
  );
}
