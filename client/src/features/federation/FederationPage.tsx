/**
 * Admin > Federation, for the operator's accounts (site admins): this instance's identity (what the
 * other operator installs; its key can be rotated), the links to other instances with their state and last error, a form to add
 * one, and suspend, resume, rotate key and remove, each confirmed. The same acts as `npm run cli --
 * federation ...`, refused with the same sentences.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { del, get, post } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { useTitle } from '../../lib/useTitle.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { BoundField, ErrorBanner, fieldErrors, useFormValues } from '../../components/forms.js';
import { CopyField } from '../../components/CopyField.js';
import { when, type Identity, type LinkView } from './types.js';
import './federation.css';

/** Links come up and drop on their own: the table is read again this often while the page is open. */
const REFRESH_MS = 3_000;

export function FederationPage() {
  const { authority } = useSession();
  useTitle('Federation');
  return (
    <main className="page narrow stack" id="main" data-testid="federation-page">
      <div>
        <p className="muted small">
          <Link to="/admin">Admin</Link> / Federation
        </p>
        <h1>Federation</h1>
        <p className="muted">
          Links to other Huntroom instances. A link works once both operators have added it; then workspace owners here can share a workspace with the other instance&apos;s teams,
          and its team admins accept.
        </p>
      </div>
      {authority.siteAdmin ? (
        <>
          <IdentityCard />
          <Links />
        </>
      ) : (
        <p className="card" data-testid="federation-not-admin">
          Only the operator of this Huntroom (a site admin) manages links to other instances.
        </p>
      )}
    </main>
  );
}

function IdentityCard() {
  const identity = useAsync(() => get<{ identity: Identity | null }>('/api/federation/identity').then((r) => r.identity), []);
  const i = identity.data;
  const { run, error, busy } = useAction();
  const [rotated, setRotated] = useState(false);

  function rotate() {
    const question =
      'Give this instance a new key pair? Do this when its key may have been exposed. Every link stops at once and stays down until each other operator installs the new public key (they rotate their link to this instance).';
    if (!window.confirm(question)) return;
    void run(async () => {
      const r = await post<{ identity: Identity }>('/api/federation/identity/rotate');
      identity.setData(() => r.identity);
      setRotated(true);
    });
  }

  return (
    <section className="card" aria-labelledby="fed-identity-title" data-testid="federation-identity">
      <h2 id="fed-identity-title">This instance</h2>
      <ErrorBanner error={identity.error} />
      {identity.data === null && (
        <p className="muted">
          This instance has no federation identity yet. The operator makes it once with <code>npm run cli -- federation identity --name &lt;name&gt;</code>.
        </p>
      )}
      {i && (
        <>
          <p>
            Name <strong data-testid="federation-identity-name">{i.name}</strong> at <span className="fed-key">{i.url}</span>
          </p>
          <p className="muted small">Give the other operator this name, URL and public key; they add a link to this instance with them.</p>
          <CopyField value={i.publicKey} label="This instance's public key" testId="federation-identity-key" />
          <ErrorBanner error={error} />
          {rotated && (
            <p className="notice-banner" role="status" data-testid="federation-identity-rotated">
              New key made. Every link is down until its operator installs this key (Rotate key on their link to {i.name}).
            </p>
          )}
          <p>
            <button className="btn small danger" disabled={busy} onClick={rotate} data-testid="federation-identity-rotate">
              Rotate this instance&apos;s key
            </button>
          </p>
        </>
      )}
    </section>
  );
}

function LinkStateText({ link }: { link: LinkView }) {
  if (link.state === 'suspended') return <span className="link-state suspended">Suspended</span>;
  if (link.up) return <span className="link-state up">Up</span>;
  return <span className="link-state down">{link.lastConnectedAt ? 'Down, retrying' : 'Waiting for the other side'}</span>;
}

