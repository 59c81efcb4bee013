/**
 * The top bar: product, connection state, where to go, who you are, logout. The connection pill is
 * on every page of a logged-in user (logged out there is no live connection to speak of).
 */
import { useEffect } from 'react';
import { Link, NavLink } from 'react-router';
import { useSession } from '../lib/session.js';
import { getSocket } from '../lib/realtime.js';
import { ConnectionIndicator, ConnectionNotice } from '../components/ConnectionIndicator.js';
import { TeamBadge } from '../components/badges.js';

export function Header() {
  const { account, authority, logout } = useSession();
  const isAdmin = authority.siteAdmin || authority.adminOf.length > 0;
  // Connect once logged in, so the indicator tells the truth on every page.
  useEffect(() => {
    if (account) getSocket();
  }, [account]);
  return (
    <>
      <header className="topbar">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Link to="/" className="brand" data-testid="home-link">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>{' '}
          Huntroom
        </Link>
        {account && (
          <div className="topbar-right">
            <ConnectionIndicator />
            <nav className="top-nav" aria-label="Main">
              <NavLink to="/" end className="top-link" data-testid="nav-workspaces">
                Workspaces
              </NavLink>
              <NavLink to="/tokens" className="top-link" data-testid="nav-tokens">
                Access tokens
              </NavLink>
              {isAdmin && (
                <NavLink to="/admin" className="top-link" data-testid="nav-admin">
                  Admin
                </NavLink>
              )}
            </nav>
            <span className="whoami" data-testid="whoami" title={`${account.username}, ${account.team.name}`}>
              <TeamBadge team={account.team} /> {account.displayName}
            </span>
            <button className="btn small" onClick={() => void logout()} data-testid="logout">
              Log out
            </button>
          </div>
        )}
      </header>
      {account && <ConnectionNotice />}
    </>
  );
}
