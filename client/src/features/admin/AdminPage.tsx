/**
 * Admin: what the caller may do beyond workspaces. A team's admins decide invite requests into their
 * team and create its accounts; the operator's accounts (site admins) also manage teams, their admins
 * and who may create workspaces. Anyone else is told there is nothing here for them.
 */
import { useSession } from '../../lib/session.js';
import { useTitle } from '../../lib/useTitle.js';
import { useAsync } from '../../lib/useAsync.js';
import { get } from '../../lib/api.js';
import type { Team } from '@huntroom/shared';
import { InviteRequests } from './InviteRequests.js';
import { TeamAccounts } from './TeamAccounts.js';
import { SiteAdmin } from './SiteAdmin.js';
import { Link } from 'react-router';
import { FederationOffers } from '../federation/FederationOffers.js';

export function AdminPage() {
  const { authority } = useSession();
  useTitle('Admin');
  const allTeams = useAsync(
    () => (authority.siteAdmin ? get<{ teams: Team[] }>('/api/teams').then((r) => r.teams.map((t) => t.code)) : Promise.resolve([])),
    [authority.siteAdmin],
  );
  const isAdmin = authority.siteAdmin || authority.adminOf.length > 0;
  const teams = authority.siteAdmin ? (allTeams.data ?? []) : authority.adminOf;
  return (
    <main className="page narrow stack" id="main" data-testid="admin-page">
      <div>
        <h1>Admin</h1>
        <p className="muted">
          {authority.siteAdmin
            ? 'You are a site admin: you manage teams, their admins and who may create workspaces, and act as admin of every team.'
            : isAdmin
              ? `You are an admin of team ${authority.adminOf.join(', ')}: only you (and the operator) decide who gets an account there.`
              : 'You administer no team. Team admins are named by the operator of this Huntroom.'}
        </p>
      </div>
      {authority.siteAdmin && (
        <p className="card" data-testid="admin-federation-link">
          <Link to="/admin/federation">Federation</Link>: this instance&apos;s identity and its links to other Huntroom instances.
        </p>
      )}
      {isAdmin && <InviteRequests />}
      {isAdmin && <FederationOffers />}
      {isAdmin && teams.length > 0 && <TeamAccounts key={teams.join(',')} teams={teams} />}
      {authority.siteAdmin && <SiteAdmin />}
    </main>
  );
}
