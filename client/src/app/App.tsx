/** Routes: the invite page is public; everything else sits behind the login gate. */
import { BrowserRouter, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from '../lib/session.js';
import { Header } from './Header.js';
import { LoginPage } from '../features/auth/LoginPage.js';
import { WorkspaceListPage } from '../features/workspaces/WorkspaceListPage.js';
import { WorkspacePage } from '../features/workspaces/WorkspacePage.js';
import { AREAS } from '../features/workspaces/areas.js';
import { InvitePage } from '../features/invites/InvitePage.js';
import { TokensPage } from '../features/tokens/TokensPage.js';
import { AdminPage } from '../features/admin/AdminPage.js';
import { FederationPage } from '../features/federation/FederationPage.js';
import { MenuProvider } from './navMenu.js';

function Gate() {
  const { account, loading } = useSession();
  if (loading)
    return (
      <main className="page" id="main">
        <p className="muted">Loading…</p>
      </main>
    );
  if (!account) return <LoginPage />;
  return (
    <Routes>
      <Route path="/" element={<WorkspaceListPage />} />
      <Route path="/tokens" element={<TokensPage />} />
      <Route path="/admin" element={<AdminPage />} />
      <Route path="/admin/federation" element={<FederationPage />} />
      <Route path="/w/:workspaceId" element={<WorkspacePage />}>
        {AREAS.map((a) => (a.path ? <Route key={a.path} path={`${a.path}/*`} element={a.element} /> : <Route key="index" index element={a.element} />))}
      </Route>
      <Route
        path="*"
        element={
          <main className="page" id="main">
            <h1>Not found</h1>
          </main>
        }
      />
    </Routes>
  );
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <MenuProvider>
          <Header />
          <Routes>
            <Route path="/invite/:token" element={<InvitePage />} />
            <Route path="*" element={<Gate />} />
          </Routes>
        </MenuProvider>
      </BrowserRouter>
    </SessionProvider>
  );
}
