/** The workspace at a glance: what it is, your role, and who is hunting in it. */
import type { Member } from '@huntroom/shared';
import { useMembers } from '../members/useMembers.js';
import { TeamBadge, TlpBadge } from '../../components/badges.js';
import { useWorkspace } from './context.js';

export function OverviewPanel() {
  const ws = useWorkspace();
  const members = useMembers(ws.id);
  const teams = new Map<string, { team: Member['team']; count: number }>();
  for (const m of members.data ?? []) {
    const entry = teams.get(m.team.id) ?? { team: m.team, count: 0 };
    entry.count++;
    teams.set(m.team.id, entry);
  }
  return (
    <section className="stack">
      <div className="card">
        <h1 className="ws-title">{ws.name}</h1>
        {ws.description ? <p className="prewrap">{ws.description}</p> : <p className="muted">No description.</p>}
        <p className="muted">
          Default marking <TlpBadge level={ws.defaultTlp} /> · you are <strong>{ws.role}</strong> · started {new Date(ws.createdAt).toLocaleString()}
        </p>
      </div>
      <div className="card">
        <h2>Teams in this hunt</h2>
        <ul className="team-grid">
          {[...teams.values()].map(({ team, count }) => (
            <li key={team.id} className="team-tile" style={{ borderLeftColor: team.color }}>
              <TeamBadge team={team} />
              <span>{team.name}</span>
              <span className="muted">{count === 1 ? '1 member' : `${count} members`}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
