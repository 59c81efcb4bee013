/**
 * Other users' cursors drawn above the Excalidraw canvas (cursors.ts says why not in it): an arrow
 * and a name tag in the user's team colour, placed from scene to canvas coordinates with the view's
 * scroll and zoom, which Excalidraw reports on every pan and zoom.
 */
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import { remoteCursors, type RemoteCursor } from './cursors.js';

interface View {
  scrollX: number;
  scrollY: number;
  zoom: number;
}

/** Black or white text, whichever reads better on the team colour. */
const textOn = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.5 ? '#111111' : '#ffffff';
};

export function RemoteCursors({ awareness, api }: { awareness: Awareness; api: ExcalidrawImperativeAPI }) {
  const [cursors, setCursors] = useState<RemoteCursor[]>(() => remoteCursors(awareness));
  const [view, setView] = useState<View>(() => {
    const s = api.getAppState();
    return { scrollX: s.scrollX, scrollY: s.scrollY, zoom: s.zoom.value };
  });

  useEffect(() => {
    const onChange = () => setCursors(remoteCursors(awareness));
    awareness.on('change', onChange);
    const stop = api.onScrollChange((scrollX, scrollY, zoom) => setView({ scrollX, scrollY, zoom: zoom.value }));
    return () => {
      awareness.off('change', onChange);
      stop();
    };
  }, [awareness, api]);

  return (
    <div className="wb-cursors" aria-hidden data-testid="wb-cursors">
      {cursors.map((c) => {
        const left = (c.x + view.scrollX) * view.zoom;
        const top = (c.y + view.scrollY) * view.zoom;
        return (
          <div key={c.id} className="wb-cursor" style={{ transform: `translate(${left}px, ${top}px)` }} data-testid="wb-cursor" data-color={c.color}>
            <svg width="14" height="18" viewBox="0 0 14 18">
              <path d="M1 1 L1 15 L5 11 L12 10 Z" fill={c.color} stroke="#ffffff" strokeWidth="1.5" strokeLinejoin="round" />
            </svg>
            <span className={`wb-cursor-name${c.down ? ' down' : ''}`} style={{ background: c.color, color: textOn(c.color) }}>
              {c.label}
            </span>
          </div>
        );
      })}
    </div>
  );
}
