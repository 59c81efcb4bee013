/** Personal access tokens for scripts: create (shown once), list, revoke. */
import { useState, type FormEvent } from 'react';
import type { AccessTokenInfo } from '@huntroom/shared';
import { del, get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';

export function TokensPage() {
  const tokens = useAsync(() => get<{ tokens: AccessTokenInfo[] }>('/api/tokens').then((r) => r.tokens), []);
  const [name, setName] = useState('');
  const [fresh, setFresh] = useState<string>();
  const [error, setError] = useState<unknown>();

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const t = await post<AccessTokenInfo & { token: string }>('/api/tokens', { name });
      setFresh(t.token);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(id: string) {
    if (!window.confirm('Revoke this token? Scripts using it stop working at once.')) return;
    try {
      await del(`/api/tokens/${id}`);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <main className="page narrow" id="main">
      <h1>Access tokens</h1>
      <p className="muted">For scripts and tools: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you.</p>
      <ErrorBanner error={error ?? tokens.error} />
      <form className="card form inline-form" onSubmit={create} data-testid="token-form">
        <div className="row">
          <Field label="Token name" name="token-name" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors(error).name} placeholder="e.g. sensor import script" required />
          <button className="btn primary" type="submit">Create token</button>
        </div>
        {fresh && (
          <div className="invite-result" data-testid="token-fresh">
            <input readOnly value={fresh} aria-label="New token" onFocus={(e) => e.target.select()} />
            <div className="muted">Copy it now: it is not shown again.</div>
          </div>
        )}
      </form>
      <table className="table card" data-testid="token-table">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {tokens.data?.length === 0 && <tr><td colSpan={4} className="muted">No tokens.</td></tr>}
          {tokens.data?.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{new Date(t.createdAt).toLocaleString()}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
              <td className="right"><button className="btn danger small" onClick={() => void revoke(t.id)}>Revoke</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
