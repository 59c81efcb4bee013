/** Members of the workspace by team; owners add, change roles, remove and invite. */
import { useState, type FormEvent } from 'react';
import { addMemberSchema, ROLES, type AssignableRole, type Member } from '@huntroom/shared';
import { del, patch, post } from '../../lib/api.js';
import { ErrorBanner, Field, fieldErrors } from '../../components/forms.js';
import { RoleBadge, TeamBadge } from '../../components/badges.js';
import { useWorkspace } from '../workspaces/context.js';
import { useAccount } from '../../lib/session.js';
import { useAction } from '../../lib/useAction.js';
import { useConnection } from '../../lib/connection.js';
import { checked } from '../../lib/validate.js';
import { sortMembers, useMembers } from './useMembers.js';
import { InviteForm } from './InviteForm.js';
import { InviteList } from './InviteList.js';
import { useAsync } from '../../lib/useAsync.js';
import { get } from '../../lib/api.js';
import type { InviteSummary } from '@huntroom/shared';
import { WorkspaceShares } from '../federation/WorkspaceShares.js';

export function MembersPanel() {
  const ws = useWorkspace();
  const me = useAccount();
  const members = useMembers(ws.id);
  const { run: act, error } = useAction();
  const isOwner = ws.role === 'owner';
  const list = sortMembers(members.data ?? []);
  const live = useConnection().link === 'online';
  const invites = useAsync(() => (isOwner ? get<{ invites: InviteSummary[] }>(`/api/workspaces/${ws.id}/invites`).then((r) => r.invites) : Promise.resolve([])), [ws.id, isOwner]);

  return (
    <section className="stack">
      <div className="card">
        <div className="page-head">
          <h1>Members</h1>
          <span className="muted" data-testid="member-count">
            {list.length === 1 ? '1 member' : `${list.length} members`} · {live ? 'live' : 'updates paused until reconnected'}
          </span>
        </div>
        <ErrorBanner error={error ?? members.error} />
        <table className="table cards" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              {isOwner && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <MemberRow key={m.accountId} member={m} isOwner={isOwner} isMe={m.accountId === me.id} act={act} workspaceId={ws.id} />
            ))}
          </tbody>
        </table>
      </div>
      {isOwner && <AddMemberForm workspaceId={ws.id} />}
      {isOwner && <InviteForm workspaceId={ws.id} onCreated={invites.reload} />}
      {isOwner && <InviteList invites={invites.data ?? []} error={invites.error} onRefresh={invites.reload} />}
      {isOwner && <WorkspaceShares workspaceId={ws.id} />}
    </section>
  );
}

function MemberRow({
  member: m,
  isOwner,
  isMe,
  act,
  workspaceId,
}: {
  member: Member;
  isOwner: boolean;
  isMe: boolean;
  act: (fn: () => Promise<unknown>) => Promise<boolean>;
  workspaceId: string;
}) {
  const base = `/api/workspaces/${workspaceId}/members/${encodeURIComponent(m.username)}`;
  function changeRole(role: AssignableRole) {
    // Demoting yourself takes away this very panel's controls: make sure it is meant.
    if (isMe && role !== 'owner' && !window.confirm(`Make yourself ${role}? You will no longer manage this workspace.`)) return;
    void act(() => patch(base, { role }));
  }
  function remove() {
    const question = isMe
      ? 'Leave this workspace? You will need a new invite to come back.'
      : `Remove ${m.displayName} (${m.team.code}) from this workspace? They lose access at once.`;
    if (window.confirm(question)) void act(() => del(base));
  }
  return (
    <tr data-testid={`member-row-${m.username}`}>
      <td data-label="Team">
        <TeamBadge team={m.team} />
      </td>
      <td data-label="Name">
        <strong>{m.displayName}</strong>{' '}
        <span className="muted">
          @{m.username}
          {isMe ? ' (you)' : ''}
        </span>
      </td>
      <td data-label="Role">
        {isOwner && m.role !== 'guest' ? (
          <select aria-label={`Role of ${m.username}`} value={m.role} data-testid={`member-role-${m.username}`} onChange={(e) => changeRole(e.target.value as AssignableRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <RoleBadge role={m.role} />
        )}
      </td>
      <td className="muted nowrap" data-label="Added">
        {new Date(m.addedAt).toLocaleDateString()}
      </td>
      {isOwner && (
        <td className="right">
          <button className="btn danger small" data-testid={`member-remove-${m.username}`} onClick={remove}>
            {isMe ? 'Leave' : 'Remove'}
          </button>
        </td>
      )}
    </tr>
  );
}

function AddMemberForm({ workspaceId }: { workspaceId: string }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<AssignableRole>('hunter');
  const { run, error, busy } = useAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await post(`/api/workspaces/${workspaceId}/members`, checked(addMemberSchema, { username, role }));
      setUsername('');
    });
  }
  return (
    <form className="card form inline-form" onSubmit={submit} data-testid="add-member-form" aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add an existing account</h2>
      <ErrorBanner error={error} />
      <div className="row">
        <Field
          label="Username"
          name="member-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={fieldErrors(error).username}
          required
          data-testid="add-member-username"
        />
        <div className="field">
          <label htmlFor="member-role">Role</label>
          <select id="member-role" data-testid="add-member-role" value={role} onChange={(e) => setRole(e.target.value as AssignableRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button className="btn" type="submit" disabled={busy} data-testid="add-member-submit">
          Add
        </button>
      </div>
    </form>
  );
}
