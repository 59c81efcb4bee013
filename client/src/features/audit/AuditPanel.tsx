/**
 * The workspace's audit trail, for owners: who, which team, when, what (exports name their recipient);
 * newest first, readable at a glance, filtered by team, by kind of action and by any text.
 */
import { useMemo, useState } from 'react';
import type { Team } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { TeamBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';
import { describeAction, summarizeDetail } from './describe.js';

interface AuditEntry {
  id: number;
  at: string;
  actorUsername: string | null;
  teamCode: string | null;
  action: string;
  detail: Record<string, unknown>;
}

export function AuditPanel() {
  const ws = useWorkspace();
  const audit = useAsync(() => get<{ entries: AuditEntry[] }>(`/api/workspaces/${ws.id}/audit`).then((r) => r.entries), [ws.id]);
  // The trail names teams by code; the team list gives them their colours.
  const teams = useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => new Map(r.teams.map((t) => [t.code, t]))), []);
  const [team, setTeam] = useState('');
  const [domain, setDomain] = useState('');
  const [text, setText] = useState('');
  const domains = useMemo(() => [...new Set((audit.data ?? []).map((e) => e.action.split('.')[0]!))].sort(), [audit.data]);
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (audit.data ?? []).filter(
      (e) =>
        (!team || e.teamCode === team) &&
        (!domain || e.action.startsWith(`${domain}.`)) &&
        (!needle || `${e.actorUsername ?? ''} ${e.action} ${describeAction(e.action)} ${summarizeDetail(e.detail)}`.toLowerCase().includes(needle)),
    );
  }, [audit.data, team, domain, text]);
  return (
    <section className="card">
      <div className="page-head">
        <div>
          <h1>Audit trail</h1>
          <p className="muted">Every change and security event in this workspace, newest first.</p>
        </div>
        <button className="btn small" onClick={audit.reload} disabled={audit.loading} data-testid="audit-refresh">
          {audit.loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <ErrorBanner error={audit.error} />
      <div className="row audit-filters" data-testid="audit-filters">
        <select value={team} onChange={(e) => setTeam(e.target.value)} aria-label="Filter by team" data-testid="audit-team">
          <option value="">All teams</option>
          {[...(teams.data?.keys() ?? [])].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select value={domain} onChange={(e) => setDomain(e.target.value)} aria-label="Filter by kind of action" data-testid="audit-domain">
          <option value="">All actions</option>
          {domains.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Search who, what, detail…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Search the audit trail"
          data-testid="audit-search"
        />
        <span className="muted small" data-testid="audit-count">
          {shown.length} of {audit.data?.length ?? 0}
        </span>
      </div>
      <table className="table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {audit.data?.length ? 'Nothing matches the filters.' : 'Nothing recorded yet.'}
              </td>
            </tr>
          )}
          {shown.map((e) => {
            const team = e.teamCode ? teams.data?.get(e.teamCode) : undefined;
            return (
              <tr key={e.id} data-testid="audit-row">
                <td className="nowrap" title={e.at}>
                  {new Date(e.at).toLocaleString()}
                </td>
                <td className="nowrap">
                  {team ? <TeamBadge team={team} /> : e.teamCode && <span className="team-badge">{e.teamCode}</span>} {e.actorUsername ?? 'system'}
                </td>
                <td>
                  {describeAction(e.action)} <code className="muted">{e.action}</code>
                </td>
                <td className="muted detail">{summarizeDetail(e.detail)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
