/** One indicator: fields, status and confidence, sightings, comments (add one) and its history. */
import { useEffect, useState, type FormEvent } from 'react';
import { INDICATOR_STATUSES, expiredNote, type CommentView, type IndicatorView, type RecordEvent, type SightingView } from '@huntroom/shared';
import { ApiError, get } from '../../lib/api.js';
import { useConnection } from '../../lib/connection.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { TlpBadge } from '../../components/badges.js';
import { MarkingEditor, type MarkingValue } from '../../components/MarkingEditor.js';
import type { Board } from './useIndicatorBoard.js';
import { ackError } from './commands.js';
import { defangsType, displayValue } from './display.js';
import { Link } from 'react-router';
import { useSidePanelKeys } from '../../components/useModalKeys.js';

interface BoardCopy {
  kind: 'whiteboard';
  id: string;
  title: string;
}

interface Detail {
  indicator: IndicatorView;
  sightings: SightingView[];
  comments: CommentView[];
  history: RecordEvent[];
}

export function DetailPanel({ workspaceId, id, board, onClose, readOnly }: { workspaceId: string; id: string; board: Board; onClose: () => void; readOnly: boolean }) {
  const live = board.store.rows.get(id);
  const detail = useAsync(() => get<Detail>(`/api/workspaces/${workspaceId}/indicators/${id}`), [workspaceId, id, board.store.touched.get(id)]);
  const [comment, setComment] = useState('');
  const [context, setContext] = useState('');
  const [error, setError] = useState<unknown>();
  const [editMarking, setEditMarking] = useState(false);
  // Where the indicator is placed (whiteboards), told after a marking change: copies follow the marking.
  const [copies, setCopies] = useState<BoardCopy[]>();
  const v = live ?? detail.data?.indicator;
  // The row comes from the live board; its sightings, comments and history need the server. Offline,
  // their load failing is expected, not an error to show in red: the panel says so and loads them once
  // the link is back.
  const link = useConnection().link;
  const detailsOffline = detail.error instanceof ApiError && detail.error.code === 'network';
  const reloadDetail = detail.reload;
  useEffect(() => {
    if (detailsOffline && link === 'online') reloadDetail();
  }, [detailsOffline, link, reloadDetail]);
  // Escape closes the panel; the focus goes back to the row's value that opened it.
  const onPanelKey = useSidePanelKeys(onClose);

  async function run(type: string, payload: Record<string, unknown>, after?: () => void) {
    setError(undefined);
    const ack = await board.command(type, payload);
    if (!ack.ok) return setError(ackError(ack));
    after?.();
    detail.reload();
  }

  if (!v)
    return (
      <aside className="card detail" data-testid="detail-panel">
        <ErrorBanner error={detail.error} />
        <p className="muted">Loading…</p>
      </aside>
    );
  return (
    <aside className="card detail" aria-label="Indicator detail" data-testid="detail-panel" onKeyDown={onPanelKey}>
      <div className="dialog-head">
        <h2 className="mono break" data-testid="detail-value">
          {displayValue(v.type, v.value)}
        </h2>
        <button className="btn small" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </div>
      <p className="muted small">
        {v.type} · <TlpBadge level={v.tlp} /> · team {v.ownerTeam.code} · first seen {new Date(v.firstSeen).toLocaleString()}
        {v.validUntil && (
          <span className={expiredNote(v.validUntil) ? 'expired-mark' : undefined} data-testid="detail-valid-until">
            {' '}
            · {expiredNote(v.validUntil) ?? `valid until ${new Date(v.validUntil).toLocaleString()}`}
          </span>
        )}
      </p>
      <div className="row-actions">
        {defangsType(v.type) && (
          <button className="btn small" onClick={() => void navigator.clipboard?.writeText(displayValue(v.type, v.value))}>
            Copy defanged
          </button>
        )}
        <button className="btn small" onClick={() => void navigator.clipboard?.writeText(v.value)}>
          Copy raw
        </button>
        {!readOnly && (
          <button className="btn small" onClick={() => setEditMarking((x) => !x)} aria-expanded={editMarking} data-testid="detail-marking-edit">
            Marking…
          </button>
        )}
      </div>
      {editMarking && (
        <MarkingEditor
          value={{ tlp: v.tlp, releasableTo: v.releasableTo }}
          ownTeam={v.ownerTeam.code}
          onSave={async (m) => {
            setError(undefined);
            const ack = await board.command<{ copies?: BoardCopy[] }>('indicator:update', { id, tlp: m.tlp, releasableTo: m.releasableTo });
            if (!ack.ok) return setError(ackError(ack));
            setEditMarking(false);
            setCopies(ack.data?.copies);
            detail.reload();
          }}
          onCancel={() => setEditMarking(false)}
          testId="detail-marking"
        />
      )}
      {copies && copies.length > 0 && (
        <p className="muted small" role="status" data-testid="detail-copies">
          Placed on{' '}
          {copies.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ', '}whiteboard <Link to={`/w/${workspaceId}/whiteboard/${c.id}`}>{c.title}</Link>
            </span>
          ))}
          : each board now shows it only to the teams this marking allows; the others see “hidden item”.
        </p>
      )}
      <ErrorBanner error={error ?? (detailsOffline ? undefined : detail.error)} />
      {detailsOffline && (
        <p className="muted small" role="status" data-testid="detail-offline">
          Offline: this indicator’s sightings, comments and history load when the connection is back.
        </p>
      )}
      {!readOnly && (
        <div className="row">
          <div className="field">
            <label htmlFor="detail-status">Status</label>
            <select id="detail-status" value={v.status} onChange={(e) => void run('indicator:update', { id, status: e.target.value })} data-testid="detail-status">
              {INDICATOR_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            {/* Made offline or not yet acknowledged: shown applied, sent when the server is reachable. */}
            {board.store.isWaiting(id) && (
              <span className="waiting-badge" data-testid="detail-waiting">
                waiting to send
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor="detail-conf">Confidence</label>
            <input
              id="detail-conf"
              type="number"
              min={0}
              max={100}
              defaultValue={v.confidence}
              onBlur={(e) => Number(e.target.value) !== v.confidence && void run('indicator:update', { id, confidence: Number(e.target.value) })}
            />
          </div>
          <div className="field">
            <label htmlFor="detail-valid-until-input">Valid until (UTC)</label>
            {/* Empty clears it. The browser's picker has no zone: the value is read as UTC, as it is shown. */}
            <input
              id="detail-valid-until-input"
              type="datetime-local"
              key={v.validUntil ?? ''}
              defaultValue={v.validUntil?.slice(0, 16) ?? ''}
              data-testid="detail-valid-until-input"
              onBlur={(e) => {
                const next = e.target.value ? `${e.target.value}:00Z` : null;
                if (next !== (v.validUntil ? `${v.validUntil.slice(0, 16)}:00Z` : null)) void run('indicator:update', { id, validUntil: next });
              }}
            />
          </div>
        </div>
      )}
      <ListEditor label="Tags" values={v.tags} readOnly={readOnly} onSave={(tags) => void run('indicator:update', { id, tags })} testid="detail-tags" />
      <ListEditor
        label="ATT&CK techniques"
        values={v.techniques}
        readOnly={readOnly}
        onSave={(techniques) => void run('indicator:update', { id, techniques })}
        testid="detail-techniques"
        placeholder="T1059.001, T1071"
      />
      <h3>Sightings ({v.sightingCount})</h3>
      <ul className="plain-list">
        {detail.data?.sightings.map((s) => (
          <li key={s.id}>
            <strong>{s.team.code}</strong> {new Date(s.seenAt).toLocaleString()} {s.context && <span className="muted">· {s.context}</span>}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form className="row" onSubmit={(e: FormEvent) => (e.preventDefault(), void run('sighting:add', { indicatorId: id, context: context || undefined }, () => setContext('')))}>
          <div className="field">
            <label htmlFor="sight-ctx">We saw it too (host, context)</label>
            <input id="sight-ctx" value={context} onChange={(e) => setContext(e.target.value)} />
          </div>
          <button className="btn small" type="submit">
            Add sighting
          </button>
        </form>
      )}
      <h3>Comments</h3>
      <ul className="plain-list" data-testid="detail-comments">
        {detail.data?.comments.map((c) => (
          <CommentItem
            key={c.id}
            c={c}
            readOnly={readOnly}
            onRemark={(m) => run('comment:remark', { indicatorId: id, commentId: c.id, tlp: m.tlp, releasableTo: m.releasableTo })}
          />
        ))}
      </ul>
      {!readOnly && (
        <form onSubmit={(e: FormEvent) => (e.preventDefault(), void run('comment:add', { indicatorId: id, body: comment }, () => setComment('')))}>
          <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} aria-label="New comment" required data-testid="detail-comment" />
          <button className="btn small" type="submit" data-testid="detail-comment-add">
            Comment
          </button>
        </form>
      )}
      <h3>History</h3>
      <ol className="plain-list history">
        {detail.data?.history.map((h) => (
          <li key={h.seq}>
            <span className="muted small">{new Date(h.at).toLocaleString()}</span> {h.actor.username ?? 'someone'} ({h.actor.team.code}){' '}
            <code>{h.type.replace('indicator:', '')}</code>
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** A comma-separated list (tags, technique ids) edited in place and saved on Enter or blur. */
function ListEditor({
  label,
  values,
  onSave,
  readOnly,
  testid,
  placeholder,
}: {
  label: string;
  values: string[];
  onSave: (v: string[]) => void;
  readOnly: boolean;
  testid: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(values.join(', '));
  const save = () => {
    const next = text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (next.join(',') !== values.join(',')) onSave(next);
  };
  if (readOnly)
    return (
      <p className="small">
        <strong>{label}:</strong> {values.join(', ') || 'none'}
      </p>
    );
  return (
    <div className="field">
      <label htmlFor={testid}>{label}</label>
      <input
        id={testid}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && save()}
        data-testid={testid}
      />
    </div>
  );
}

/** One comment with its marking; its team (or an owner: the server decides) may change the marking. */
function CommentItem({ c, readOnly, onRemark }: { c: CommentView; readOnly: boolean; onRemark: (m: MarkingValue) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  return (
    <li data-testid={`comment-${c.id}`}>
      {/* Who wrote it, then the team (the server sends the author with each comment the reader may see). */}
      <span className="comment-author" data-testid="comment-author">
        {c.author?.displayName ?? c.author?.username ?? 'someone'}
      </span>{' '}
      <span className="muted small">({c.team.code})</span> <TlpBadge level={c.tlp} />
      {c.releasableTo.length > 0 && <span className="muted small"> to {c.releasableTo.join(', ')}</span>}{' '}
      <span className="muted small">{new Date(c.createdAt).toLocaleString()}</span>
      {!readOnly && !editing && (
        <button className="btn small" onClick={() => setEditing(true)} data-testid="comment-marking-edit">
          Marking…
        </button>
      )}
      <div className="prewrap">{c.body}</div>
      {editing && (
        <MarkingEditor
          value={{ tlp: c.tlp, releasableTo: c.releasableTo }}
          ownTeam={c.team.code}
          onSave={(m) => onRemark(m).then(() => setEditing(false))}
          onCancel={() => setEditing(false)}
          testId="comment-marking"
        />
      )}
    </li>
  );
}
