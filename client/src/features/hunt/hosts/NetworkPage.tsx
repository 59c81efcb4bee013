/** One network: its hosts (table with a detail panel) and its coverage, as two tabs. */
import { useMemo } from 'react';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { TeamBadge, TlpBadge } from '../../../components/badges.js';
import { useWorkspace } from '../../workspaces/context.js';
import { useTeams } from '../common.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';
import { HostsTab } from './HostsTab.js';
import { CoverageGrid } from '../coverage/CoverageGrid.js';

export function NetworkPage() {
  const { networkId = '' } = useParams();
  const ws = useWorkspace();
  const board = useHunt();
  const teams = useTeams();
  const network = board.store.items.network.get(networkId);
  const allHosts = useHuntList('host');
  const hosts = useMemo(() => allHosts.filter((h) => h.networkId === networkId), [allHosts, networkId]);

  if (!network)
    return (
      <section className="hunt-page">
        <p className="muted" role="status">
          {board.version === 0 ? 'Loading…' : 'No such network, or it is not releasable to your team.'} <Link to={`/w/${ws.id}/hunt`}>All networks</Link>
        </p>
      </section>
    );
  const base = `/w/${ws.id}/hunt/n/${networkId}`;
  return (
    <section className="hunt-page">
      <div className="page-head">
        <h1 data-testid="network-title">{network.name}</h1>
        <TlpBadge level={network.tlp} />
        {network.huntingTeam && <TeamBadge team={teams.byId.get(network.huntingTeam.id) ?? { code: network.huntingTeam.code, name: network.huntingTeam.code, color: '#888' }} />}
        <span className="muted small">{network.partner}</span>
      </div>
      <nav className="hunt-subtabs" aria-label={`${network.name} views`}>
        <NavLink to={base} end data-testid="tab-hosts">
          Hosts ({hosts.length})
        </NavLink>
        <NavLink to={`${base}/coverage`} data-testid="tab-coverage">
          Coverage
        </NavLink>
        <Link to={`/w/${ws.id}/hunt/timeline?network=${networkId}`}>Timeline</Link>
      </nav>
      <Routes>
        <Route index element={<HostsTab network={network} hosts={hosts} />} />
        <Route path="coverage" element={<CoverageGrid hosts={hosts} />} />
      </Routes>
    </section>
  );
}
