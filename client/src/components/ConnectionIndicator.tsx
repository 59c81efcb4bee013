/** Always-visible connection state: Online, Connecting/Syncing, Offline with N changes waiting. */
import { useSyncExternalStore } from 'react';
import { connection, describeConnection } from '../lib/connection.js';

export function ConnectionIndicator() {
  const snap = useSyncExternalStore(connection.subscribe, connection.getSnapshot);
  const { tone, label } = describeConnection(snap);
  return (
    <div className={`conn conn-${tone}`} data-testid="connection-indicator" data-state={snap.link} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      {label}
    </div>
  );
}
