/** The timeline as a virtualized list, oldest first, in UTC with the source's zone kept beside it. */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimelineEventView } from '@huntroom/shared';

interface Props {
  events: TimelineEventView[];
  hostName: (id: string | null) => string;
  colorOf: (e: TimelineEventView) => string;
  freshBy: (id: string) => string | undefined;
  selectedId: string | undefined;
  onSelect: (e: TimelineEventView) => void;
}

export function TimelineList({ events, hostName, colorOf, freshBy, selectedId, onSelect }: Props) {
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: events.length, getScrollElement: () => parent.current, estimateSize: () => 44, overscan: 12 });
  return (
    <div className="tl-list" role="table" aria-rowcount={events.length} data-testid="tl-list">
      <div className="tl-row tl-head" role="row">
        <span role="columnheader">Time (UTC)</span>
        <span role="columnheader">Host</span>
        <span role="columnheader">Event</span>
      </div>
      <div className="tl-scroll" ref={parent} data-handoff-scroll>
        {events.length === 0 && <p className="empty-state">No event matches.</p>}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const e = events[item.index]!;
            const by = freshBy(e.id);
            const color = colorOf(e);
            return (
              <div
                key={e.id}
                role="row"
                tabIndex={0}
                className={`tl-row ${selectedId === e.id ? 'open' : ''} ${by ? 'flash' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, boxShadow: `inset 4px 0 0 ${color}`, ...(by ? { background: `${color}22` } : {}) }}
                onClick={() => onSelect(e)}
                onKeyDown={(k) => {
                  // Enter or Space opens the event, as a button would (Space must not scroll the list).
                  if (k.key !== 'Enter' && k.key !== ' ') return;
                  k.preventDefault();
                  onSelect(e);
                }}
                data-testid={`tl-row-${e.description.slice(0, 40)}`}
              >
                <span role="cell" className="mono small" title={`source zone ${e.sourceTimeZone}`}>
                  {e.at.replace('T', ' ').slice(0, 19)}
                  <span className="muted"> {e.sourceTimeZone !== 'UTC' ? e.sourceTimeZone : ''}</span>
                </span>
                <span role="cell" className="mono small clip">
                  {hostName(e.hostId)}
                </span>
                <span role="cell" className="small clip">
                  <strong style={{ color }}>{e.team.code}</strong> {e.description}
                  {e.techniques.length > 0 && <span className="muted"> · {e.techniques.join(', ')}</span>}
                  {by && (
                    <span className="by-line" style={{ color }}>
                      {' '}
                      new, by {by}
                    </span>
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
