/** Login: username and password; wrong credentials and rate limits are said plainly. */
import { useState, type FormEvent } from 'react';
import { useSession } from '../../lib/session.js';
import { useAction } from '../../lib/useAction.js';
import { ErrorBanner, Field } from '../../components/forms.js';

export function LoginPage() {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { run, error, busy } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(() => login(username, password));
  }

  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={submit} data-testid="login-form">
        <h1 className="brand-title">
          <span className="brand-mark" aria-hidden>◆</span> Huntroom
        </h1>
        <p className="muted">Joint threat hunts, live, releasable only to whom it may concern.</p>
        <ErrorBanner error={error} />
        <Field label="Username" name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} data-testid="login-username" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" required />
        <button className="btn primary wide" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