function Links() {
  const links = useAsync(() => get<{ links: LinkView[] }>('/api/federation/links').then((r) => r.links), []);
  const { reload } = links;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const { run, error, busy } = useAction();
  const [rotating, setRotating] = useState<string>();

  function act(link: LinkView, action: 'suspend' | 'resume' | 'remove') {
    const question = {
      suspend: `Suspend the link to ${link.name}? Nothing crosses it until it is resumed; shared workspaces stop updating.`,
      resume: `Resume the link to ${link.name}?`,
      remove: `Remove the link to ${link.name}? It stops at once, and adding it again needs its key.`,
    }[action];
    if (!window.confirm(question)) return;
    void run(async () => {
      if (action === 'remove') await del(`/api/federation/links/${encodeURIComponent(link.name)}`);
      else await post(`/api/federation/links/${encodeURIComponent(link.name)}/${action}`);
      reload();
    });
  }

  const list = links.data ?? [];
  return (
    <>
      <section className="card" aria-labelledby="fed-links-title" data-testid="federation-links">
        <div className="page-head">
          <h2 id="fed-links-title">Links</h2>
          <span className="muted">{list.length === 1 ? '1 link' : `${list.length} links`}</span>
        </div>
        <ErrorBanner error={error ?? links.error} />
        {list.length === 0 && !links.loading && <p className="muted">No links yet. Add one below with what the other operator gave you.</p>}
        {list.length > 0 && (
          <table className="table cards">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Teams</th>
                <th scope="col">State</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((l) => (
                <tr key={l.name} data-testid={`link-row-${l.name}`}>
                  <td data-label="Instance">
                    <strong>{l.name}</strong>
                    <div className="muted small fed-key">{l.url}</div>
                  </td>
                  <td data-label="Teams">{l.teams.join(', ')}</td>
                  <td data-label="State" data-testid={`link-state-${l.name}`}>
                    <LinkStateText link={l} />
                  </td>
                  <td data-label="Last seen">
                    {l.lastConnectedAt ? <span className="muted small">connected {when(l.lastConnectedAt)}</span> : <span className="muted small">never connected</span>}
                    {l.lastError && (
                      <div className="link-error" data-testid={`link-error-${l.name}`}>
                        Last error: {l.lastError}
                      </div>
                    )}
                  </td>
                  <td className="fed-actions">
                    {l.state === 'active' ? (
                      <button className="btn small" disabled={busy} onClick={() => act(l, 'suspend')} data-testid={`link-suspend-${l.name}`}>
                        Suspend
                      </button>
                    ) : (
                      <button className="btn small" disabled={busy} onClick={() => act(l, 'resume')} data-testid={`link-resume-${l.name}`}>
                        Resume
                      </button>
                    )}
                    <button
                      className="btn small"
                      disabled={busy}
                      aria-expanded={rotating === l.name}
                      onClick={() => setRotating(rotating === l.name ? undefined : l.name)}
                      data-testid={`link-rotate-${l.name}`}
                    >
                      Rotate key
                    </button>
                    <button className="btn small danger" disabled={busy} onClick={() => act(l, 'remove')} data-testid={`link-remove-${l.name}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rotating && <RotateForm key={rotating} name={rotating} onDone={() => (setRotating(undefined), reload())} onCancel={() => setRotating(undefined)} />}
      </section>
      <AddLinkForm onAdded={reload} />
    </>
  );
}

function RotateForm({ name, onDone, onCancel }: { name: string; onDone: () => void; onCancel: () => void }) {
  const form = useFormValues({ key: '' });
  const key = form.values.key;
  const { run, error, busy } = useAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!window.confirm(`Install this new key for ${name}? Its old key stops working at once.`)) return;
    void run(async () => {
      await post(`/api/federation/links/${encodeURIComponent(name)}/rotate`, { key: key.trim() });
      onDone();
    });
  }
  return (
    <form className="form inline-form" onSubmit={submit} aria-label={`New key of ${name}`} data-testid="link-rotate-form">
      <h3>New key of {name}</h3>
      <p className="muted small">After {name}&apos;s operator made a new identity key, install the key they give you here.</p>
      <ErrorBanner error={error} />
      <div className="row">
        <BoundField
          state={form}
          field="key"
          errors={fieldErrors(error)}
          label="New public key"
          name="rotate-key"
          placeholder="ed25519:…"
          autoFocus
          required
          testId="link-rotate-key"
        />
        <button className="btn primary" type="submit" disabled={busy || !key.trim()} data-testid="link-rotate-submit">
          Install key
        </button>
        <button className="btn" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddLinkForm({ onAdded }: { onAdded: () => void }) {
  const form = useFormValues({ name: '', url: '', teams: '', key: '' });
  const [added, setAdded] = useState<string>();
  const { run, error, busy } = useAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    setAdded(undefined);
    const { name, url, teams, key } = form.values;
    void run(async () => {
      const link = await post<LinkView>('/api/federation/links', { name: name.trim(), url: url.trim(), teams: teams.trim(), key: key.trim() });
      setAdded(link.name);
      form.reset();
      onAdded();
    });
  }
  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="fed-add-title" data-testid="link-add-form">
      <h2 id="fed-add-title">Add a link</h2>
      <p className="muted">What the other instance&apos;s operator gave you. It connects once they have added this instance too.</p>
      <ErrorBanner error={error} />
      <div className="row fed-add-row">
        <BoundField state={form} field="name" errors={fields} label="Name" name="link-name" placeholder="lv-cert" required testId="link-add-name" />
        <BoundField state={form} field="url" errors={fields} label="URL" name="link-url" placeholder="https://huntroom.example.org" required testId="link-add-url" />
        <BoundField
          state={form}
          field="teams"
          errors={fields}
          label="Teams it speaks for"
          name="link-teams"
          placeholder="LV"
          hint="Team codes, separated by commas"
          required
          testId="link-add-teams"
        />
      </div>
      <BoundField state={form} field="key" errors={fields} label="Its public key" name="link-key" placeholder="ed25519:…" required testId="link-add-key" />
      <button className="btn primary" type="submit" disabled={busy} data-testid="link-add-submit">
        {busy ? 'Adding…' : 'Add link'}
      </button>
      {added && (
        <p role="status" data-testid="link-added">
          Link {added} added. It comes up once {added}&apos;s operator has added this instance too.
        </p>
      )}
    </form>
  );
}
