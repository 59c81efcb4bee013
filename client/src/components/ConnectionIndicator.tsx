/**
 * Always-visible connection state: green Online, amber Connecting/Syncing, red Offline, each with
 * "N changes waiting" when some are. Colour is never the only signal: the words say it too. A live
 * region announces changes to screen readers without stealing focus.
 */
import { describeConnection, useConnection } from '../lib/connection.js';

export function ConnectionIndicator() {
  const snap = useConnection();
  const { tone, label } = describeConnection(snap);
  return (
    <div className={`conn conn-${tone}`} data-testid="connection-indicator" data-state={snap.link} data-pending={snap.pending} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      {label}
    </div>
  );
}

/** A full-width line under the header for what the pill cannot say (the server is restarting). */
export function ConnectionNotice() {
  const { notice } = useConnection();
  if (!notice) return null;
  return (
    <div className="conn-notice" role="status" data-testid="connection-notice">
      {notice}
    </div>
  );
}
