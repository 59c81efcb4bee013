/**
 * The workspace at a glance: what it is and your role, then the hunt as your team may see it (the
 * server counts only what your team may see): indicators by status, type and team, added per day,
 * the top techniques, the last hour's changes, who is online, the hunt operation's coverage, and the
 * teams in the hunt. Refreshed every 20 s, so a wall display stays current.
 */
import { useEffect } from 'react';
import { Link } from 'react-router';
import type { HostState, Member, WorkspaceOverview } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { ErrorBanner } from '../../components/forms.js';
import { useMembers } from '../members/useMembers.js';
import { TeamBadge, TlpBadge } from '../../components/badges.js';
import { STATE_STYLE } from '../hunt/common.js';
import { CountBars } from '../overview/CountBars.js';
import { DailyChart } from '../overview/DailyChart.js';
import { ActivityList } from '../overview/ActivityList.js';
import { plural } from '../overview/plural.js';
import { useWorkspace } from './context.js';
import '../overview/overview.css';

const REFRESH_MS = 20_000;
const STATUS: Record<string, { label: string; color: string }> = {
  new: { label: 'New', color: '#1f6feb' },
  investigating: { label: 'Investigating', color: '#9e6a03' },
  confirmed: { label: 'Confirmed', color: '#da3633' },
  benign: { label: 'Benign', color: '#238636' },
  'false-positive': { label: 'False positive', color: '#636d7e' },
};
const HOST_ORDER = Object.keys(STATE_STYLE) as HostState[];

