/** The chosen timeline event: when (UTC and the source's zone), host, team, what, links; edit and delete for those who may. */
import { useState } from 'react';
import type { HostView, TimelineEventView } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useCommand } from '../common.js';
import { DeleteButton, useItemRights } from '../rights.js';
import { useHunt } from '../useHuntBoard.js';
import { EditEventForm } from './EditEventForm.js';
import { useSidePanelKeys } from '../../../components/useModalKeys.js';

interface Props {
  event: TimelineEventView;
  hosts: readonly HostView[];
  hostName: (id: string | null) => string;
  onClose: () => void;
}

export function EventDetail({ event, hosts, hostName, onClose }: Props) {
  // Escape closes the panel; the focus goes back to the event row that opened it.
  const onPanelKey = useSidePanelKeys(onClose);
  const board = useHunt();
  const rights = useItemRights(event);
  const { run, error } = useCommand(board.command);
  const [editing, setEditing] = useState(false);
  const remove = async () => {
    if (await run('timeline:delete', { id: event.id })) onClose();
  };
  return (
    <div className="card tl-detail" data-testid="tl-detail" onKeyDown={onPanelKey}>
      <div className="side-head">
        <strong className="mono">{event.at.replace('T', ' ').slice(0, 23)} UTC</strong>
        <button className="btn small" onClick={onClose} aria-label="Close event">
          ✕
        </button>
      </div>
      <p className="muted small">
        source zone {event.sourceTimeZone} · {hostName(event.hostId)} · team {event.team.code} · {event.source || 'no source'}
      </p>
      <p className="prewrap" data-testid="tl-detail-description">
        {event.description}
      </p>
      {event.techniques.length > 0 && <p className="small">Techniques: {event.techniques.join(', ')}</p>}
      {(event.indicatorIds.length > 0 || event.findingIds.length > 0) && (
        <p className="small muted">
          {event.indicatorIds.length} linked indicators · {event.findingIds.length} linked findings
        </p>
      )}
      {!editing && (rights.edit || rights.remove) && (
        <div className="hunt-edit-actions">
          {rights.edit && (
            <button className="btn small" onClick={() => setEditing(true)} data-testid="event-edit">
              Edit
            </button>
          )}
          {rights.remove && <DeleteButton what="this event" onDelete={remove} testId="event-delete" />}
        </div>
      )}
      <ErrorBanner error={error} />
      {editing && <EditEventForm event={event} hosts={hosts} onDone={() => setEditing(false)} />}
    </div>
  );
}
