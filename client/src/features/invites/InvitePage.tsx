/**
 * /invite/:token — what the invite is for, then: logged in, one Accept button; logged out, a form
 * that creates the account in the invite's team and lands in the workspace.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { InviteInfo, MeResponse } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useSession } from '../../lib/session.js';
import { useAction } from '../../lib/useAction.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { RoleBadge, TeamBadge } from '../../components/badges.js';

interface AcceptResponse extends Partial<MeResponse> {
  workspaceId: string;
}

export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const { account, adopt } = useSession();
  const info = useAsync(() => get<InviteInfo>(`/api/invites/${encodeURIComponent(token)}`), [token]);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { run, error, busy } = useAction();

  function accept(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const body = account ? {} : { username, password, ...(displayName ? { displayName } : {}) };
      const res = await post<AcceptResponse>(`/api/invites/${encodeURIComponent(token)}/accept`, body);
      if (res.account) adopt({ account: res.account, csrfToken: res.csrfToken ?? null });
      navigate(`/w/${res.workspaceId}`);
    });
  }

  const fields = fieldErrors(error);
  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={accept} data-testid="invite-accept-form">
        <h1>Join a hunt</h1>
        <ErrorBanner error={info.error} />
        {info.data && (
          <div className="invite-info">
            <p>
              You are invited to <strong>{info.data.workspace.name}</strong>
            </p>
            <p>
              as <RoleBadge role={info.data.role} /> of team <TeamBadge team={info.data.team} />
            </p>
            <p className="muted">Expires {new Date(info.data.expiresAt).toLocaleString()}</p>
          </div>
        )}
        <ErrorBanner error={error} />
        {info.data && !account && (
          <>
            <p className="muted">Create your account (team {info.data.team.code}):</p>
            <Field label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} error={fields.username} required data-testid="invite-username" />
            <Field label="Display name" name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={fields.displayName} data-testid="invite-display-name" />
            <Field label="Password" name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} hint="At least 10 characters; a passphrase is best." required data-testid="invite-password" />
          </>
        )}
        {info.data && (
          <button className="btn primary wide" type="submit" disabled={busy} data-testid="invite-accept">
            {busy ? 'Joining…' : account ? `Accept as ${account.username}` : 'Create account and join'}
          </button>
        )}
      </form>
    </main>
  );
}
