/**
 * The top bar: product, connection state, where to go, who you are, logout. The connection pill is
 * on every page of a logged-in user (logged out there is no live connection to speak of). On a narrow
 * screen the links and the account fold into the menu drawer (MenuDrawer.tsx).
 */
import { useEffect } from 'react';
import { Link, NavLink } from 'react-router';
import { useSession } from '../lib/session.js';
import { getSocket } from '../lib/realtime.js';
import { ConnectionIndicator, ConnectionNotice } from '../components/ConnectionIndicator.js';
import { TeamBadge } from '../components/badges.js';
import { MenuButton, MenuDrawer } from './MenuDrawer.js';
import type { MenuLink } from './navMenu.js';

export function Header() {
  const { account, authority, logout } = useSession();
  const isAdmin = authority.siteAdmin || authority.adminOf.length > 0;
  // Connect once logged in, so the indicator tells the truth on every page.
  useEffect(() => {
    if (account) getSocket();
  }, [account]);
  const links: MenuLink[] = [
    { to: '/', label: 'Workspaces', end: true, testId: 'nav-workspaces' },
    { to: '/tokens', label: 'Access tokens', testId: 'nav-tokens' },
    ...(isAdmin ? [{ to: '/admin', label: 'Admin', testId: 'nav-admin' }] : []),
  ];
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
              {links.map((l) => (
                <NavLink key={l.to} to={l.to} end={l.end} className="top-link" data-testid={l.testId}>
                  {l.label}
                </NavLink>
              ))}
            </nav>
            <span className="whoami" data-testid="whoami" title={`${account.username}, ${account.team.name}`}>
              <TeamBadge team={account.team} /> {account.displayName}
            </span>
            <button className="btn small logout" onClick={() => void logout()} data-testid="logout">
              Log out
            </button>
            <MenuButton />
          </div>
        )}
      </header>
      {account && <MenuDrawer account={account} main={links.map((l) => ({ ...l, testId: `menu-${l.testId}` }))} onLogout={() => void logout()} />}
      {account && <ConnectionNotice />}
    </>
  );
}
