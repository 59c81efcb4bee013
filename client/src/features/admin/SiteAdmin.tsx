/**
 * For the operator's accounts (site admins): teams, their admins, and who may create workspaces.
 * The same acts are in the CLI (`npm run cli`); these are for an operator at a browser.
 */
import { useState, type FormEvent } from 'react';
import { WORKSPACE_CREATORS, createTeamSchema, type SiteSettings, type Team, type WorkspaceCreators } from '@huntroom/shared';
import { api, del, get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { TeamBadge } from '../../components/badges.js';

const CREATORS_TEXT: Record<WorkspaceCreators, string> = {
  anyone: 'anyone with an account',
  'team-admins': 'team admins and site admins',
  'site-admins': 'site admins only',
};

interface Admin {
  accountId: string;
  username: string;
  displayName: string;
}

export function SiteAdmin() {
  const teams = useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => r.teams), []);
  const settings = useAsync(() => get<SiteSettings>('/api/settings'), []);
  const { run, error, busy } = useAction();

  function setCreators(workspaceCreators: WorkspaceCreators) {
    void run(async () => {
      const saved = await api<SiteSettings>('PUT', '/api/settings', { workspaceCreators });
      settings.setData(() => saved);
    });
  }

  return (
    <section className="stack" data-testid="site-admin">
      <div className="card form">
        <h2>Site settings</h2>
        <ErrorBanner error={error ?? settings.error} />
        <div className="field">
          <label htmlFor="site-creators">Who may create workspaces</label>
          <select
            id="site-creators"
            value={settings.data?.workspaceCreators ?? 'team-admins'}
            disabled={busy || !settings.data}
            onChange={(e) => setCreators(e.target.value as WorkspaceCreators)}
            data-testid="site-creators"
          >
            {WORKSPACE_CREATORS.map((c) => (
              <option key={c} value={c}>
                {CREATORS_TEXT[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <NewTeamForm onCreated={teams.reload} />
      <ErrorBanner error={teams.error} />
      {(teams.data ?? []).map((t) => (
        <TeamAdmins key={t.id} team={t} />
      ))}
    </section>
  );
}

function NewTeamForm({ onCreated }: { onCreated: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const { run, error, busy } = useAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await post('/api/teams', checked(createTeamSchema, { code, name }));
      setCode('');
      setName('');
      onCreated();
    });
  }
  const fields = fieldErrors(error);
  return (
    <form className="card form inline-form" onSubmit={submit} data-testid="new-team-form" aria-labelledby="new-team-title">
      <h2 id="new-team-title">New team</h2>
      <ErrorBanner error={error} />
      <div className="row">
        <Field label="Code" name="new-team-code" value={code} onChange={(e) => setCode(e.target.value)} error={fields.code} required data-testid="new-team-code" />
        <Field label="Name" name="new-team-name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required data-testid="new-team-name" />
        <button className="btn" type="submit" disabled={busy} data-testid="new-team-submit">
          Add team
        </button>
      </div>
    </form>
  );
}

function TeamAdmins({ team }: { team: Team }) {
  const admins = useAsync(() => get<{ admins: Admin[] }>(`/api/teams/${encodeURIComponent(team.code)}/admins`).then((r) => r.admins), [team.code]);
  const [username, setUsername] = useState('');
  const { run, error, busy } = useAction();
  const base = `/api/teams/${encodeURIComponent(team.code)}/admins`;
  function add(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const { admins: now } = await post<{ admins: Admin[] }>(base, { username: username.trim().toLowerCase() });
      admins.setData(() => now);
      setUsername('');
    });
  }
  function remove(a: Admin) {
    if (!window.confirm(`Remove ${a.displayName} as an admin of ${team.code}?`)) return;
    void run(async () => {
      const { admins: now } = await del<{ admins: Admin[] }>(`${base}/${encodeURIComponent(a.username)}`);
      admins.setData(() => now);
    });
  }
  return (
    <form className="card form inline-form" onSubmit={add} data-testid={`team-admins-${team.code}`} aria-label={`Admins of ${team.code}`}>
      <h3>
        <TeamBadge team={team} /> {team.name}
      </h3>
      <ErrorBanner error={error ?? admins.error} />
      <p>
        Admins:{' '}
        {(admins.data ?? []).length === 0 ? (
          <span className="muted">none</span>
        ) : (
          admins.data!.map((a) => (
            <span key={a.accountId} className="chip">
              {a.displayName} <span className="muted">@{a.username}</span>{' '}
              <button type="button" className="btn small" aria-label={`Remove ${a.username}`} onClick={() => remove(a)} disabled={busy}>
                ×
              </button>
            </span>
          ))
        )}
      </p>
      <div className="row">
        <Field
          label={`Make an account of ${team.code} its admin`}
          name={`admin-${team.code}`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          placeholder="username"
          data-testid={`team-admin-username-${team.code}`}
        />
        <button className="btn" type="submit" disabled={busy || !username.trim()} data-testid={`team-admin-add-${team.code}`}>
          Add admin
        </button>
      </div>
    </form>
  );
}
