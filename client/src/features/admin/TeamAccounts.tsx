/** For a team's admins (and the operator): create an account in the team directly. */
import { useState, type FormEvent } from 'react';
import { createTeamAccountSchema, type Account } from '@huntroom/shared';
import { post } from '../../lib/api.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';

export function TeamAccounts({ teams }: { teams: string[] }) {
  const [team, setTeam] = useState(teams[0] ?? '');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [made, setMade] = useState<Account>();
  const { run, error, busy } = useAction();
  const teamCode = team || teams[0] || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    setMade(undefined);
    void run(async () => {
      const input = checked(createTeamAccountSchema, { username, password, ...(displayName.trim() ? { displayName } : {}) });
      setMade(await post<Account>(`/api/teams/${encodeURIComponent(teamCode)}/accounts`, input));
      setUsername('');
      setDisplayName('');
      setPassword('');
    });
  }

  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={submit} data-testid="team-account-form" aria-labelledby="team-account-title">
      <h2 id="team-account-title">Create an account</h2>
      <p className="muted">The account belongs to the team you choose, and so does everything it may see. Give the password over a channel you trust.</p>
      <ErrorBanner error={error} />
      <div className="row">
        <div className="field">
          <label htmlFor="team-account-team">Team</label>
          <select id="team-account-team" value={teamCode} onChange={(e) => setTeam(e.target.value)} data-testid="team-account-team">
            {teams.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Username"
          name="team-account-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={fields.username}
          required
          data-testid="team-account-username"
        />
        <Field
          label="Display name"
          name="team-account-display"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={fields.displayName}
          data-testid="team-account-display"
        />
        <Field
          label="Password"
          name="team-account-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          required
          data-testid="team-account-password"
        />
      </div>
      <button className="btn primary" type="submit" disabled={busy || !teamCode} data-testid="team-account-submit">
        {busy ? 'Creating…' : 'Create account'}
      </button>
      {made && (
        <p role="status" data-testid="team-account-made">
          Account {made.username} created in team {made.team.code}.
        </p>
      )}
    </form>
  );
}
