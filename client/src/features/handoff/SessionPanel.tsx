/**
 * Live handoff sessions for owners: start one for a partner team (the link and its QR code are shown
 * once, to hand over in the room or by phone), see the live ones, and end them, which revokes the
 * link. Members of the recipient team see that a session runs; the bar above follows it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import type { HandoffSession, HandoffStarted, Team } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';
import { useAsync } from '../../lib/useAsync.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorBanner } from '../../components/forms.js';
import { useWorkspace } from '../workspaces/context.js';

function QrImage({ text }: { text: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    void QRCode.toDataURL(text, { margin: 1, width: 360, errorCorrectionLevel: 'M' }).then(setSrc);
  }, [text]);
  return src ? <img className="qr" src={src} alt="QR code of the handoff link" data-testid="handoff-qr" /> : null;
}

export function SessionPanel() {
  const ws = useWorkspace();
  const isOwner = ws.role === 'owner';
  const sessions = useAsync(() => get<{ sessions: HandoffSession[] }>(`/api/workspaces/${ws.id}/handoffs`).then((r) => r.sessions), [ws.id]);
  const teams = useAsync(() => (isOwner ? get<{ teams: Team[] }>('/api/teams').then((r) => r.teams) : Promise.resolve([])), [isOwner]);
  const [recipient, setRecipient] = useState('');
  const [hours, setHours] = useState(8);
  const [started, setStarted] = useState<HandoffStarted>();
  const [error, setError] = useState<unknown>();

  // Live list: started or ended elsewhere (another owner, another tab).
  const reloadRef = useRef(sessions.reload);
  reloadRef.current = sessions.reload;
  useEffect(() => {
    const socket = getSocket();
    const reload = () => reloadRef.current();
    socket.on('handoff:started', reload);
    socket.on('handoff:ended', reload);
    return () => {
      socket.off('handoff:started', reload);
      socket.off('handoff:ended', reload);
    };
  }, []);

  // Shows its own errors in the banner, so the form's submit handler starts it and does not wait.
  async function start(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      setStarted(await post<HandoffStarted>(`/api/workspaces/${ws.id}/handoffs`, { recipient, expiresInHours: hours }));
      sessions.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function end(s: HandoffSession) {
    if (!window.confirm(`End the handoff to ${s.recipient.code}? The link stops working and attendees are sent out.`)) return;
    setError(undefined);
    try {
      await post(`/api/workspaces/${ws.id}/handoffs/${s.id}/end`, {});
      if (started?.session.id === s.id) setStarted(undefined);
      sessions.reload();
    } catch (err) {
      setError(err);
    }
  }

  const live = sessions.data ?? [];
  return (
    <section className="card stack" data-testid="session-panel">
      <h2>Live handoff</h2>
      <p className="muted">
        Present to a partner team: its officials join as guests with a link (their access ends with the session) and follow your screen. They see only what is releasable to their
        team.
      </p>
      <ErrorBanner error={error ?? sessions.error} />
      {isOwner && (
        <form className="handoff-start" onSubmit={(e) => void start(e)} data-testid="handoff-start-form">
          <div className="field">
            <label htmlFor="handoff-recipient">Recipient team</label>
            <select id="handoff-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)} required data-testid="handoff-recipient">
              <option value="">Choose…</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.code} value={t.code}>
                  {t.code} · {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="handoff-hours">Link valid for (hours)</label>
            <input id="handoff-hours" type="number" min={1} max={72} value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="handoff-hours" />
          </div>
          <button className="btn primary" type="submit" data-testid="handoff-start">
            Start presenting
          </button>
        </form>
      )}
      {started && (
        <div className="stack" data-testid="handoff-link">
          <p>
            Give this link to the officials of {started.session.recipient.code}; it is shown once and works until {new Date(started.session.expiresAt).toLocaleString()} or until
            you end the session.
          </p>
          {started.approval === 'pending' && (
            <p className="notice-banner" role="status" data-testid="handoff-pending-approval">
              You are not an admin of {started.session.recipient.code}: officials who have no account yet can join once an admin of {started.session.recipient.code} approves this
              link (in their Admin page). Officials who already have an account can join now.
            </p>
          )}
          <CopyField value={started.inviteUrl} label="Handoff link" testId="handoff-url" />
          <QrImage text={started.inviteUrl} />
        </div>
      )}
      <ul className="handoff-sessions" data-testid="handoff-sessions">
        {live.length === 0 && <li className="muted">No live handoff.</li>}
        {live.map((s) => (
          <li key={s.id} className="card handoff-session" data-testid={`handoff-session-${s.recipient.code}`}>
            <span>
              To <strong>{s.recipient.code}</strong> · presented by {s.presenter.displayName} · until {new Date(s.expiresAt).toLocaleString()}
            </span>
            {isOwner && (
              <button className="btn small danger" onClick={() => void end(s)} data-testid={`handoff-end-${s.recipient.code}`}>
                End
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
