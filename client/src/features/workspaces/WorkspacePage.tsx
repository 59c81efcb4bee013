/**
 * A workspace: sidebar of areas and the open area. Joins the workspace's socket.io room so panels get
 * live events, and leaves the page with a message if the caller loses access.
 */
import { Suspense, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import type { Workspace } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { RoleBadge, TlpBadge } from '../../components/badges.js';
import { AREAS } from './areas.js';
import { WorkspaceContext } from './context.js';
import { useTitle } from '../../lib/useTitle.js';
import { useAccount } from '../../lib/session.js';
import { HandoffBar } from '../handoff/HandoffBar.js';
import { useMenuSection } from '../../app/navMenu.js';

export function WorkspacePage() {
  const { workspaceId = '' } = useParams();
  const navigate = useNavigate();
  // The open area (`notes`, `attack`...), for its width on a wide screen (styles.css, .ws-main[data-area]).
  const area = useLocation().pathname.split('/')[3] || 'overview';
  const ws = useAsync(() => get<Workspace>(`/api/workspaces/${workspaceId}`), [workspaceId]);
  const [joinError, setJoinError] = useState<string>();
  const account = useAccount();
  useTitle(ws.data?.name);
  const areas = AREAS.filter((a) => !a.ownersOnly || ws.data?.role === 'owner');
  const areaPath = (path: string) => (path ? `/w/${workspaceId}/${path}` : `/w/${workspaceId}`);
  // On a narrow screen the sidebar folds away and its areas appear first in the menu drawer.
  useMenuSection(
    ws.data && {
      title: ws.data.name,
      links: areas.map((a) => ({ to: areaPath(a.path), label: a.label, icon: a.icon, end: !a.path, testId: `menu-nav-${a.path || 'overview'}` })),
    },
  );

  useEffect(() => {
    const socket = getSocket();
    const join = () => socket.emit('workspace:join', { workspaceId }, (ack) => setJoinError(ack.ok ? undefined : ack.error.message));
    if (socket.connected) join();
    socket.on('connect', join);
    const revoked = (e: { workspaceId: string }) => {
      if (e.workspaceId === workspaceId) navigate('/', { state: { notice: 'You no longer have access to that workspace.' } });
    };
    socket.on('workspace:revoked', revoked);
    return () => {
      socket.off('connect', join);
      socket.off('workspace:revoked', revoked);
      socket.emit('workspace:leave', { workspaceId }, () => undefined);
    };
  }, [workspaceId, navigate]);

  if (ws.error) {
    return (
      <main className="page" id="main">
        <ErrorBanner error={ws.error} />
        <Link to="/">Back to your workspaces</Link>
      </main>
    );
  }
  if (!ws.data)
    return (
      <main className="page" id="main">
        <p className="muted">Loading workspace…</p>
      </main>
    );
  const workspace = ws.data;

  return (
    <WorkspaceContext.Provider value={workspace}>
      <div className="ws-layout">
        <nav className="sidebar" aria-label="Workspace areas">
          <div className="sidebar-head">
            <div className="sidebar-title" title={workspace.name}>
              {workspace.name}
            </div>
            <div className="sidebar-meta">
              <RoleBadge role={workspace.role} /> <TlpBadge level={workspace.defaultTlp} />
            </div>
          </div>
          {areas.map((a) => (
            <NavLink key={a.path} to={areaPath(a.path)} end={!a.path} className="side-link" data-testid={`nav-${a.path || 'overview'}`}>
              <span className="side-icon" aria-hidden>
                {a.icon}
              </span>
              {a.label}
            </NavLink>
          ))}
        </nav>
        <main className="ws-main" id="main" data-area={area}>
          <div className="ws-crumb" data-testid="ws-crumb">
            <span className="ws-crumb-name">{workspace.name}</span> <RoleBadge role={workspace.role} /> <TlpBadge level={workspace.defaultTlp} />
          </div>
          {joinError && <ErrorBanner error={new Error(`Live updates unavailable: ${joinError}`)} />}
          <HandoffBar workspaceId={workspaceId} account={account} />
          <Suspense
            fallback={
              <p className="muted" role="status">
                Loading…
              </p>
            }
          >
            <Outlet />
          </Suspense>
        </main>
      </div>
    </WorkspaceContext.Provider>
  );
}