export function OverviewPanel() {
  const ws = useWorkspace();
  const members = useMembers(ws.id);
  const overview = useAsync(() => get<WorkspaceOverview>(`/api/workspaces/${ws.id}/overview`), [ws.id]);
  const { reload } = overview;
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  const o = overview.data;
  const teams = new Map<string, { team: Member['team']; count: number }>();
  for (const m of members.data ?? []) {
    const entry = teams.get(m.team.id) ?? { team: m.team, count: 0 };
    entry.count++;
    teams.set(m.team.id, entry);
  }
  return (
    <section className="stack overview">
      <div className="card">
        <h1 className="ws-title">{ws.name}</h1>
        {ws.description ? <p className="prewrap">{ws.description}</p> : <p className="muted">No description.</p>}
        <p className="muted">
          Default marking <TlpBadge level={ws.defaultTlp} /> · you are <strong>{ws.role}</strong> · started {new Date(ws.createdAt).toLocaleString()}
        </p>
      </div>
      <ErrorBanner error={overview.error} />
      {o && (
        <>
          <ul className="overview-stats" data-testid="overview-stats">
            <Stat testId="stat-indicators" value={o.indicators.total} label={o.indicators.total === 1 ? 'indicator' : 'indicators'} to="indicators" />
            <Stat testId="stat-confirmed" value={o.indicators.byStatus.find((s) => s.key === 'confirmed')?.count ?? 0} label="confirmed" to="indicators" />
            <Stat testId="stat-activity" value={o.activity.total} label={o.activity.total === 1 ? 'change in the last hour' : 'changes in the last hour'} />
            <Stat testId="stat-notes" value={o.documents.notes} label={o.documents.notes === 1 ? 'note' : 'notes'} to="notes" />
            <Stat testId="stat-whiteboards" value={o.documents.whiteboards} label={o.documents.whiteboards === 1 ? 'whiteboard' : 'whiteboards'} to="whiteboard" />
            {o.hunt && <Stat testId="stat-hosts" value={o.hunt.hosts.reduce((s, h) => s + h.count, 0)} label="hosts in scope" to="hunt" />}
          </ul>
          <div className="overview-grid">
            <div className="card overview-wide">
              <h2>Indicators added per day</h2>
              <DailyChart days={o.indicators.perDay} />
            </div>
            <div className="card">
              <h2>Last hour</h2>
              <p className="muted small" data-testid="overview-activity-summary">
                {plural(o.activity.total, 'change')}
                {o.activity.byTeam.length > 0 && ' by '}
                {o.activity.byTeam.map((t, i) => (
                  <span key={t.key}>
                    {i > 0 && ', '}
                    <TeamBadge team={t.team} /> {t.count}
                  </span>
                ))}
              </p>
              <ActivityList items={o.activity.recent} />
            </div>
            <div className="card">
              <h2>Indicators by status</h2>
              <CountBars
                testId="overview-by-status"
                items={o.indicators.byStatus.map((s) => ({ key: s.key, label: STATUS[s.key]?.label ?? s.key, count: s.count, color: STATUS[s.key]?.color }))}
              />
              <h2>By team</h2>
              <CountBars
                testId="overview-by-team"
                items={o.indicators.byTeam.map((t) => ({ key: t.key, label: `${t.team.code} · ${t.team.name}`, count: t.count, color: t.team.color }))}
              />
            </div>
            <div className="card">
              <h2>Indicators by type</h2>
              <CountBars testId="overview-by-type" items={o.indicators.byType.slice(0, 10).map((t) => ({ key: t.key, label: t.key, count: t.count }))} />
            </div>
            <div className="card">
              <h2>Top techniques</h2>
              {o.techniques.length === 0 ? (
                <p className="muted">No technique linked or marked yet.</p>
              ) : (
                <ol className="technique-list" data-testid="overview-techniques">
                  {o.techniques.map((t) => (
                    <li key={t.id}>
                      <Link to="attack" className="technique-id" title="Open the ATT&CK board">
                        {t.id}
                      </Link>{' '}
                      <span>{t.name}</span>
                      <span className="muted small"> · {plural(t.indicators, 'indicator')}</span>
                      {t.marks.map((m) => (
                        <span key={m.team} className={`mark-chip mark-${m.status}`} title={`${m.team}: ${m.status}`}>
                          {m.team} {m.status}
                        </span>
                      ))}
                    </li>
                  ))}
                </ol>
              )}
            </div>
            {o.hunt && (
              <div className="card">
                <h2>Hunt coverage</h2>
                <p className="muted small">
                  {plural(o.hunt.networks, 'network')} · {plural(o.hunt.findings, 'finding')}
                </p>
                <CountBars
                  testId="overview-hosts"
                  items={HOST_ORDER.map((s) => ({ key: s, label: STATE_STYLE[s].label, count: o.hunt!.hosts.find((h) => h.state === s)?.count ?? 0, color: STATE_STYLE[s].color }))}
                />
                <Link to="hunt" className="small">
                  Open the hunt operation
                </Link>
              </div>
            )}
            <div className="card">
              <h2>Online now</h2>
              {o.online.length === 0 ? (
                <p className="muted">Nobody else is connected.</p>
              ) : (
                <ul className="presence" data-testid="overview-online">
                  {o.online.map((p) => (
                    <li key={p.username} className="presence-chip" style={{ borderColor: p.team.color }} title={`${p.displayName} (${p.team.code})`}>
                      <span className="presence-dot" style={{ background: p.team.color }} aria-hidden />
                      {p.displayName} <span className="muted">{p.team.code}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
      <div className="card">
        <h2>Teams in this hunt</h2>
        <ul className="team-grid">
          {[...teams.values()].map(({ team, count }) => (
            <li key={team.id} className="team-tile" style={{ borderLeftColor: team.color }}>
              <TeamBadge team={team} />
              <span>{team.name}</span>
              <span className="muted">{plural(count, 'member')}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function Stat({ value, label, to, testId }: { value: number; label: string; to?: string; testId: string }) {
  const body = (
    <>
      <strong className="stat-value">{value.toLocaleString()}</strong>
      <span className="stat-label">{label}</span>
    </>
  );
  return (
    <li className="overview-stat" data-testid={testId}>
      {to ? <Link to={to}>{body}</Link> : body}
    </li>
  );
}
