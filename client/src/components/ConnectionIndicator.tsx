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

/**
 * A full-width line under the header for what the pill cannot say: the server is restarting, or changes
 * wait for another instance (the home of the item they change) and will be sent by themselves. Only
 * those wait: changes of other items are sent meanwhile (lib/records/outbox.ts), and the sentence says so.
 */
export function ConnectionNotice() {
  const { notice, held, link } = useConnection();
  const text =
    notice ??
    (held && link === 'online'
      ? `Waiting for another instance: ${held}. The changes to its items are kept and sent by themselves when it answers; your other changes go on.`
      : undefined);
  if (!text) return null;
  return (
    <div className="conn-notice" role="status" data-testid="connection-notice" data-held={held ? 'true' : undefined}>
      {text}
    </div>
  );
}
