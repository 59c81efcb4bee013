/** The hunts the caller is a member of, and a form to start a new one. */
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { createWorkspaceSchema, TLP_LEVELS, type TlpLevel, type Workspace } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors, submitOnCtrlEnter } from '../../components/forms.js';
import { RoleBadge, TlpBadge } from '../../components/badges.js';
import { useSession } from '../../lib/session.js';
import { useTitle } from '../../lib/useTitle.js';

export function WorkspaceListPage() {
  const list = useAsync(() => get<{ workspaces: Workspace[] }>('/api/workspaces'), []);
  // Set by the workspace page when access was revoked while it was open: say why we are here.
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const { authority } = useSession();
  useTitle('Workspaces');
  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Hunt workspaces</h1>
      </div>
      {notice && (
        <p className="notice-banner" role="status" data-testid="page-notice">
          {notice}
        </p>
      )}
      <div className="two-col">
        <section aria-label="Your workspaces">
          <ErrorBanner error={list.error} />
          {list.loading && !list.data && <p className="muted">Loading…</p>}
          {list.data?.workspaces.length === 0 && (
            <p className="muted">
              {authority.mayCreateWorkspaces
                ? 'You are not in any workspace yet. Start one, or ask an owner for an invite.'
                : 'You are not in any workspace yet. Ask an owner to add you.'}
            </p>
          )}
          <ul className="ws-list" data-testid="workspace-list">
            {list.data?.workspaces.map((w) => (
              <li key={w.id}>
                <Link className="ws-item card" to={`/w/${w.id}`} data-testid={`workspace-item-${w.id}`}>
                  <div className="ws-item-head">
                    <strong className="ws-name">{w.name}</strong>
                    <RoleBadge role={w.role} />
                  </div>
                  {w.description && <p className="muted clamp">{w.description}</p>}
                  <div className="ws-meta">
                    <TlpBadge level={w.defaultTlp} /> <span className="muted">started {new Date(w.createdAt).toLocaleDateString()}</span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </section>
        {authority.mayCreateWorkspaces ? (
          <CreateWorkspaceForm />
        ) : (
          <p className="card muted" data-testid="create-workspace-not-allowed">
            Starting a hunt workspace is for the accounts the operator allows (team admins, by default). Ask your team admin to start one and add you.
          </p>
        )}
      </div>
    </main>
  );
}

function CreateWorkspaceForm() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [defaultTlp, setDefaultTlp] = useState<TlpLevel>('AMBER');
  const { run, error, busy } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const input = checked(createWorkspaceSchema, { name, description, defaultTlp });
      navigate(`/w/${(await post<Workspace>('/api/workspaces', input)).id}`);
    });
  }

  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={submit} data-testid="create-workspace-form" aria-labelledby="create-ws-title">
      <h2 id="create-ws-title">Start a hunt</h2>
      <ErrorBanner error={error} />
      <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required data-testid="create-workspace-name" />
      <div className="field">
        <label htmlFor="ws-desc">Description</label>
        <textarea
          id="ws-desc"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="create-workspace-description"
          onKeyDown={submitOnCtrlEnter}
        />
        <div className="hint">Ctrl+Enter creates the workspace.</div>
        {fields.description && <div className="field-error">{fields.description}</div>}
      </div>
      <div className="field">
        <label htmlFor="ws-tlp">Default marking</label>
        <select id="ws-tlp" data-testid="create-workspace-tlp" value={defaultTlp} onChange={(e) => setDefaultTlp(e.target.value as TlpLevel)}>
          {TLP_LEVELS.map((l) => (
            <option key={l} value={l}>
              TLP:{l}
            </option>
          ))}
        </select>
        <div className="hint">New notes and indicators start with this marking.</div>
      </div>
      <button className="btn primary" type="submit" disabled={busy} data-testid="create-workspace-submit">
        {busy ? 'Creating…' : 'Create workspace'}
      </button>
    </form>
  );
}
