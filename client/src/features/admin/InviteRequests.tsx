/**
 * For a team's admins: invite links that would create accounts in their team, made by owners who are
 * not its admins. Approve lets the link create accounts; refuse kills it. Nobody else can decide.
 */
import type { InviteSummary } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { ErrorBanner } from '../../components/forms.js';
import { RoleBadge, TeamBadge } from '../../components/badges.js';

export function InviteRequests() {
  const requests = useAsync(() => get<{ requests: InviteSummary[] }>('/api/invite-requests').then((r) => r.requests), []);
  const { run, error, busy } = useAction();

  function decide(r: InviteSummary, decision: 'approve' | 'refuse') {
    const question =
      decision === 'approve'
        ? `Let this link create accounts in team ${r.team.code}? Whoever opens it becomes a ${r.role} of ${r.workspace.name} as a member of ${r.team.code}.`
        : `Refuse this link? Nobody can use it any more.`;
    if (!window.confirm(question)) return;
    void run(async () => {
      await post(`/api/invite-requests/${encodeURIComponent(r.id)}`, { decision });
      requests.reload();
    });
  }

  const list = requests.data ?? [];
  return (
    <section className="card" aria-labelledby="requests-title" data-testid="invite-requests">
      <div className="page-head">
        <h2 id="requests-title">Invite requests</h2>
        <span className="muted">{list.length === 1 ? '1 waiting' : `${list.length} waiting`}</span>
      </div>
      <p className="muted">Links that would create accounts in your team, made by workspace owners who are not its admins.</p>
      <ErrorBanner error={error ?? requests.error} />
      {list.length === 0 && !requests.loading && (
        <p className="muted" data-testid="invite-requests-empty">
          Nothing waits for you.
        </p>
      )}
      {list.length > 0 && (
        <table className="table cards">
          <thead>
            <tr>
              <th scope="col">Workspace</th>
              <th scope="col">For</th>
              <th scope="col">Asked by</th>
              <th scope="col">Uses</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="sr-only">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-testid={`request-row-${r.id}`}>
                <td data-label="Workspace">{r.workspace.name}</td>
                <td data-label="For">
                  <RoleBadge role={r.role} /> of <TeamBadge team={r.team} />
                  {r.handoffId && <span className="muted"> · handoff guests</span>}
                </td>
                <td data-label="Asked by">
                  {r.createdBy.displayName} <TeamBadge team={r.createdBy.team} />
                </td>
                <td data-label="Uses">{r.maxUses}</td>
                <td className="muted nowrap" data-label="Expires">
                  {new Date(r.expiresAt).toLocaleString()}
                </td>
                <td className="right nowrap">
                  <button className="btn primary small" disabled={busy} onClick={() => decide(r, 'approve')} data-testid={`request-approve-${r.id}`}>
                    Approve
                  </button>{' '}
                  <button className="btn danger small" disabled={busy} onClick={() => decide(r, 'refuse')} data-testid={`request-refuse-${r.id}`}>
                    Refuse
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
