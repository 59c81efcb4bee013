/**
 * Owners invite people of any team: the link is shown once, with a copy button. A link into a team the
 * owner does not administer waits for that team's admins before it can create an account; the form
 * says so, and the invites list below shows when they decide.
 */
import { useState, type FormEvent } from 'react';
import { createInviteSchema, ROLES, type AssignableRole, type InviteCreated, type Team } from '@huntroom/shared';
import { get, post } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAction } from '../../lib/useAction.js';
import { checked } from '../../lib/validate.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { CopyField } from '../../components/CopyField.js';

const ROLE_HELP: Record<AssignableRole, string> = {
  owner: 'manages members and markings',
  hunter: 'reads and writes',
  observer: 'reads only what is releasable to their team',
};

export function InviteForm({ workspaceId, onCreated }: { workspaceId: string; onCreated?: () => void }) {
  // Only this instance's teams: a team of another instance joins through a share with it, never by a link.
  const teams = useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => r.teams.filter((t) => !t.instance)), []);
  const [team, setTeam] = useState('');
  const [role, setRole] = useState<AssignableRole>('hunter');
  const [hours, setHours] = useState('72');
  const [maxUses, setMaxUses] = useState('1');
  const [created, setCreated] = useState<InviteCreated & { team: string; role: AssignableRole }>();
  const { run, error, busy } = useAction();
  const teamCode = team || teams.data?.[0]?.code || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    void run(async () => {
      // Empty number fields become NaN, which the schema reports against the right field.
      const input = checked(createInviteSchema, { role, team: teamCode, expiresInHours: Number(hours || NaN), maxUses: Number(maxUses || NaN) });
      const invite = await post<InviteCreated>(`/api/workspaces/${workspaceId}/invites`, input);
      setCreated({ ...invite, team: input.team, role: input.role });
      onCreated?.();
    });
  }

  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={submit} data-testid="invite-form" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite people</h2>
      <p className="muted">An invite link joins whoever opens it to this workspace, in the team and role you choose. Send it over a channel you trust; it expires.</p>
      <ErrorBanner error={error ?? teams.error} />
      <div className="row">
        <div className="field">
          <label htmlFor="invite-team">Team</label>
          <select id="invite-team" value={teamCode} onChange={(e) => setTeam(e.target.value)} data-testid="invite-team">
            {teams.data?.map((t) => (
              <option key={t.id} value={t.code}>
                {t.code} · {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as AssignableRole)} aria-describedby="invite-role-help" data-testid="invite-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Expires after (hours)"
          name="invite-hours"
          type="number"
          min={1}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          error={fields.expiresInHours}
          data-testid="invite-hours"
        />
        <Field
          label="Uses"
          name="invite-uses"
          type="number"
          min={1}
          value={maxUses}
          onChange={(e) => setMaxUses(e.target.value)}
          error={fields.maxUses}
          data-testid="invite-uses"
        />
      </div>
      <p className="hint" id="invite-role-help">
        A {role} {ROLE_HELP[role]}.
      </p>
      <button className="btn primary" type="submit" disabled={busy || !teamCode} data-testid="invite-submit">
        {busy ? 'Creating…' : 'Create invite link'}
      </button>
      {created && (
        <div className="invite-result" data-testid="invite-result">
          <CopyField value={created.url} label="Invite link" testId="invite-url" />
          <div className="muted">
            For a {created.role} of team {created.team}; valid until {new Date(created.expiresAt).toLocaleString()}. It is shown only now.
          </div>
          {created.approval === 'pending' && (
            <div className="notice-banner" role="status" data-testid="invite-pending-approval">
              Waiting for the admins of team {created.team}: until one of them approves, this link admits only people who already have an account in {created.team}. Only a
              team&apos;s admins may let a link create accounts in it.
            </div>
          )}
        </div>
      )}
    </form>
  );
}
