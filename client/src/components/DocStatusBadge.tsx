/**
 * A document's sync state for the page header: Saved · live / Syncing… / Offline · unsynced edits,
 * or why the server closed it for good. Edits are not counted: a sentence is dozens of Yjs updates,
 * all merged into one on reconnect, so a count of them says nothing.
 */
import type { DocStatus } from '../lib/collab/docStatus.js';

export function DocStatusBadge({ status }: { status: DocStatus }) {
  const label = status.closed
    ? `Closed by the server: ${status.closed}`
    : status.link === 'synced'
      ? 'Saved · live'
      : status.link === 'syncing'
        ? 'Syncing…'
        : `Offline${status.waiting ? ' · unsynced edits' : ''}`;
  const tone = status.link === 'synced' ? 'ok' : status.link === 'syncing' ? 'busy' : 'bad';
  return (
    <span className={`conn conn-${tone}`} data-testid="doc-status" data-state={status.link} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      {label}
    </span>
  );
}
