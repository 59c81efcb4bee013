/**
 * One host: what it is, its state with only the moves the rules allow (shared/hunt/state.ts), every
 * state change (who, which team, when) and the findings on it.
 */
import { useState } from 'react';
import { HOST_TRANSITIONS, type HostState, type HostView } from '@huntroom/shared';
import { TlpBadge } from '../../../components/badges.js';
import { ErrorBanner } from '../../../components/forms.js';
import { STATE_STYLE, StateBadge, colorOf, useCommand, useTeams, when } from '../common.js';
import { FindingsSection } from '../findings/FindingsSection.js';
import { DeleteButton, useItemRights } from '../rights.js';
import { useHunt } from '../useHuntBoard.js';
import { EditHostForm } from './EditHostForm.js';
import { useSidePanelKeys } from '../../../components/useModalKeys.js';

interface Props {
  host: HostView;
  onClose: () => void;
  onState: ((to: HostState) => void) | undefined;
}

export function HostDetail({ host, onClose, onState }: Props) {
  // Escape closes the panel; the focus goes back to the host row that opened it.
  const onPanelKey = useSidePanelKeys(onClose);
  const teams = useTeams();
  const board = useHunt();
  const rights = useItemRights(host);
  const { run, error } = useCommand(board.command);
  const [editing, setEditing] = useState(false);
  const name = host.hostname || host.addresses[0] || host.id;
  // A refused delete (findings still on it) leaves the panel open with the server's sentence.
  const remove = async () => {
    if (await run('host:delete', { id: host.id })) onClose();
  };
  return (
    <aside className="hunt-side card" aria-label={`Host ${name}`} data-testid="host-detail" onKeyDown={onPanelKey}>
      <div className="side-head">
        <h2 className="mono">{name}</h2>
        <button className="btn small" onClick={onClose} aria-label="Close host detail">
          ✕
        </button>
      </div>
      <p>
        <StateBadge state={host.state} /> <TlpBadge level={host.tlp} />{' '}
        <span className="muted small">
          {host.role} · {host.criticality} criticality · owner {host.ownerTeam.code}
        </span>
      </p>
      {(rights.edit || rights.remove) && !editing && (
        <div className="hunt-edit-actions">
          {rights.edit && (
            <button className="btn small" onClick={() => setEditing(true)} data-testid="host-edit">
              Edit
            </button>
          )}
          {rights.remove && <DeleteButton what={name} onDelete={remove} testId="host-delete" />}
        </div>
      )}
      <ErrorBanner error={error} />
      {editing && <EditHostForm host={host} onDone={() => setEditing(false)} />}
      <dl className="hunt-facts small">
        <dt>Addresses</dt>
        <dd className="mono">{host.addresses.join(', ') || '—'}</dd>
        <dt>OS</dt>
        <dd>{host.os || '—'}</dd>
        {host.notes && (
          <>
            <dt>Notes</dt>
            <dd className="prewrap">{host.notes}</dd>
          </>
        )}
      </dl>
      {onState && HOST_TRANSITIONS[host.state].length > 0 && (
        <div className="field">
          <label htmlFor="host-state">Change state</label>
          <select id="host-state" value="" onChange={(e) => e.target.value && onState(e.target.value as HostState)} data-testid="host-state">
            <option value="">Move to…</option>
            {HOST_TRANSITIONS[host.state].map((s) => (
              <option key={s} value={s}>
                {STATE_STYLE[s].label}
              </option>
            ))}
          </select>
        </div>
      )}
      <h3>State history</h3>
      <ol className="state-history small" data-testid="host-history">
        {host.stateHistory.length === 0 && <li className="muted">Not examined yet.</li>}
        {[...host.stateHistory].reverse().map((c, i) => (
          <li key={i}>
            <span className="team-dot" style={{ background: colorOf(teams.byId, c.team.id) }} aria-hidden /> {c.displayName || 'someone'} ({c.team.code}) ·{' '}
            {c.from ? `${STATE_STYLE[c.from].label} → ` : ''}
            <strong>{STATE_STYLE[c.to].label}</strong> <span className="muted">{when(c.at)}</span>
          </li>
        ))}
      </ol>
      <FindingsSection host={host} />
    </aside>
  );
}
