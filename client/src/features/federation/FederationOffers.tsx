/**
 * For a team's admins: workspaces another instance offers to their team. Accept makes the workspace
 * here, with the members chosen (by default every account of the team), at most at the offer's role.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { ErrorBanner } from '../../components/forms.js';
import { RoleBadge } from '../../components/badges.js';
import { when, type OfferView, type ShareView } from './types.js';
import './federation.css';

export function FederationOffers() {
  const offers = useAsync(() => get<{ offers: OfferView[] }>('/api/federation/offers').then((r) => r.offers), []);
  const [accepted, setAccepted] = useState<ShareView>();
  const list = offers.data ?? [];
  return (
    <section className="card" aria-labelledby="fed-offers-title" data-testid="federation-offers">
      <div className="page-head">
        <h2 id="fed-offers-title">Workspaces offered by other instances</h2>
        <span className="muted">{list.length === 1 ? '1 waiting' : `${list.length} waiting`}</span>
      </div>
      <p className="muted">Accepting makes the workspace here for the members you choose; what they add is shared with the other instance.</p>
      <ErrorBanner error={offers.error} />
      {accepted && (
        <p role="status" className="notice-banner" data-testid="offer-accepted">
          {accepted.workspaceName} is now shared with {accepted.link}. <Link to={`/w/${accepted.workspaceId}`}>Open it</Link>
        </p>
      )}
      {list.length === 0 && !offers.loading && (
        <p className="muted" data-testid="federation-offers-empty">
          No offers wait for your team.
        </p>
      )}
      {list.map((o) => (
        <Offer
          key={o.offerId}
          offer={o}
          onAccepted={(s) => {
            setAccepted(s);
            offers.reload();
          }}
        />
      ))}
    </section>
  );
}

function Offer({ offer: o, onAccepted }: { offer: OfferView; onAccepted: (s: ShareView) => void }) {
  const [chosen, setChosen] = useState<string[]>(() => o.candidates.map((c) => c.username));
  const { run, error, busy } = useAction();
  const toggle = (username: string, on: boolean) => setChosen((now) => (on ? [...now, username] : now.filter((u) => u !== username)));
  function accept() {
    const question = `Accept ${o.workspaceName} from ${o.link}? ${chosen.join(', ')} become its members here (at most ${o.role}), and what they add is sent to ${o.link}.`;
    if (!window.confirm(question)) return;
    void run(async () => onAccepted(await post<ShareView>(`/api/federation/offers/${encodeURIComponent(o.offerId)}/accept`, { members: chosen })));
  }
  return (
    <fieldset className="plain fed-offer" data-testid={`offer-${o.offerId}`}>
      <legend className="sr-only">Offer of {o.workspaceName}</legend>
      <h3>
        {o.workspaceName} <span className="muted small">from {o.link}</span>
      </h3>
      <p className="muted small">
        For team {o.teams.join(', ')} · members at most <RoleBadge role={o.role} /> · offered {when(o.createdAt)}
      </p>
      <ErrorBanner error={error} />
      <div className="member-picks" role="group" aria-label={`Members of ${o.workspaceName}`}>
        {o.candidates.map((c) => (
          <label key={c.username} className="toggle">
            <input type="checkbox" checked={chosen.includes(c.username)} onChange={(e) => toggle(c.username, e.target.checked)} data-testid={`offer-member-${c.username}`} />
            {c.displayName} <span className="muted">@{c.username}</span>
          </label>
        ))}
      </div>
      <button className="btn primary" disabled={busy || chosen.length === 0} onClick={accept} data-testid={`offer-accept-${o.offerId}`}>
        {busy ? 'Accepting…' : chosen.length === 0 ? 'Choose at least one member' : `Accept for ${chosen.length === 1 ? '1 member' : `${chosen.length} members`}`}
      </button>
    </fieldset>
  );
}
