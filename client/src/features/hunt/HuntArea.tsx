/**
 * /w/:workspaceId/hunt: the hunt operation. One record-plane store for every screen below, so moving
 * from the networks to a network's hosts or to the timeline keeps the live copy and its outbox.
 *   /hunt               networks in scope
 *   /hunt/n/:networkId  a network: hosts (table, detail with findings) and coverage
 *   /hunt/timeline      the timeline across networks and teams
 */
import { NavLink, Route, Routes } from 'react-router';
import { useAccount } from '../../lib/session.js';
import { useWorkspace } from '../workspaces/context.js';
import { HuntContext, useHuntBoard } from './useHuntBoard.js';
import { NetworksPage } from './networks/NetworksPage.js';
import { NetworkPage } from './hosts/NetworkPage.js';
import { TimelinePage } from './timeline/TimelinePage.js';
import './hunt.css';

export function HuntArea() {
  const ws = useWorkspace();
  const account = useAccount();
  const board = useHuntBoard(ws.id, account);
  return (
    <HuntContext.Provider value={board}>
      <div className="hunt-area">
        <nav className="hunt-tabs" aria-label="Hunt operation">
          <NavLink to={`/w/${ws.id}/hunt`} end data-testid="hunt-nav-networks">
            Networks
          </NavLink>
          <NavLink to={`/w/${ws.id}/hunt/timeline`} data-testid="hunt-nav-timeline">
            Timeline
          </NavLink>
          {board.pending > 0 && <span className="waiting-badge">{board.pending} waiting to send</span>}
        </nav>
        <Routes>
          <Route index element={<NetworksPage />} />
          <Route path="n/:networkId/*" element={<NetworkPage />} />
          <Route path="timeline" element={<TimelinePage />} />
        </Routes>
      </div>
    </HuntContext.Provider>
  );
}
