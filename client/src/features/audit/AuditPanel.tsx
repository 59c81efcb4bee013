/**
 * The workspace's audit trail, for owners: who (name and team), when, what and to which item, named by
 * its value or title when your team may see it (the server decides; a hidden or deleted item keeps
 * its id); exports name their recipient. Newest first. One filter at a time (a team or a kind of
 * action: choosing one replaces the other, clicking a row's team filters by it) plus a text search,
 * and "Reset filters" clears them all.
 */
import { useMemo, useState } from 'react';
import { defang, type Team } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { TeamBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';
import { describeAction, namedSubjects, summarizeDetail, type AuditSubjectView } from './describe.js';
import './audit.css';

interface AuditEntry {
  id: number;
  at: string;
  actorUsername: string | null;
  actorDisplayName?: string | null;
  teamCode: string | null;
  action: string;
  detail: Record<string, unknown>;
  subjects?: AuditSubjectView[];
}

/** The one filter besides the search: everything, one team's rows, or one kind of action. */
type Filter = '' | `team:${string}` | `action:${string}`;

const labelsOf = (e: AuditEntry) => namedSubjects(e.subjects ?? []);
const namedIds = (e: AuditEntry) => new Set((e.subjects ?? []).filter((s) => s.label).map((s) => s.id));

export function AuditPanel() {
  const ws = useWorkspace();
  const audit = useAsync(() => get<{ entries: AuditEntry[] }>(`/api/workspaces/${ws.id}/audit`).then((r) => r.entries), [ws.id]);
  // The trail names teams by code; the team list gives them their colours.
  const teams = useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => new Map(r.teams.map((t) => [t.code, t]))), []);
  const [filter, setFilter] = useState<Filter>('');
  const [text, setText] = useState('');
  const domains = useMemo(() => [...new Set((audit.data ?? []).map((e) => e.action.split('.')[0]!))].sort(), [audit.data]);
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const [by, value] = filter.split(':') as ['' | 'team' | 'action', string | undefined];
    // Newest first by time (rows are written in order; imported history may carry earlier times).
    const byTime = [...(audit.data ?? [])].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
    return byTime.filter(
      (e) =>
        (by !== 'team' || e.teamCode === value) &&
        (by !== 'action' || e.action.startsWith(`${value}.`)) &&
        (!needle ||
          `${e.actorUsername ?? ''} ${e.actorDisplayName ?? ''} ${e.action} ${describeAction(e.action)} ${labelsOf(e)
            .map((l) => l.label)
            .join(' ')} ${summarizeDetail(e.detail)}`
            .toLowerCase()
            .includes(needle)),
    );
  }, [audit.data, filter, text]);
  const filtered = filter !== '' || text !== '';
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
        <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} aria-label="Show only" data-testid="audit-filter">
          <option value="">Everything</option>
          <optgroup label="One team">
            {[...(teams.data?.keys() ?? [])].map((c) => (
              <option key={c} value={`team:${c}`}>
                Team {c}
              </option>
            ))}
          </optgroup>
          <optgroup label="One kind of action">
            {domains.map((d) => (
              <option key={d} value={`action:${d}`}>
                {d}
              </option>
            ))}
          </optgroup>
        </select>
        <input
          type="search"
          placeholder="Search who, what, detail…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Search the audit trail"
          data-testid="audit-search"
        />
        <button type="button" className="btn small" onClick={() => (setFilter(''), setText(''))} disabled={!filtered} data-testid="audit-reset">
          Reset filters
        </button>
        <span className="muted small" data-testid="audit-count" aria-live="polite">
          {shown.length} of {audit.data?.length ?? 0} {audit.data?.length === 1 ? 'entry' : 'entries'}
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
                  {e.teamCode && (
                    <button type="button" className="linklike" onClick={() => setFilter(`team:${e.teamCode}`)} title={`Show only team ${e.teamCode}`} data-testid="audit-row-team">
                      {team ? <TeamBadge team={team} /> : <span className="team-badge">{e.teamCode}</span>}
                    </button>
                  )}{' '}
                  <span title={e.actorUsername ?? undefined}>{e.actorDisplayName ?? e.actorUsername ?? 'system'}</span>
                </td>
                <td>
                  {describeAction(e.action)}
                  {labelsOf(e).map((l, i) => (
                    <span key={i} className="audit-subject" data-testid="audit-subject">
                      {' '}
                      <span className="muted">{l.kind}</span> <code>{defang(l.label)}</code>
                    </span>
                  ))}{' '}
                  <code className="muted small">{e.action}</code>
                </td>
                <td className="muted detail">{summarizeDetail(e.detail, namedIds(e))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
