/** Login: username and password; wrong credentials, rate limits and ended sessions are said plainly. */
import { useState, type FormEvent } from 'react';
import { loginSchema } from '@huntroom/shared';
import { useSession } from '../../lib/session.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { useRetryCountdown } from './useRetryCountdown.js';
import { useTitle } from '../../lib/useTitle.js';

export function LoginPage() {
  const { login, loggedOutReason } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { run, error, busy } = useAction();
  const waitSeconds = useRetryCountdown(error);
  useTitle('Log in');

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const input = checked(loginSchema, { username, password });
      await login(input.username, input.password);
    });
  }

  const fields = fieldErrors(error);
  const blocked = waitSeconds > 0;
  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={submit} data-testid="login-form">
        <h1 className="brand-title">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>{' '}
          Huntroom
        </h1>
        <p className="muted">Joint threat hunts, live, releasable only to whom it may concern.</p>
        {loggedOutReason && !error && (
          <p className="notice-banner" role="status" data-testid="login-notice">
            {loggedOutReason}
          </p>
        )}
        {blocked ? (
          <div className="error-banner" role="alert" data-testid="error-banner">
            Too many login attempts. You can try again in {waitSeconds} s.
          </div>
        ) : (
          <ErrorBanner error={error} />
        )}
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={fields.username}
          data-testid="login-username"
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          data-testid="login-password"
          required
        />
        <button className="btn primary wide" type="submit" disabled={busy || blocked} data-testid="login-submit">
          {busy ? 'Logging in…' : blocked ? `Wait ${waitSeconds} s` : 'Log in'}
        </button>
      </form>
    </main>
  );
}
