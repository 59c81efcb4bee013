/** Small visual atoms: team badge in the team's colour, TLP badge in FIRST's colours. */
import type { Team, TlpLevel } from '@huntroom/shared';
import { TLP_COLORS } from '@huntroom/shared';
import { readableTeamColor } from './readableColor.js';

export function TeamBadge({ team }: { team: Pick<Team, 'code' | 'name' | 'color'> }) {
  return (
    <span className="team-badge" style={{ borderColor: team.color, color: readableTeamColor(team.color) }} title={team.name}>
      <span className="team-dot" style={{ background: team.color }} aria-hidden />
      {team.code}
    </span>
  );
}

export function TlpBadge({ level }: { level: TlpLevel }) {
  const c = TLP_COLORS[level];
  return (
    <span className="tlp-badge" style={{ color: c.fg, background: c.bg }} title={`TLP:${level}`}>
      TLP:{level}
    </span>
  );
}

export function RoleBadge({ role }: { role: string }) {
  return <span className={`role-badge role-${role}`}>{role}</span>;
}
