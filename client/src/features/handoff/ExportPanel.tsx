/**
 * Exports for a recipient team: what the package would hold (counts from the server, under the same
 * rules as the files), and a download per format. Anyone exports for their own team; owners choose
 * any team. Downloads are plain same-origin links: the browser's own download UI shows progress.
 */
import { useState } from 'react';
import type { Team } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { ErrorBanner } from '../../components/forms.js';
import { useWorkspace } from '../workspaces/context.js';
import { plural } from '../../lib/plural.js';

interface Summary {
  recipient: string;
  indicators: number;
  notes: number;
  marks: number;
  hosts: number;
  findings: number;
  timelineEvents: number;
}

const FORMATS: { format: string; label: string; what: string }[] = [
  { format: 'package.zip', label: 'Handoff package (ZIP)', what: 'all of the files below, in one download' },
  {
    format: 'report.html',
    label: 'Report (printable HTML)',
    what: 'summary, timeline, indicators by status, techniques, networks, hosts by state, findings, hunt timeline, notes',
  },
  { format: 'report.md', label: 'Report (Markdown)', what: 'the same report as text' },
  {
    format: 'stix',
    label: 'STIX 2.1 bundle',
    what: 'indicators with TLP markings, techniques, sightings; hosts and timeline events as observed data, findings as sightings and notes',
  },
  { format: 'misp', label: 'MISP event', what: 'attributes with type, category, to_ids and tlp tags; hosts, samples and timeline events as MISP objects' },
  { format: 'csv', label: 'CSV', what: 'one indicator per row' },
  { format: 'hosts.csv', label: 'Hosts CSV', what: 'one host per row, with state and TLP' },
  { format: 'timeline.csv', label: 'Timeline CSV', what: 'one hunt timeline event per row, UTC with the source zone, with TLP' },
  { format: 'layer', label: 'ATT&CK Navigator layer', what: 'marks of every team (Enterprise)' },
];

export function ExportPanel() {
  const ws = useWorkspace();
  const account = useAccount();
  const isOwner = ws.role === 'owner';
  const [recipient, setRecipient] = useState(account.team.code);
  const teams = useAsync(() => (isOwner ? get<{ teams: Team[] }>('/api/teams').then((r) => r.teams) : Promise.resolve([account.team])), [isOwner, account]);
  const summary = useAsync(() => get<Summary>(`/api/workspaces/${ws.id}/export?recipient=${encodeURIComponent(recipient)}`), [ws.id, recipient]);
  const href = (format: string) => `/api/workspaces/${ws.id}/export/${format}?recipient=${encodeURIComponent(recipient)}`;

  return (
    <section className="card stack" data-testid="export-panel">
      <h2>Export for a team</h2>
      <p className="muted">Every file holds only what is releasable to the team you choose, and every export is in the audit trail.</p>
      <div className="field">
        <label htmlFor="export-recipient">Recipient team</label>
        <select id="export-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)} disabled={!isOwner} data-testid="export-recipient">
          {(teams.data ?? [account.team]).map((t) => (
            <option key={t.code} value={t.code}>
              {t.code} · {t.name}
            </option>
          ))}
        </select>
        {!isOwner && <p className="muted small">Only workspace owners export for another team.</p>}
      </div>
      <ErrorBanner error={summary.error ?? teams.error} />
      <p data-testid="export-summary" aria-live="polite">
        {summary.loading
          ? 'Counting…'
          : summary.data
            ? `For ${summary.data.recipient}: ${plural(summary.data.indicators, 'indicator')}, ${plural(summary.data.notes, 'note')}, ${plural(summary.data.marks, 'ATT&CK mark')}, ${plural(summary.data.hosts, 'host')}, ${plural(summary.data.findings, 'finding')}, ${plural(summary.data.timelineEvents, 'timeline event')}.`
            : ''}
      </p>
      <ul className="export-list">
        {FORMATS.map((f) => (
          <li key={f.format}>
            <a className={`btn ${f.format === 'package.zip' ? 'primary' : ''}`} href={href(f.format)} download data-testid={`export-${f.format}`}>
              {f.label}
            </a>
            <span className="muted small">{f.what}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
