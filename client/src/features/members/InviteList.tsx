/**
 * The workspace's live invite links, for its owners: whom each is for, who made it, and where it
 * stands. A link into a team the owner does not administer shows "waiting for <team>'s admins" until
 * one of them approves or refuses it in their Admin page; both sides see the same request.
 */
import type { InviteSummary } from '@huntroom/shared';
import { ErrorBanner } from '../../components/forms.js';
import { RoleBadge, TeamBadge } from '../../components/badges.js';

const STATE_TEXT: Record<InviteSummary['approval'], (i: InviteSummary) => string> = {
  approved: () => 'usable',
  pending: (i) => `waiting for ${i.team.code}'s admins`,
  refused: (i) => `refused by ${i.decidedBy ?? `${i.team.code}'s admins`}`,
};

export function InviteList({ invites, error, onRefresh }: { invites: InviteSummary[]; error: unknown; onRefresh: () => void }) {
  return (
    <section className="card" aria-labelledby="invite-list-title" data-testid="invite-list">
      <div className="page-head">
        <h2 id="invite-list-title">Open invite links</h2>
        <button className="btn small" type="button" onClick={onRefresh} data-testid="invite-list-refresh">
          Refresh
        </button>
      </div>
      <ErrorBanner error={error} />
      {invites.length === 0 ? (
        <p className="muted">No open invite links.</p>
      ) : (
        <table className="table cards">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Made by</th>
              <th scope="col">Uses</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id} data-testid={`invite-row-${i.id}`}>
                <td data-label="For">
                  <RoleBadge role={i.role} /> of <TeamBadge team={i.team} />
                  {i.handoffId && <span className="muted"> · handoff</span>}
                </td>
                <td data-label="Made by">
                  {i.createdBy.displayName} <span className="muted">({i.createdBy.team.code})</span>
                </td>
                <td className="nowrap" data-label="Uses">
                  {i.uses} / {i.maxUses}
                </td>
                <td className="muted nowrap" data-label="Expires">
                  {new Date(i.expiresAt).toLocaleString()}
                </td>
                <td data-label="State">
                  <span className={`approval approval-${i.approval}`} data-testid="invite-state">
                    {STATE_TEXT[i.approval](i)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
