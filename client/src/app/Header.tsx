/** The top bar: product, where you are, connection state, who you are, logout. */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useSession } from '../lib/session.js';
import { getSocket } from '../lib/realtime.js';
import { ConnectionIndicator } from '../components/ConnectionIndicator.js';
import { TeamBadge } from '../components/badges.js';

export function Header() {
  const { account, logout } = useSession();
  // Connect once logged in, so the indicator tells the truth on every page.
  useEffect(() => {
    if (account) getSocket();
  }, [account]);
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">Skip to content</a>
      <Link to="/" className="brand" data-testid="home-link">
        <span className="brand-mark" aria-hidden>◆</span> Huntroom
      </Link>
      <div className="topbar-right">
        <ConnectionIndicator />
        {account && (
          <>
            <Link to="/tokens" className="top-link">Tokens</Link>
            <span className="whoami" data-testid="whoami">
              <TeamBadge team={account.team} /> {account.displayName}
            </span>
            <button className="btn small" onClick={() => void logout()} data-testid="logout">Log out</button>
          </>
        )}
      </div>
    </header>
  );
}
