/** Owners invite people of any team: the link is shown once, with a copy button. */
import { useState, type FormEvent } from 'react';
import { ROLES, type InviteCreated, type Role, type Team } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';

export function InviteForm({ workspaceId }: { workspaceId: string }) {
  const teams = useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => r.teams), []);
  const [team, setTeam] = useState('');
  const [role, setRole] = useState<Role>('hunter');
  const [hours, setHours] = useState('72');
  const [maxUses, setMaxUses] = useState('1');
  const [created, setCreated] = useState<InviteCreated>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>();
  const teamCode = team || teams.data?.[0]?.code || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setCopied(false);
    try {
      setCreated(
        await post<InviteCreated>(`/api/workspaces/${workspaceId}/invites`, {
          role,
          team: teamCode,
          expiresInHours: Number(hours),
          maxUses: Number(maxUses),
        }),
      );
    } catch (err) {
      setError(err);
    }
  }

  async function copy() {
    if (!created) return;
    await navigator.clipboard?.writeText(created.url).then(() => setCopied(true), () => setCopied(false));
  }

  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={submit} data-testid="invite-form">
      <h2>Invite people</h2>
      <p className="muted">An invite link joins its user to this workspace with the role and team you choose. Links expire.</p>
      <ErrorBanner error={error ?? teams.error} />
      <div className="row">
        <div className="field">
          <label htmlFor="invite-team">Team</label>
          <select id="invite-team" value={teamCode} onChange={(e) => setTeam(e.target.value)} data-testid="invite-team">
            {teams.data?.map((t) => <option key={t.id} value={t.code}>{t.code} · {t.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="invite-role">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
        <Field label="Expires in (hours)" name="invite-hours" type="number" min={1} value={hours} onChange={(e) => setHours(e.target.value)} error={fields.expiresInHours} />
        <Field label="Uses" name="invite-uses" type="number" min={1} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} error={fields.maxUses} />
      </div>
      <button className="btn primary" type="submit" data-testid="invite-submit">Create invite link</button>
      {created && (
        <div className="invite-result" data-testid="invite-result">
          <input readOnly value={created.url} aria-label="Invite link" data-testid="invite-url" onFocus={(e) => e.target.select()} />
          <button type="button" className="btn" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
          <div className="muted">Valid until {new Date(created.expiresAt).toLocaleString()}. It is shown only now.</div>
        </div>
      )}
    </form>
  );
}
