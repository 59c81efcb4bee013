/**
 * /invite/:token — what the invite is for, then: logged in, one Accept button; logged out, a form
 * that creates the account in the invite's team and lands in the workspace. An invite for another
 * team than the logged-in user's says so before the click, with a way out (log out first).
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInviteSchema, type InviteInfo, type MeResponse } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../../lib/session.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { RoleBadge, TeamBadge } from '../../components/badges.js';
import { useTitle } from '../../lib/useTitle.js';

interface AcceptResponse extends Partial<MeResponse> {
  workspaceId: string;
}

export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const { account, adopt, logout, loading } = useSession();
  const info = useAsync(() => get<InviteInfo>(`/api/invites/${encodeURIComponent(token)}`), [token]);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { run, error, busy } = useAction();
  useTitle('Join a hunt');

  function accept(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const body = account ? {} : checked(acceptInviteSchema, { username, password, ...(displayName.trim() ? { displayName } : {}) });
      const res = await post<AcceptResponse>(`/api/invites/${encodeURIComponent(token)}/accept`, body);
      if (res.account) adopt({ account: res.account, csrfToken: res.csrfToken ?? null, authority: { siteAdmin: false, adminOf: [], mayCreateWorkspaces: false } });
      navigate(`/w/${res.workspaceId}`);
    });
  }

  const fields = fieldErrors(error);
  const invite = info.data;
  const wrongTeam = !!(invite && account && account.team.id !== invite.team.id);
  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={accept} data-testid="invite-accept-form" aria-labelledby="invite-page-title">
        <h1 id="invite-page-title">Join a hunt</h1>
        <ErrorBanner error={info.error} />
        {info.loading && <p className="muted">Checking the invite…</p>}
        {invite && (
          <div className="invite-info" data-testid="invite-info" style={{ borderLeftColor: invite.team.color }}>
            <p>
              You are invited to <strong>{invite.workspace.name}</strong>
            </p>
            <p>
              as <RoleBadge role={invite.role} /> of team <TeamBadge team={invite.team} /> <span className="muted">{invite.team.name}</span>
            </p>
            <p className="muted">
              Expires {new Date(invite.expiresAt).toLocaleString()} · {invite.usesLeft === 1 ? '1 use left' : `${invite.usesLeft} uses left`}
            </p>
          </div>
        )}
        <ErrorBanner error={error} />
        {invite && invite.approval === 'pending' && !account && !loading && (
          <div className="notice-banner" role="status" data-testid="invite-pending">
            This link waits for approval by the admins of team {invite.team.code}: it cannot create an account until one of them approves it. If you already have an account in{' '}
            {invite.team.code}, log in and open the link again.
          </div>
        )}
        {invite && !account && !loading && invite.approval !== 'pending' && (
          <fieldset className="plain">
            <legend className="invite-form-legend">Create your account in team {invite.team.code}</legend>
            <Field
              label="Username"
              name="username"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              error={fields.username}
              required
              data-testid="invite-username"
              hint="Lower-case letters, digits, '.', '-' and '_'."
            />
            <Field
              label="Display name"
              name="displayName"
              autoComplete="name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              error={fields.displayName}
              data-testid="invite-display-name"
              hint="How others see you, e.g. Claire Roy (CCCS)."
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fields.password}
              hint="At least 10 characters; a passphrase is best."
              required
              data-testid="invite-password"
            />
          </fieldset>
        )}
        {wrongTeam && account && invite && (
          <div className="notice-banner" role="status" data-testid="invite-wrong-team">
            This invite is for team {invite.team.code}, and you are logged in as {account.username} of team {account.team.code}. To join as a new member of {invite.team.code}, log
            out first.
            <div className="button-row">
              <button type="button" className="btn small" onClick={() => void logout()}>
                Log out
              </button>
            </div>
          </div>
        )}
        {invite && !wrongTeam && (account || invite.approval !== 'pending') && (
          <button className="btn primary wide" type="submit" disabled={busy} data-testid="invite-accept">
            {busy ? 'Joining…' : account ? `Accept as ${account.username}` : 'Create account and join'}
          </button>
        )}
        {info.error && (
          <p>
            <Link to="/">Go to Huntroom</Link>
          </p>
        )}
      </form>
    </main>
  );
}
