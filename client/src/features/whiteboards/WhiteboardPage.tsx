/**
 * One whiteboard: title and marking, sync state, who is here, PNG/SVG export, the live canvas, and the
 * "Add to board" panel (drag a technique or an indicator onto the canvas, or press its Add button).
 */
import { useCallback, useMemo, useState, type DragEvent } from 'react';
import { useParams } from 'react-router';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import type { TitledDocument } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { useDocSession } from '../../lib/collab/useDocSession.js';
import { ErrorBanner } from '../../components/forms.js';
import { DocLoadingNotice } from '../../components/DocLoadingNotice.js';
import { PresenceBar } from '../../components/PresenceBar.js';
import { DocumentHead } from '../documents/DocumentHead.js';
import { useWorkspace } from '../workspaces/context.js';
import { WhiteboardCanvas } from './WhiteboardCanvas.js';
import { DRAG_TYPE, ItemPicker } from './ItemPicker.js';
import { addToBoard } from './addToBoard.js';
import { PlacementLabels } from './placementLabels.js';
import { exportImage, type ImageFormat } from './exportImage.js';
import type { BoardItem } from './shapes.js';

export function WhiteboardPage() {
  const { boardId = '' } = useParams();
  const ws = useWorkspace();
  const account = useAccount();
  const board = useAsync(() => get<TitledDocument>(`/api/workspaces/${ws.id}/whiteboards/${boardId}`), [ws.id, boardId]);
  const { session, status } = useDocSession(boardId, account);
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const [error, setError] = useState<unknown>();
  const [showPicker, setShowPicker] = useState(true);
  const readOnly = ws.role === 'observer';
  // Drawing on the empty copy of a board not yet loaded would place shapes into a board that is not
  // there yet: the canvas stays in view mode until the server's first sync or this device's copy.
  const canEdit = !readOnly && status.loaded;
  // An image of the empty copy would look like an empty board: exports wait for the load too.
  const canExport = !!api && !!board.data && status.loaded;
  const onReady = useCallback((a: ExcalidrawImperativeAPI | null) => setApi(a), []);
  const title = board.data?.title ?? 'whiteboard';
  // Labels of placed indicators, from this viewer's own view of each record.
  const labels = useMemo(() => new PlacementLabels(ws.id), [ws.id]);

  const add = useMemo(
    () => async (item: BoardItem, at?: { clientX: number; clientY: number }) => {
      if (!api || !board.data) return;
      setError(undefined);
      try {
        await addToBoard(api, ws.id, board.data, item, at, labels);
      } catch (err) {
        setError(err);
      }
    },
    [api, board.data, ws.id, labels],
  );

  async function download(format: ImageFormat) {
    if (!api || !board.data) return;
    setError(undefined);
    try {
      await exportImage(api, title, format, board.data.marking.tlp);
    } catch (err) {
      setError(err);
    }
  }

  // Our drag type only: Excalidraw keeps its own drops (library items, files) as they are.
  const onDragOver = (e: DragEvent) => {
    if (canEdit && e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
  };
  const onDrop = (e: DragEvent) => {
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    if (!raw || !canEdit) return;
    e.preventDefault();
    e.stopPropagation();
    void add(JSON.parse(raw) as BoardItem, { clientX: e.clientX, clientY: e.clientY });
  };

  return (
    <section className="wb-page">
      <DocumentHead
        back="Whiteboards"
        doc={board.data}
        path={`/api/workspaces/${ws.id}/whiteboards/${boardId}`}
        account={account}
        role={ws.role}
        status={status}
        onChanged={board.reload}
        headingTestId="wb-heading"
      />
      <div className="doc-bar">
        {session && <PresenceBar provider={session.provider} />}
        <button className="btn small" onClick={() => void download('png')} disabled={!canExport} data-testid="wb-export-png">
          Export PNG
        </button>
        <button className="btn small" onClick={() => void download('svg')} disabled={!canExport} data-testid="wb-export-svg">
          Export SVG
        </button>
        {canEdit && (
          <button className="btn small" onClick={() => setShowPicker((v) => !v)} aria-expanded={showPicker} data-testid="wb-picker-toggle">
            Add to board
          </button>
        )}
        {readOnly && <span className="muted">Read only (observer)</span>}
      </div>
      <ErrorBanner error={error ?? board.error} />
      <DocLoadingNotice status={status} what="whiteboard" />
      <div className={`wb-body ${showPicker && canEdit ? 'with-side' : ''}`} onDragOverCapture={onDragOver} onDropCapture={onDrop}>
        {session && <WhiteboardCanvas key={session.docId} session={session} title={title} readOnly={!canEdit} onReady={onReady} labels={labels} />}
        {showPicker && canEdit && <ItemPicker workspaceId={ws.id} onAdd={(item) => void add(item)} />}
      </div>
    </section>
  );
}
