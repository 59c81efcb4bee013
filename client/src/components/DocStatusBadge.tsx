/**
 * A document's sync state for the page header: Saved · live / Syncing… / Offline · N changes waiting,
 * or why the server closed it for good.
 */
import type { DocStatus } from '../lib/collab/docStatus.js';

export function DocStatusBadge({ status }: { status: DocStatus }) {
  const waiting = status.waiting === 1 ? '1 change waiting' : `${status.waiting} changes waiting`;
  const label = status.closed
    ? `Closed by the server: ${status.closed}`
    : status.link === 'synced'
      ? 'Saved · live'
      : status.link === 'syncing'
        ? 'Syncing…'
        : `Offline${status.waiting ? ` · ${waiting}` : ''}`;
  const tone = status.link === 'synced' ? 'ok' : status.link === 'syncing' ? 'busy' : 'bad';
  return (
    <span className={`conn conn-${tone}`} data-testid="doc-status" data-state={status.link} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      {label}
    </span>
  );
}
