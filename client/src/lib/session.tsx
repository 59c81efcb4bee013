/**
 * Who is logged in: loaded from GET /api/me at start, set by login and invite acceptance, cleared by
 * logout. Keeps the CSRF token in the API client in step with the session.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Account, Authority, MeResponse } from '@huntroom/shared';
import { ApiError, get, post, setCsrfToken, setSessionLostHandler } from './api.js';
import { closeSocket } from './realtime.js';
import { clearOfflineCaches } from '../sw/register.js';

const NO_AUTHORITY: Authority = { siteAdmin: false, adminOf: [], mayCreateWorkspaces: false };

interface SessionValue {
  account: Account | null;
  /** Site admin, teams administered, may create workspaces: which admin screens to show. */
  authority: Authority;
  loading: boolean;
  /** Why the login form is showing when the user did not log out (the session expired). */
  loggedOutReason: string | undefined;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** After an invite created the account and the server set the cookie. */
  adopt: (me: MeResponse) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * Whether this browser may hold a session: set on login, cleared on logout and on a 401. The session
 * cookie is httpOnly, so the page cannot see it; without this hint every fresh visit asked /api/me,
 * and the browser logs its 401 as a console error on every login page. With the hint absent the login
 * form shows at once; a browser that lost the hint but kept the cookie logs in again, no harm done.
 */
const HINT_KEY = 'huntroom:may-have-session';
const sessionHint = {
  get(): boolean {
    try {
      return localStorage.getItem(HINT_KEY) === '1';
    } catch {
      return true; // storage refused (private mode): ask the server, as before
    }
  },
  set(present: boolean): void {
    try {
      if (present) localStorage.setItem(HINT_KEY, '1');
      else localStorage.removeItem(HINT_KEY);
    } catch {
      /* storage refused: the next visit asks the server */
    }
  },
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [authority, setAuthority] = useState<Authority>(NO_AUTHORITY);
  const [loading, setLoading] = useState(true);
  const [loggedOutReason, setLoggedOutReason] = useState<string>();

  const adopt = useCallback((me: MeResponse) => {
    setCsrfToken(me.csrfToken);
    setAccount(me.account);
    sessionHint.set(true);
    // An invite's answer carries no authority: a new account has none until an operator gives it.
    setAuthority(me.authority ?? NO_AUTHORITY);
    setLoggedOutReason(undefined);
  }, []);

  // A 401 mid-session (expired, logged out in another tab, revoked): back to the login form, on the
  // same URL, so logging in again lands where the user was.
  useEffect(() => {
    setSessionLostHandler(() => {
      closeSocket();
      void clearOfflineCaches();
      setCsrfToken(null);
      setAccount(null);
      sessionHint.set(false);
      // Only pages of a logged-in user make the calls that report this, so the message is true.
      setLoggedOutReason('Your session has ended. Log in again to continue.');
    });
    return () => setSessionLostHandler(undefined);
  }, []);

  useEffect(() => {
    if (!sessionHint.get()) {
      setLoading(false);
      return;
    }
    const load = () =>
      get<MeResponse>('/api/me')
        .then(adopt)
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) sessionHint.set(false);
          // Opened offline (the service worker's shell): say so, and load the session when the network is back.
          else if (err instanceof ApiError && err.code === 'network') {
            setLoggedOutReason('You are offline. Your session opens as soon as the network is back.');
            window.addEventListener('online', () => void load(), { once: true });
          } else console.warn('could not load the session', err);
        })
        .finally(() => setLoading(false));
    void load();
  }, [adopt]);

  const login = useCallback(async (username: string, password: string) => adopt(await post<MeResponse>('/api/auth/login', { username, password })), [adopt]);

  const logout = useCallback(async () => {
    try {
      await post('/api/auth/logout');
    } finally {
      closeSocket();
      void clearOfflineCaches();
      setCsrfToken(null);
      setAccount(null);
      sessionHint.set(false);
      setLoggedOutReason(undefined);
    }
  }, []);

  const value = useMemo(() => ({ account, authority, loading, loggedOutReason, login, logout, adopt }), [account, authority, loading, loggedOutReason, login, logout, adopt]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The logged-in account; only for components rendered behind the login gate. */
export function useAccount(): Account {
  const { account } = useSession();
  if (!account) throw new Error('useAccount without a session');
  return account;
}
