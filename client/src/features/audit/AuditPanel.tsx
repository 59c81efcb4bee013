/** The workspace's audit trail: who, which team, when, what; newest first, readable at a glance. */
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
      <table className="table audit-table" data-testid="audit-table">
        <thead>
          <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Detail</th></tr>
        </thead>
        <tbody>
          {audit.data?.length === 0 && <tr><td colSpan={4} className="muted">Nothing recorded yet.</td></tr>}
          {audit.data?.map((e) => {
            const team = e.teamCode ? teams.data?.get(e.teamCode) : undefined;
            return (
              <tr key={e.id} data-testid="audit-row">
                <td className="nowrap" title={e.at}>{new Date(e.at).toLocaleString()}</td>
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
