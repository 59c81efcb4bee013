/**
 * The Excalidraw canvas of one whiteboard, bound to its Yjs document (binding.ts) with live cursors
 * from the awareness (cursors.ts, drawn by RemoteCursors.tsx in team colours). Observers get Excalidraw's view mode; the document server drops
 * their updates anyway. Images are off: binary files are not synced.
 */
import '@excalidraw/excalidraw/index.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CaptureUpdateAction, Excalidraw, reconcileElements, restoreElements } from '@excalidraw/excalidraw';
import type { ExcalidrawElement, OrderedExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import type { DocSession } from '../../lib/collab/docSession.js';
import { WhiteboardBinding, type SceneTools } from './binding.js';
import type { PlacementLabels } from './placementLabels.js';
import { collaboratorsFrom, pointerSender } from './cursors.js';
import { RemoteCursors } from './RemoteCursors.js';
import { describeSummary, summarize } from './summary.js';

type RemoteElements = Parameters<typeof reconcileElements>[1];

const TOOLS: SceneTools = {
  restoreElements: (elements, _local, opts) => restoreElements(elements, null, opts),
  reconcileElements: (local, remote, appState) => reconcileElements(local as readonly OrderedExcalidrawElement[], remote as RemoteElements, appState),
  captureNever: CaptureUpdateAction.NEVER,
};

const UI_OPTIONS = {
  tools: { image: false },
  // Export goes through the page's PNG/SVG buttons; a scene file would bypass the document's marking.
  canvasActions: { loadScene: false, saveToActiveFile: false, export: false as const, saveAsImage: false },
};

interface Props {
  session: DocSession;
  title: string;
  readOnly: boolean;
  onReady: (api: ExcalidrawImperativeAPI | null) => void;
  /** This viewer's labels of placed indicators (the document holds only their ids). */
  labels: PlacementLabels;
}

export function WhiteboardCanvas({ session, title, readOnly, onReady, labels }: Props) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const binding = useRef<WhiteboardBinding | null>(null);
  const awareness = session.provider.awareness;
  const pointer = useMemo(() => pointerSender(awareness), [awareness]);
  const [summary, setSummary] = useState('');
  const latest = useRef<readonly ExcalidrawElement[]>([]);
  const summaryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(summaryTimer.current), []);

  useEffect(() => {
    if (!api) return;
    const b = new WhiteboardBinding(session.doc, api, TOOLS, undefined, labels);
    binding.current = b;
    const stopLabels = labels.subscribe(() => b.relabel());
    const showCursors = () => api.updateScene({ collaborators: collaboratorsFrom(awareness) });
    awareness.on('change', showCursors);
    showCursors();
    onReady(api);
    return () => {
      stopLabels();
      awareness.off('change', showCursors);
      awareness.setLocalStateField('pointer', null);
      pointer.stop();
      b.destroy();
      binding.current = null;
      onReady(null);
    };
  }, [api, session, awareness, pointer, onReady, labels]);

  return (
    <div className="wb-canvas" data-testid="wb-canvas">
      <Excalidraw
        excalidrawAPI={setApi}
        name={title}
        isCollaborating
        theme="dark"
        viewModeEnabled={readOnly}
        UIOptions={UI_OPTIONS}
        onChange={(elements) => {
          binding.current?.onLocalChange(elements);
          // onChange fires on every pointer move: read the board for the summary a few times a second.
          latest.current = elements;
          summaryTimer.current ??= setTimeout(() => {
            summaryTimer.current = undefined;
            const next = describeSummary(summarize(latest.current));
            setSummary((prev) => (prev === next ? prev : next));
          }, 200);
        }}
        onPointerUpdate={({ pointer: p, button }) => pointer.update({ x: p.x, y: p.y, tool: p.tool, button })}
      />
      {api && <RemoteCursors awareness={awareness} api={api} />}
      <p className="sr-only" aria-live="polite" data-testid="wb-summary">
        {summary}
      </p>
    </div>
  );
}
