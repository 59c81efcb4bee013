/** The networks in scope, with their hunting team, period and host counts by state; add and edit. */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { HOST_STATES, type HostState, type NetworkView } from '@huntroom/shared';
import { TeamBadge, TlpBadge } from '../../../components/badges.js';
import { useWorkspace } from '../../workspaces/context.js';
import { canWrite, STATE_STYLE, colorOf, useTeams, when } from '../common.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';
import { NetworkForm } from './NetworkForm.js';
import { plural } from '../../../lib/plural.js';

export function NetworksPage() {
  const ws = useWorkspace();
  const board = useHunt();
  const teams = useTeams();
  const [editing, setEditing] = useState<NetworkView | 'new'>();
  const [notice, setNotice] = useState<string>();
  const readOnly = !canWrite(ws.role);
  const allNetworks = useHuntList('network');
  const hosts = useHuntList('host');
  const networks = useMemo(() => [...allNetworks].sort((a, b) => a.name.localeCompare(b.name)), [allNetworks]);
  const counts = useMemo(() => {
    const byNet = new Map<string, Record<HostState, number>>();
    for (const h of hosts) {
      const c = byNet.get(h.networkId) ?? (Object.fromEntries(HOST_STATES.map((s) => [s, 0])) as Record<HostState, number>);
      c[h.state]++;
      byNet.set(h.networkId, c);
    }
    return byNet;
  }, [hosts]);

  return (
    <section className="hunt-page">
      <div className="page-head">
        <h1>Networks</h1>
        <span className="muted" data-testid="network-count">
          {networks.length} in scope
        </span>
        <span className="spacer" />
        {!readOnly && (
          <button className="btn primary" onClick={() => setEditing('new')} data-testid="network-add">
            Add network
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {editing && (
        <NetworkForm
          key={editing === 'new' ? 'new' : editing.id}
          network={editing === 'new' ? undefined : editing}
          defaultTlp={ws.defaultTlp}
          onDone={(m) => {
            setNotice(m);
            setEditing(undefined);
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {networks.length === 0 && <p className="empty-state">No network yet. Add the networks the partner put in scope.</p>}
      <ul className="network-list">
        {networks.map((n) => {
          const c = counts.get(n.id);
          const total = c ? Object.values(c).reduce((a, b) => a + b, 0) : 0;
          const hl = board.store.highlightOf(n.id);
          return (
            <li
              key={n.id}
              className="card network-card"
              data-testid={`network-${n.name}`}
              style={hl ? { boxShadow: `inset 4px 0 0 ${colorOf(teams.byId, hl.teamId)}` } : undefined}
            >
              <div className="network-head">
                <Link to={`n/${n.id}`} className="network-name">
                  {n.name}
                </Link>
                <TlpBadge level={n.tlp} />
                {n.huntingTeam && <TeamBadge team={teams.byId.get(n.huntingTeam.id) ?? { code: n.huntingTeam.code, name: n.huntingTeam.code, color: '#888' }} />}
                <span className="spacer" />
                {!readOnly && (
                  <button className="btn small" onClick={() => setEditing(n)} aria-label={`Edit ${n.name}`}>
                    Edit
                  </button>
                )}
              </div>
              <p className="muted small">
                {n.partner || 'Partner not named'}
                {(n.periodFrom || n.periodTo) && ` · ${when(n.periodFrom) || '…'} to ${when(n.periodTo) || '…'}`}
              </p>
              {n.rulesOfEngagement && <p className="small prewrap clamp">{n.rulesOfEngagement}</p>}
              <div className="state-bar" role="img" aria-label={`${total} hosts: ${HOST_STATES.map((s) => `${c?.[s] ?? 0} ${STATE_STYLE[s].label.toLowerCase()}`).join(', ')}`}>
                {total === 0 ? (
                  <span className="muted small">No host yet</span>
                ) : (
                  HOST_STATES.filter((s) => c![s] > 0).map((s) => (
                    <span key={s} style={{ flexGrow: c![s], background: STATE_STYLE[s].color }} title={`${c![s]} ${STATE_STYLE[s].label}`} />
                  ))
                )}
              </div>
              <p className="small">
                <Link to={`n/${n.id}`}>{plural(total, 'host')}</Link> · <Link to={`n/${n.id}/coverage`}>coverage</Link> · <Link to={`timeline?network=${n.id}`}>timeline</Link>
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
