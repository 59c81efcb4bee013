/**
 * In a workspace's members area, for its owners: share it with another instance (pick a link and the
 * highest role that instance may give its members) and the list of its shares. A workspace shared from
 * another instance says so: only its home offers it. A share offered or active can be withdrawn: the
 * other instance drops its replica and closes its users' views of it at once; it can be offered again.
 */
import { useState, type FormEvent } from 'react';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { ErrorBanner, fieldErrors } from '../../components/forms.js';
import { RoleBadge } from '../../components/badges.js';
import { when, type ShareView } from './types.js';
import './federation.css';

interface LinkChoice {
  name: string;
  teams: string[];
  state: 'active' | 'suspended';
  up: boolean;
}

const STATE_TEXT: Record<ShareView['state'], string> = { offered: 'waiting for their team admin', active: 'shared', withdrawn: 'withdrawn' };

export function WorkspaceShares({ workspaceId }: { workspaceId: string }) {
  const data = useAsync(() => get<{ shares: ShareView[]; links: LinkChoice[] }>(`/api/workspaces/${workspaceId}/federation/shares`), [workspaceId]);
  const shares = data.data?.shares ?? [];
  const links = data.data?.links ?? [];
  const replicaOf = shares.find((s) => s.home === 'peer' && s.state === 'active');
  // A withdrawn share is history: its link may be offered again.
  const free = links.filter((l) => !shares.some((s) => s.link === l.name && s.state !== 'withdrawn'));
  return (
    <section className="card" aria-labelledby="ws-shares-title" data-testid="workspace-shares">
      <h2 id="ws-shares-title">Other instances</h2>
      <ErrorBanner error={data.error} />
      {replicaOf ? (
        <p className="muted" data-testid="workspace-shared-from">
          This workspace is shared from {replicaOf.link}; only its home instance can share it further.
        </p>
      ) : (
        data.data &&
        (links.length === 0 ? (
          <p className="muted" data-testid="workspace-shares-no-links">
            This Huntroom has no links to other instances. The operator adds them (Admin, Federation).
          </p>
        ) : free.length > 0 ? (
          <ShareForm workspaceId={workspaceId} links={free} onShared={data.reload} />
        ) : (
          <p className="muted">Shared or offered over every link this Huntroom has.</p>
        ))
      )}
      {shares.length > 0 && (
        <table className="table cards" data-testid="workspace-shares-table">
          <thead>
            <tr>
              <th scope="col">Instance</th>
              <th scope="col">Teams</th>
              <th scope="col">Max role</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.offerId} data-testid={`share-row-${s.link}`}>
                <td data-label="Instance">{s.link}</td>
                <td data-label="Teams">{s.teams.join(', ')}</td>
                <td data-label="Max role">
                  <RoleBadge role={s.role} />
                </td>
                <td data-label="State" data-testid={`share-state-${s.link}`}>
                  {STATE_TEXT[s.state]}
                </td>
                <td className="muted nowrap" data-label="Since">
                  {when(s.acceptedAt ?? s.createdAt)}
                </td>
                <td data-label="">{s.state !== 'withdrawn' && <WithdrawButton workspaceId={workspaceId} share={s} onWithdrawn={data.reload} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ShareForm({ workspaceId, links, onShared }: { workspaceId: string; links: LinkChoice[]; onShared: () => void }) {
  const [link, setLink] = useState(links[0]?.name ?? '');
  const [role, setRole] = useState<'hunter' | 'observer'>('observer');
  const { run, error, busy } = useAction();
  const chosen = links.find((l) => l.name === link) ?? links[0];
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const question = `Share this workspace with ${chosen.name} (team ${chosen.teams.join(', ')})? Its team admins choose who joins, at most as ${role}s; everything in it that their teams may see is sent there.`;
    if (!window.confirm(question)) return;
    void run(async () => {
      await post(`/api/workspaces/${workspaceId}/federation/offers`, { link: chosen.name, role });
      onShared();
    });
  }
  const fields = fieldErrors(error);
  return (
    <form className="form inline-form" onSubmit={submit} aria-labelledby="ws-share-title" data-testid="workspace-share-form">
      <h3 id="ws-share-title">Share with another instance</h3>
      <ErrorBanner error={error} />
      <div className="row">
        <div className="field">
          <label htmlFor="ws-share-link">Instance</label>
          <select id="ws-share-link" value={chosen?.name ?? ''} onChange={(e) => setLink(e.target.value)} aria-invalid={!!fields.link} data-testid="workspace-share-link">
            {links.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} (team {l.teams.join(', ')}){l.state === 'suspended' ? ', suspended' : l.up ? '' : ', not connected now'}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ws-share-role">Highest role of their members</label>
          <select id="ws-share-role" value={role} onChange={(e) => setRole(e.target.value as 'hunter' | 'observer')} data-testid="workspace-share-role">
            <option value="observer">observer (reads)</option>
            <option value="hunter">hunter (reads and adds)</option>
          </select>
        </div>
        <button className="btn primary" type="submit" disabled={busy || !chosen} data-testid="workspace-share-submit">
          {busy ? 'Offering…' : 'Offer'}
        </button>
      </div>
    </form>
  );
}

function WithdrawButton({ workspaceId, share, onWithdrawn }: { workspaceId: string; share: ShareView; onWithdrawn: () => void }) {
  const { run, error, busy } = useAction();
  function withdraw() {
    const question =
      share.home === 'here'
        ? `Stop sharing this workspace with ${share.link}? Its copy there is deleted and its members there lose it at once; what its users made here is removed from this workspace.`
        : `Stop taking part in this workspace from ${share.link}? Its copy here is deleted and everyone here loses it at once.`;
    if (!window.confirm(question)) return;
    void run(async () => {
      await post(`/api/workspaces/${workspaceId}/federation/withdraw`, { link: share.link });
      onWithdrawn();
    });
  }
  return (
    <>
      <ErrorBanner error={error} />
      <button className="btn danger small" type="button" onClick={withdraw} disabled={busy} data-testid={`share-withdraw-${share.link}`}>
        {busy ? 'Withdrawing…' : 'Withdraw'}
      </button>
    </>
  );
}
