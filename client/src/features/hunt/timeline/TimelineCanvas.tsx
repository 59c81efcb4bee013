/**
 * The visual timeline: one lane per host or per team, events as marks in their team's colour, zoomed
 * from years to seconds with the wheel, the buttons or the keyboard (+ - ← → 0), dragged to pan.
 *
 * Drawn on a canvas, and only what is visible: each lane keeps its times sorted, a binary search finds
 * the first visible one, and one mark per pixel column is drawn, so a frame costs at most lanes x width
 * whatever the event count. Why not vis-timeline: it keeps a DOM element per item in range and lays
 * them out on every change; with 50,000 items it needs its clustering and still re-stacks on each zoom,
 * which is not smooth on the machines hunters carry. See docs/hunt-screens.md.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { TimelineEventView } from '@huntroom/shared';
import { fit, lowerBound, pan, span, ticks, zoom, type Window } from './scale.js';

export interface Lane {
  key: string;
  label: string;
}

interface Props {
  events: TimelineEventView[];
  laneOf: (e: TimelineEventView) => Lane;
  colorOf: (e: TimelineEventView) => string;
  /** Events to ring (another team's, just arrived); none when undefined. */
  isFresh: ((id: string) => boolean) | undefined;
  onSelect: (e: TimelineEventView | undefined) => void;
  selectedId: string | undefined;
}

const AXIS = 26;
const LANE = 24;

