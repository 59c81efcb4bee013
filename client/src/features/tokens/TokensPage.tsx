/** Personal access tokens for scripts: create (shown once), list, revoke. */
import { useState, type FormEvent } from 'react';
import { createTokenSchema, type AccessTokenInfo } from '@huntroom/shared';
import { del, get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { BoundField, ErrorBanner, fieldErrors, useFormValues } from '../../components/forms.js';
import { CopyField } from '../../components/CopyField.js';
import { useTitle } from '../../lib/useTitle.js';

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);

export function TokensPage() {
  const tokens = useAsync(() => get<{ tokens: AccessTokenInfo[] }>('/api/tokens').then((r) => r.tokens), []);
  const form = useFormValues({ name: '', days: '90' });
  const { name, days } = form.values;
  const [fresh, setFresh] = useState<{ name: string; token: string }>();
  const { run, error, busy } = useAction();
  useTitle('Access tokens');

  function create(e: FormEvent) {
    e.preventDefault();
    setFresh(undefined);
    void run(async () => {
      const input = checked(createTokenSchema, { name, ...(days ? { expiresInDays: Number(days) } : {}) });
      const t = await post<AccessTokenInfo & { token: string }>('/api/tokens', input);
      setFresh({ name: t.name, token: t.token });
      form.reset('name');
      tokens.reload();
    });
  }

  function revoke(t: AccessTokenInfo) {
    if (!window.confirm(`Revoke the token "${t.name}"? Scripts using it stop working at once.`)) return;
    void run(async () => {
      await del(`/api/tokens/${encodeURIComponent(t.id)}`);
      tokens.reload();
    });
  }

  const fields = fieldErrors(error);
  return (
    <main className="page narrow stack" id="main">
      <div>
        <h1>Access tokens</h1>
        <p className="muted">
          For scripts and tools: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, in every workspace you are in, until it expires or you revoke it.
        </p>
      </div>
      <ErrorBanner error={error ?? tokens.error} />
      <form className="card form inline-form" onSubmit={create} data-testid="token-form" aria-labelledby="token-form-title">
        <h2 id="token-form-title">New token</h2>
        <div className="row">
          <BoundField state={form} field="name" errors={fields} label="Name" name="token-name" placeholder="e.g. sensor import script" required testId="token-name" />
          <BoundField
            state={form}
            field="days"
            errors={fields}
            errorKey="expiresInDays"
            label="Expires after (days, empty: never)"
            name="token-days"
            type="number"
            min={1}
            max={366}
            testId="token-days"
          />
          <button className="btn primary" type="submit" disabled={busy} data-testid="token-submit">
            Create token
          </button>
        </div>
        {fresh && (
          <div className="invite-result" data-testid="token-fresh">
            <CopyField value={fresh.token} label={`New token ${fresh.name}`} testId="token-value" />
            <div className="muted">Copy it now: it is not shown again.</div>
          </div>
        )}
      </form>
      <div className="card">
        <table className="table cards" data-testid="token-table">
          <caption className="sr-only">Your access tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No tokens yet.
                </td>
              </tr>
            )}
            {tokens.data?.map((t) => (
              <tr key={t.id} data-testid={`token-row-${t.name}`}>
                <td data-label="Name">
                  <strong>{t.name}</strong>
                </td>
                <td className="nowrap" data-label="Created">
                  {when(t.createdAt, '')}
                </td>
                <td className="nowrap" data-label="Expires">
                  {when(t.expiresAt, 'never')}
                </td>
                <td className="nowrap" data-label="Last used">
                  {when(t.lastUsedAt, 'never')}
                </td>
                <td className="right">
                  <button className="btn danger small" onClick={() => revoke(t)} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
