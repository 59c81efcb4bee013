/**
 * The ATT&CK board: the matrix of a domain with tactics as columns, every team's marks in its colour,
 * the number of linked indicators on each technique, search, a detail panel to set your team's mark,
 * and the intrusion sets whose techniques overlap most with what the hunt observed.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ATTACK_DOMAINS, rankGroups, type AttackDomain, type AttackTechnique, type Mark, type TitledDocument } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { useOpenItem } from '../../lib/useOpenItem.js';
import { ErrorBanner } from '../../components/forms.js';
import { DocMarking } from '../../components/DocMarking.js';
import { useWorkspace } from '../workspaces/context.js';
import { useIndicatorBoard } from '../indicators/useIndicatorBoard.js';
import { useAttackIndex, useMarks, useTeams } from './useBoard.js';
import { TechniquePanel } from './TechniquePanel.js';
import './attack.css';

export function AttackPage() {
  const ws = useWorkspace();
  const board = useAsync(() => get<TitledDocument>(`/api/workspaces/${ws.id}/attack/board`), [ws.id]);
  if (board.error) return <ErrorBanner error={board.error} />;
  if (!board.data) return <p className="muted">Loading the ATT&CK board…</p>;
  return <Matrix board={board.data} onMarkingChanged={board.reload} />;
}

function Matrix({ board, onMarkingChanged }: { board: TitledDocument; onMarkingChanged: () => void }) {
  const docId = board.docId;
  const ws = useWorkspace();
  const account = useAccount();
  const [domain, setDomain] = useState<AttackDomain>('enterprise-attack');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useOpenItem();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const index = useAttackIndex(domain);
  const teams = useTeams();
  const { marks, setMark, status } = useMarks(docId, account);
  const indicators = useIndicatorBoard(ws.id, account);
  const readOnly = ws.role === 'observer';

  const byTechnique = useMemo(() => {
    const m = new Map<string, Mark[]>();
    for (const mark of marks) m.set(mark.techniqueId, [...(m.get(mark.techniqueId) ?? []), mark]);
    return m;
  }, [marks]);
  const linked = useMemo(() => {
    const counts = new Map<string, number>();
    for (const v of indicators.rows) for (const t of v.techniques) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  }, [indicators.rows]);
  const data = index.data;
  const q = query.trim().toLowerCase();
  const matches = (t: AttackTechnique) => !q || t.id.toLowerCase().includes(q) || t.name.toLowerCase().includes(q);
  const subsOf = useMemo(() => {
    const m = new Map<string, AttackTechnique[]>();
    for (const t of data?.techniques ?? []) if (t.parent) m.set(t.parent, [...(m.get(t.parent) ?? []), t]);
    return m;
  }, [data]);
  const overlap = useMemo(() => {
    const observed = marks.filter((m) => m.status === 'observed').map((m) => m.techniqueId);
    return data ? rankGroups(data.groups, observed, 8) : [];
  }, [data, marks]);
  const openTechnique = data?.techniques.find((t) => t.id === open);

  const cell = (t: AttackTechnique, sub = false) => {
    const ms = byTechnique.get(t.id) ?? [];
    const n = linked.get(t.id) ?? 0;
    const subs = subsOf.get(t.id) ?? [];
    return (
      <div key={`${t.id}-${sub}`} className={`tech ${sub ? 'sub' : ''} ${ms.length ? 'marked' : ''} ${open === t.id ? 'open' : ''}`} data-testid={`tech-${t.id}`}>
        <button className="tech-name" onClick={() => setOpen(t.id)} title={t.description}>
          <span className="mono small muted">{t.id}</span> {t.name}
        </button>
        <div className="tech-meta">
          {ms.map((m) => (
            <span
              key={m.team}
              className={`mark mark-${m.status}`}
              style={{ borderColor: teams.data?.get(m.team)?.color, color: teams.data?.get(m.team)?.color }}
              title={`${m.team}: ${m.status}${m.comment ? ` - ${m.comment}` : ''}`}
            >
              {m.team}
            </span>
          ))}
          {!sub && !expanded.has(t.id) && subs.some((s) => byTechnique.has(s.id)) && (
            <span className="mark sub-marked" title="Sub-techniques of this one are marked">
              {subs.filter((s) => byTechnique.has(s.id)).length} sub ●
            </span>
          )}
          {n > 0 && (
            <Link className="ioc-count" to={`/w/${ws.id}/indicators?q=${t.id}`} title={`${n} linked indicators`}>
              ◈ {n}
            </Link>
          )}
          {!sub && subs.length > 0 && (
            <button
              className="expand"
              aria-expanded={expanded.has(t.id)}
              aria-label={`Sub-techniques of ${t.id}`}
              onClick={() =>
                setExpanded((e) => {
                  const x = new Set(e);
                  if (x.has(t.id)) x.delete(t.id);
                  else x.add(t.id);
                  return x;
                })
              }
            >
              {expanded.has(t.id) ? '−' : `+${subs.length}`}
            </button>
          )}
        </div>
        {!sub && (expanded.has(t.id) || (q && subs.some(matches))) && subs.filter((s) => !q || matches(s) || matches(t)).map((s) => cell(s, true))}
      </div>
    );
  };

  return (
    <section className="attack-page">
      <div className="page-head">
        <h1>ATT&CK</h1>
        <select aria-label="ATT&CK domain" value={domain} onChange={(e) => setDomain(e.target.value as AttackDomain)} data-testid="attack-domain">
          {ATTACK_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {d.replace('-attack', '')}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Search id or name (T1059, PowerShell)…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search techniques"
          data-testid="attack-search"
        />
        <span className={`conn conn-${status.link === 'synced' ? 'ok' : status.link === 'syncing' ? 'busy' : 'bad'}`} data-testid="attack-status">
          {status.closed ? `Closed by the server: ${status.closed}` : status.link === 'synced' ? 'Live' : status.link}
        </span>
        <DocMarking doc={board} path={`/api/workspaces/${ws.id}/attack/board`} account={account} role={ws.role} onChanged={onMarkingChanged} ownersOnly />
        {data && <span className="muted small">ATT&CK v{data.version} · © MITRE</span>}
      </div>
      <ErrorBanner error={index.error} />
      <div className={`attack-body ${openTechnique ? 'with-side' : ''}`}>
        <div className="matrix" data-testid="attack-matrix" data-handoff-scroll>
          {data?.tactics.map((tactic) => {
            const techs = data.techniques.filter((t) => !t.parent && t.tactics.includes(tactic.shortname) && (matches(t) || (subsOf.get(t.id) ?? []).some(matches)));
            return (
              <div key={tactic.id} className="tactic">
                <h3 title={tactic.id}>
                  {tactic.name} <span className="muted small">{techs.length}</span>
                </h3>
                {techs.map((t) => cell(t))}
              </div>
            );
          })}
        </div>
        {openTechnique ? (
          <TechniquePanel
            technique={openTechnique}
            marks={byTechnique.get(openTechnique.id) ?? []}
            linked={linked.get(openTechnique.id) ?? 0}
            myTeam={account.team.code}
            readOnly={readOnly}
            onSave={(m) => setMark(openTechnique.id, m)}
            onClose={() => setOpen(undefined)}
            workspaceId={ws.id}
          />
        ) : (
          <aside className="card overlap" data-testid="group-overlap">
            <h2>Groups like this hunt</h2>
            {overlap.length === 0 && <p className="muted small">Mark techniques as observed to see which intrusion sets use them.</p>}
            <ol className="plain-list">
              {overlap.map((o) => (
                <li key={o.group.id}>
                  <strong>{o.group.name}</strong>{' '}
                  <span className="muted small">
                    {o.group.id} · {o.shared.length} shared ({Math.round(o.coverage * 100)}% of its known)
                  </span>
                  <div className="small mono">{o.shared.join(', ')}</div>
                </li>
              ))}
            </ol>
          </aside>
        )}
      </div>
    </section>
  );
}