export function TimelineCanvas({ events, laneOf, colorOf, isFresh, onSelect, selectedId }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const labelW = width < 600 ? 78 : 150;

  const lanes = useMemo(() => {
    // Times parsed and colours looked up once here, not per frame: the draw loop only does arithmetic.
    // A lane with several teams' events gets a thin row per team, so a dense stretch shows every team
    // that worked there instead of whichever event came first in that pixel column.
    const byKey = new Map<string, { lane: Lane; times: number[]; idx: number[]; color: number[]; palette: string[] }>();
    events.forEach((e, i) => {
      const lane = laneOf(e);
      const l = byKey.get(lane.key) ?? { lane, times: [], idx: [], color: [], palette: [] };
      const c = colorOf(e);
      let k = l.palette.indexOf(c);
      if (k < 0) k = l.palette.push(c) - 1;
      l.times.push(Date.parse(e.at));
      l.idx.push(i);
      l.color.push(k);
      byKey.set(lane.key, l);
    });
    return [...byKey.values()].sort((a, b) => a.lane.label.localeCompare(b.lane.label)).map((l) => ({ ...l, times: Float64Array.from(l.times), color: Uint8Array.from(l.color) }));
  }, [events, laneOf, colorOf]);

  const extent = useMemo((): [number, number] => (events.length ? [Date.parse(events[0]!.at), Date.parse(events[events.length - 1]!.at)] : [NaN, NaN]), [events]);
  const [win, setWin] = useState<Window>(() => fit(...extent));
  // A new filter (a different extent) shows everything it kept.
  useEffect(() => setWin(fit(...extent)), [extent]);
  const [stats, setStats] = useState({ drawn: 0, ms: 0 });

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const height = AXIS + Math.max(1, lanes.length) * LANE;
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const frame = requestAnimationFrame(() => {
      const t0 = performance.now();
      const dpr = window.devicePixelRatio || 1;
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      const g = c.getContext('2d');
      if (!g) return;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, width, height);
      const plotW = width - labelW;
      const x = (t: number) => labelW + ((t - win.start) / span(win)) * plotW;
      // Axis and grid.
      g.font = '11px system-ui, sans-serif';
      g.textBaseline = 'middle';
      const tk = ticks(win, plotW);
      for (const t of tk.times) {
        const px = Math.round(x(t)) + 0.5;
        g.fillStyle = '#2d3642';
        g.fillRect(px, AXIS, 1, height - AXIS);
        g.fillStyle = '#9aa7b4';
        g.fillText(tk.label(t), px + 3, AXIS / 2);
      }
      let drawn = 0;
      // Marks are gathered into one path per colour and filled once each: setting fillStyle for every
      // mark (teams alternate) costs more than drawing it.
      const marks = new Map<string, Path2D>();
      let selected: { x: number; y: number } | undefined;
      lanes.forEach((l, li) => {
        const y = AXIS + li * LANE;
        g.fillStyle = li % 2 ? '#1c232d' : '#161b22';
        g.fillRect(0, y, width, LANE);
        g.fillStyle = '#e6edf3';
        g.fillText(l.lane.label.length > (labelW < 100 ? 10 : 22) ? `${l.lane.label.slice(0, labelW < 100 ? 9 : 21)}…` : l.lane.label, 6, y + LANE / 2);
        const i0 = lowerBound(l.times, win.start);
        const i1 = lowerBound(l.times, win.end + 1);
        const lastPx = l.palette.map(() => -1);
        const rowH = (LANE - 8) / l.palette.length;
        const scale = plotW / span(win);
        for (let i = i0; i < i1; i++) {
          const px = Math.floor(labelW + (l.times[i]! - win.start) * scale);
          if (selectedId || isFresh) {
            const e = events[l.idx[i]!]!;
            if (e.id === selectedId) selected = { x: px, y };
            if (isFresh?.(e.id)) {
              g.strokeStyle = l.palette[l.color[i]!]!;
              g.lineWidth = 2;
              g.beginPath();
              g.arc(px + 1, y + LANE / 2, 8, 0, Math.PI * 2);
              g.stroke();
            }
          }
          const k = l.color[i]!;
          if (px === lastPx[k]) continue; // one mark per team and pixel column: the cost is bounded by the width
          lastPx[k] = px;
          const color = l.palette[k]!;
          let path = marks.get(color);
          if (!path) marks.set(color, (path = new Path2D()));
          path.rect(px, y + 4 + k * rowH, 3, rowH);
          drawn++;
        }
      });
      for (const [color, path] of marks) {
        g.fillStyle = color;
        g.fill(path);
      }
      if (selected) {
        g.strokeStyle = '#ffd166';
        g.lineWidth = 2;
        g.strokeRect(selected.x - 3, selected.y + 2, 9, LANE - 4);
      }
      g.fillStyle = '#161b22';
      g.fillRect(0, 0, labelW - 2, AXIS);
      g.fillStyle = '#9aa7b4';
      g.fillText('UTC', 6, AXIS / 2);
      setStats({ drawn, ms: performance.now() - t0 });
    });
    return () => cancelAnimationFrame(frame);
  }, [lanes, events, win, width, height, labelW, isFresh, selectedId]);

  const timeAt = (clientX: number) => {
    const r = canvas.current!.getBoundingClientRect();
    return win.start + ((clientX - r.left - labelW) / (width - labelW)) * span(win);
  };
  // The wheel zooms the timeline, not the page: a native listener, since React's is passive and
  // cannot stop the page from scrolling.
  const timeAtRef = useRef(timeAt);
  timeAtRef.current = timeAt;
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: globalThis.WheelEvent) => {
      e.preventDefault();
      const at = timeAtRef.current(e.clientX);
      setWin((w) => zoom(w, e.deltaY > 0 ? 1.25 : 0.8, at));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, []);
  const drag = useRef<{ x: number; win: Window; moved: boolean }>(undefined);
  const onDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX, win, moved: false };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    if (Math.abs(dx) > 3) d.moved = true;
    if (d.moved) setWin(pan(d.win, (-dx / (width - labelW)) * span(d.win)));
  };
  const onUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = undefined;
    if (!d || d.moved) return;
    // A click: the nearest event of that lane within a few pixels.
    const r = canvas.current!.getBoundingClientRect();
    const lane = lanes[Math.floor((e.clientY - r.top - AXIS) / LANE)];
    if (!lane) return onSelect(undefined);
    const t = timeAt(e.clientX);
    const tol = (6 / (width - labelW)) * span(win);
    const i = lowerBound(lane.times, t - tol);
    onSelect(i < lane.times.length && lane.times[i]! <= t + tol ? events[lane.idx[i]!] : undefined);
  };
  const onKey = (e: KeyboardEvent) => {
    const step = span(win) * 0.1;
    const next = {
      '+': () => zoom(win, 0.5),
      '=': () => zoom(win, 0.5),
      '-': () => zoom(win, 2),
      ArrowLeft: () => pan(win, -step),
      ArrowRight: () => pan(win, step),
      '0': () => fit(...extent),
    }[e.key];
    if (!next) return;
    e.preventDefault();
    setWin(next());
  };

  return (
    <div className="tl-visual">
      <div className="tl-toolbar" role="toolbar" aria-label="Zoom">
        <button className="btn small" onClick={() => setWin(zoom(win, 0.5))} data-testid="tl-zoom-in" aria-label="Zoom in">
          +
        </button>
        <button className="btn small" onClick={() => setWin(zoom(win, 2))} data-testid="tl-zoom-out" aria-label="Zoom out">
          −
        </button>
        <button className="btn small" onClick={() => setWin(fit(...extent))} data-testid="tl-fit">
          Fit
        </button>
        <span className="muted small" data-testid="tl-window">
          {describeSpan(span(win))} from {new Date(win.start).toISOString().replace('T', ' ').slice(0, 19)} UTC
        </span>
      </div>
      <div className="tl-canvas-wrap" ref={wrap}>
        <canvas
          ref={canvas}
          style={{ width, height }}
          tabIndex={0}
          role="img"
          aria-label={`Timeline of ${events.length} events in ${lanes.length} lanes, ${describeSpan(span(win))} shown. Plus and minus zoom, arrows pan, 0 fits.`}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onKeyDown={onKey}
          data-testid="tl-canvas"
          data-span={Math.round(span(win))}
          data-drawn={stats.drawn}
          data-draw-ms={stats.ms.toFixed(1)}
          data-lanes={lanes.length}
        />
      </div>
    </div>
  );
}

function describeSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  if (s < 86_400 * 90) return `${Math.round(s / 86_400)} days`;
  return `${(s / (86_400 * 30.4)).toFixed(1)} months`;
}
