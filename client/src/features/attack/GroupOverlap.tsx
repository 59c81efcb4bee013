/** The intrusion sets whose known techniques overlap most with what the hunt observed. */
import type { GroupOverlap as Overlap } from '@huntroom/shared';

export function GroupOverlap({ overlap, onClose }: { overlap: Overlap[]; onClose?: () => void }) {
  return (
    <aside className="card overlap" data-testid="group-overlap" aria-label="Groups like this hunt">
      <div className="panel-head">
        <h2>Groups like this hunt</h2>
        {onClose && (
          <button className="btn small" onClick={onClose} aria-label="Close the groups panel (Escape)">
            ✕
          </button>
        )}
      </div>
      {overlap.length === 0 && <p className="muted small">Mark techniques as observed to see which intrusion sets use them.</p>}
      <ol className="plain-list">
        {overlap.map((o) => (
          <li key={o.group.id}>
            <strong>{o.group.name}</strong>{' '}
            <span className="muted small">
              {o.group.id} · {o.shared.length} shared ({Math.round(o.coverage * 100)}% of its known)
            </span>
            <div className="small mono">{o.shared.join(', ')}</div>
          </li>
        ))}
      </ol>
    </aside>
  );
}
