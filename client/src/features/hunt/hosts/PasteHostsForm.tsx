/**
 * Paste a host list (one host per line: name and/or addresses). Lines are read here (pasteHosts.ts) so
 * a bad line is shown before anything is sent; the rest go in one host:bulkCreate, in batches of the
 * server's bulk limit, and the answer says how many were added, merged or refused and why.
 */
import { useMemo, useState } from 'react';
import { HUNT_LIMITS, type HuntBulkResult, type NetworkView } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useCommand } from '../common.js';
import { useHunt } from '../useHuntBoard.js';
import { parsePastedHosts } from './pasteHosts.js';
import { plural } from '../../../lib/plural.js';

export function PasteHostsForm({ network, onDone }: { network: NetworkView; onDone: (message: string) => void }) {
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parsePastedHosts(text), [text]);

  async function send() {
    setBusy(true);
    const total = { created: 0, merged: 0, rejected: 0, reasons: [] as string[] };
    for (let i = 0; i < parsed.hosts.length; i += HUNT_LIMITS.bulkMax) {
      const batch = parsed.hosts.slice(i, i + HUNT_LIMITS.bulkMax);
      const r = await run<HuntBulkResult>('host:bulkCreate', { items: batch.map(({ hostname, addresses }) => ({ networkId: network.id, hostname, addresses })) });
      if (!r) break;
      total.created += r.created;
      total.merged += r.merged;
      total.rejected += r.rejected;
      for (const x of r.results) if (x.outcome === 'rejected') total.reasons.push(`line ${batch[x.index]!.line}: ${x.reason}`);
    }
    setBusy(false);
    onDone(
      `${total.created} added, ${total.merged} already there (merged), ${total.rejected + parsed.refused.length} refused` +
        (total.reasons.length ? ` (${total.reasons.slice(0, 3).join('; ')})` : '') +
        '.',
    );
    if (total.created + total.merged > 0) setText('');
  }

  return (
    <div className="card hunt-form" data-testid="paste-hosts">
      <label htmlFor="paste-hosts-text">One host per line: a name, an address, or both</label>
      <textarea
        id="paste-hosts-text"
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={'dc01.partner.example 10.10.0.5\n10.10.0.7\nmail01, 10.10.1.2'}
        data-testid="paste-hosts-text"
      />
      <p className="muted small" data-testid="paste-hosts-summary">
        {plural(parsed.hosts.length, 'host')} to send{parsed.refused.length > 0 && `, ${plural(parsed.refused.length, 'line')} refused`}
      </p>
      {parsed.refused.length > 0 && (
        <ul className="small warn-list">
          {parsed.refused.slice(0, 10).map((r) => (
            <li key={r.line}>
              line {r.line}: {r.reason}
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={error} />
      <button className="btn primary" disabled={busy || parsed.hosts.length === 0} onClick={() => void send()} data-testid="paste-hosts-send">
        {busy ? 'Sending…' : `Add ${plural(parsed.hosts.length, 'host')}`}
      </button>
    </div>
  );
}
