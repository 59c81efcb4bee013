/**
 * One technique: what it is (rendered description), its parent and sub-techniques, every team's mark,
 * linked indicators, and your team's mark to set. Escape closes it (AttackPage); the close button stays
 * on the title's line however long the name is.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { MARK_STATUSES, type AttackTechnique, type Mark, type MarkStatus } from '@huntroom/shared';
import { Description } from './Description.js';
import { depthOf, mix } from './heat.js';

interface Props {
  technique: AttackTechnique;
  marks: Mark[];
  linked: number;
  myTeam: string;
  readOnly: boolean;
  /** The board's marks are loaded (until then "no team has marked it" would be a guess). */
  loaded: boolean;
  workspaceId: string;
  parent?: AttackTechnique;
  subs: AttackTechnique[];
  teamColor: (team: string) => string | undefined;
  /** Opens another technique of this domain; false when the domain does not have it. */
  onOpen: (id: string) => boolean;
  onSave: (mark: { status: MarkStatus; score?: number; comment?: string } | null) => void;
  onClose: () => void;
}

export function TechniquePanel({ technique: t, marks, linked, myTeam, readOnly, loaded, workspaceId, parent, subs, teamColor, onOpen, onSave, onClose }: Props) {
  const mine = marks.find((m) => m.team === myTeam);
  const [status, setStatus] = useState<MarkStatus>(mine?.status ?? 'observed');
  const [score, setScore] = useState(mine?.score?.toString() ?? '');
  const [comment, setComment] = useState(mine?.comment ?? '');
  useEffect(() => {
    setStatus(mine?.status ?? 'observed');
    setScore(mine?.score?.toString() ?? '');
    setComment(mine?.comment ?? '');
  }, [t.id, mine?.status, mine?.score, mine?.comment]);

  return (
    <aside className="card detail technique-panel" aria-label={`${t.id} ${t.name}`} data-testid="technique-panel">
      <div className="panel-head">
        <h2>
          <span className="mono">{t.id}</span> {t.name}
        </h2>
        <button className="btn small" onClick={onClose} aria-label="Close the technique panel (Escape)" data-testid="technique-close">
          ✕
        </button>
      </div>
      {parent && (
        <p className="small">
          Sub-technique of{' '}
          <button className="link-button" onClick={() => onOpen(parent.id)}>
            {parent.id} {parent.name}
          </button>
        </p>
      )}
      <Description text={t.description} onOpenTechnique={onOpen} />
      <p className="small muted">
        {t.platforms.join(', ')} ·{' '}
        <a href={t.url} target="_blank" rel="noreferrer noopener">
          MITRE page
        </a>
      </p>
      {subs.length > 0 && (
        <details className="small">
          <summary>{subs.length} sub-techniques</summary>
          <ul className="plain-list">
            {subs.map((s) => (
              <li key={s.id}>
                <button className="link-button" onClick={() => onOpen(s.id)}>
                  {s.id} {s.name}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="small">
        <Link to={`/w/${workspaceId}/indicators?q=${t.id}`}>
          {linked} linked indicator{linked === 1 ? '' : 's'}
        </Link>
      </p>
      <h3>Marks</h3>
      <ul className="plain-list" data-testid="technique-marks">
        {marks.length === 0 && <li className="muted small">{loaded ? 'No team has marked it.' : 'The board’s marks are not loaded yet.'}</li>}
        {marks.map((m) => (
          <li key={m.team} className="mark-line">
            <span className="swatch" style={{ background: mix(m.status, depthOf(m.score)) }} aria-hidden="true" />
            <strong style={{ color: teamColor(m.team) }}>{m.team}</strong> {m.status}
            {m.score !== undefined ? ` · score ${m.score}` : ''}
            {m.comment ? ` · ${m.comment}` : ''}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form onSubmit={(e) => (e.preventDefault(), onSave({ status, ...(scoreValue(score) !== undefined ? { score: scoreValue(score) } : {}), ...(comment ? { comment } : {}) }))}>
          <h3>Your team ({myTeam})</h3>
          <div className="row">
            <div className="field">
              <label htmlFor="mark-status">Status</label>
              <select id="mark-status" value={status} onChange={(e) => setStatus(e.target.value as MarkStatus)} data-testid="mark-status">
                {MARK_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="mark-score">Score</label>
              <input id="mark-score" type="number" min={0} max={100} value={score} onChange={(e) => setScore(e.target.value)} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="mark-comment">Comment</label>
            <input id="mark-comment" value={comment} onChange={(e) => setComment(e.target.value)} data-testid="mark-comment" />
          </div>
          <div className="row-actions">
            <button className="btn primary small" type="submit" data-testid="mark-save">
              Save mark
            </button>
            {mine && (
              <button className="btn small" type="button" onClick={() => onSave(null)}>
                Clear
              </button>
            )}
          </div>
        </form>
      )}
    </aside>
  );
}

/**
 * The score as the board's contract wants it, a whole number from 0 to 100 (the server refuses any
 * other mark, and closes the board for the sender); undefined when the field is empty or not a number.
 */
function scoreValue(text: string): number | undefined {
  const n = Math.round(Number(text));
  return text.trim() && Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : undefined;
}
