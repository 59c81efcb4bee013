/**
 * The menu button and its drawer (narrow screens only; see navMenu.tsx). The drawer is a labelled
 * navigation region: the workspace's areas first, then the main links and the account.
 */
import { useEffect, useRef } from 'react';
import { NavLink } from 'react-router';
import type { Account } from '@huntroom/shared';
import { TeamBadge } from '../components/badges.js';
import { useMenu, type MenuLink } from './navMenu.js';

export function MenuButton() {
  const { open, setOpen } = useMenu();
  return (
    <button type="button" className="btn small menu-button" aria-expanded={open} aria-controls="app-menu" onClick={() => setOpen(!open)} data-testid="menu-button">
      <span aria-hidden>{open ? '✕' : '☰'}</span> Menu
    </button>
  );
}

function Links({ links }: { links: MenuLink[] }) {
  return (
    <ul className="menu-links">
      {links.map((l) => (
        <li key={l.to}>
          <NavLink to={l.to} end={l.end} className="side-link" data-testid={l.testId}>
            {l.icon && (
              <span className="side-icon" aria-hidden>
                {l.icon}
              </span>
            )}
            {l.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function MenuDrawer({ account, main, onLogout }: { account: Account; main: MenuLink[]; onLogout: () => void }) {
  const { open, setOpen, section } = useMenu();
  const drawer = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    // Focus goes into the drawer, on the current page's link when there is one.
    const first = drawer.current?.querySelector<HTMLElement>('a.active') ?? drawer.current?.querySelector<HTMLElement>('a, button');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      document.querySelector<HTMLElement>('[data-testid="menu-button"]')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, setOpen]);

  if (!open) return null;
  return (
    <>
      <div className="menu-backdrop" onClick={() => setOpen(false)} aria-hidden data-testid="menu-backdrop" />
      <nav id="app-menu" className="menu-drawer" aria-label="Menu" ref={drawer} data-testid="menu-drawer">
        {section && (
          <section aria-label={section.title}>
            <h2 className="menu-title">{section.title}</h2>
            <Links links={section.links} />
          </section>
        )}
        <section aria-label="Huntroom">
          <h2 className="menu-title">Huntroom</h2>
          <Links links={main} />
        </section>
        <div className="menu-account">
          <span className="whoami-menu" data-testid="menu-whoami">
            <TeamBadge team={account.team} /> {account.displayName}
          </span>
          <button type="button" className="btn small" onClick={onLogout} data-testid="menu-logout">
            Log out
          </button>
        </div>
      </nav>
    </>
  );
}
