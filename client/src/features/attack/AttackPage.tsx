/**
 * The ATT&CK board: the matrix of a domain with tactics as columns (compact, all tactics on one screen,
 * or detailed), every team's marks live as a heat map (hue by status, depth by score, per team or
 * combined) with a legend and filters, the number of linked indicators, search, a panel to read a
 * technique and set your team's mark, Navigator layer export and import, and the intrusion sets whose
 * techniques overlap most with what the hunt observed.
 */
import { useEffect, useMemo, useState } from 'react';
import { ATTACK_DOMAINS, rankGroups, type AttackDomain, type MarkStatus, type TitledDocument } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { useAsync } from '../../lib/useAsync.js';
import { useAccount } from '../../lib/session.js';
import { useOpenItem } from '../../lib/useOpenItem.js';
import { ErrorBanner } from '../../components/forms.js';
import { DocLoadingNotice } from '../../components/DocLoadingNotice.js';
import { DocMarking } from '../../components/DocMarking.js';
import { useWorkspace } from '../workspaces/context.js';
import { useIndicatorBoard } from '../indicators/useIndicatorBoard.js';
import { useAttackIndex, useMarks, useTeams } from './useBoard.js';
import { TechniquePanel } from './TechniquePanel.js';
import { GroupOverlap } from './GroupOverlap.js';
import { HeatControls } from './HeatControls.js';
import { LayerTransfer } from './LayerTransfer.js';
import { MatrixView, type MatrixMode } from './MatrixView.js';
import { buildColumns, subTechniques } from './matrixModel.js';
import { marksByTechnique, shownMarks, type HeatSource } from './heat.js';
import './attack.css';

const MODE_KEY = 'huntroom.attack.mode';

export function AttackPage() {
  const ws = useWorkspace();
  const board = useAsync(() => get<TitledDocument>(`/api/workspaces/${ws.id}/attack/board`), [ws.id]);
  if (board.error) return <ErrorBanner error={board.error} />;
  if (!board.data) return <p className="muted">Loading the ATT&CK board…</p>;
  return <Board board={board.data} onMarkingChanged={board.reload} />;
}

const toggled = <T,>(set: ReadonlySet<T>, v: T): Set<T> => {
  const next = new Set(set);
  if (next.has(v)) next.delete(v);
  else next.add(v);
  return next;
};

function Board({ board, onMarkingChanged }: { board: TitledDocument; onMarkingChanged: () => void }) {
  const ws = useWorkspace();
  const account = useAccount();
  const [domain, setDomain] = useState<AttackDomain>('enterprise-attack');
  const [mode, setMode] = useState<MatrixMode>(() => (localStorage.getItem(MODE_KEY) === 'detailed' ? 'detailed' : 'compact'));
  const [query, setQuery] = useState('');
  const [open, setOpen] = useOpenItem();
  const [showGroups, setShowGroups] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [heat, setHeat] = useState<HeatSource>({ kind: 'combined' });
  const [hiddenTeams, setHiddenTeams] = useState<ReadonlySet<string>>(new Set());
  const [hiddenStatuses, setHiddenStatuses] = useState<ReadonlySet<MarkStatus>>(new Set());
  const [markedOnly, setMarkedOnly] = useState(false);
  const [activeKey, setActiveKey] = useState<string>();
  const [toolsOpen, setToolsOpen] = useState(false);
  const index = useAttackIndex(domain);
  const teams = useTeams();
  const { marks, setMark, status } = useMarks(board.docId, account);
  const indicators = useIndicatorBoard(ws.id, account);
  const readOnly = ws.role === 'observer';
  // A mark set on the empty copy of a board not yet loaded would race the team's existing mark for the
  // same technique (one Yjs map key) and one of the two would silently win: marking waits for the load,
  // and so does a layer import, whose confirmation counts the marks it replaces on the loaded board.
  const canMark = !readOnly && status.loaded;
  const data = index.data;

  useEffect(() => localStorage.setItem(MODE_KEY, mode), [mode]);

  const allByTechnique = useMemo(() => marksByTechnique(marks), [marks]);
  const byTechnique = useMemo(() => marksByTechnique(shownMarks(marks, { hiddenTeams, hiddenStatuses })), [marks, hiddenTeams, hiddenStatuses]);
  const linked = useMemo(() => {
    const counts = new Map<string, number>();
    for (const v of indicators.rows) for (const t of v.techniques) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  }, [indicators.rows]);
  const subsOf = useMemo(() => subTechniques(data), [data]);
  const columns = useMemo(
    () => (data ? buildColumns(data, subsOf, { query, expanded, markedOnly, isMarked: (id) => byTechnique.has(id) }) : []),
    [data, subsOf, query, expanded, markedOnly, byTechnique],
  );
  const overlap = useMemo(() => {
    const observed = marks.filter((m) => m.status === 'observed').map((m) => m.techniqueId);
    return data ? rankGroups(data.groups, observed, 8) : [];
  }, [data, marks]);
  const openTechnique = data?.techniques.find((t) => t.id === open);
  const teamList = useMemo(() => [...(teams.data?.values() ?? [])], [teams.data]);

  const openById = (id: string) => {
    if (!data?.techniques.some((t) => t.id === id)) return false;
    setOpen(id);
    return true;
  };
  const closeSide = () => {
    setOpen(undefined);
    setShowGroups(false);
    // Back to the cell the panel was opened from, so the keyboard carries on where it was.
    if (activeKey) document.querySelector<HTMLElement>(`[data-cell="${activeKey}"]`)?.focus();
  };
  const sideOpen = !!openTechnique || showGroups;
  useEffect(() => {
    if (!sideOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) closeSide();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const toggleSubs = (id: string, to?: boolean) =>
    setExpanded((e) => {
      const isOpen = columns.some((c) => c.rows.some((r) => r.technique.id === id && r.expanded));
      const want = to ?? !isOpen;
      const next = new Set(e);
      if (want) next.add(id);
      else next.delete(id);
      return next;
    });

  const side = openTechnique ? (
    <TechniquePanel
      technique={openTechnique}
      marks={allByTechnique.get(openTechnique.id) ?? []}
      linked={linked.get(openTechnique.id) ?? 0}
      myTeam={account.team.code}
      readOnly={!canMark}
      loaded={status.loaded}
      parent={data?.techniques.find((t) => t.id === openTechnique.parent)}
      subs={subsOf.get(openTechnique.id) ?? []}
      teamColor={(code) => teams.data?.get(code)?.color}
      onOpen={openById}
      onSave={(m) => setMark(openTechnique.id, m)}
      onClose={closeSide}
      workspaceId={ws.id}
    />
  ) : mode === 'detailed' || showGroups ? (
    <GroupOverlap overlap={overlap} onClose={showGroups ? closeSide : undefined} />
  ) : null;

  return (
    <section className={`attack-page mode-${mode}`}>
      <div className="page-head attack-head">
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
        <div className="segmented" role="group" aria-label="Matrix layout">
          {(['compact', 'detailed'] as const).map((m) => (
            <button key={m} className="chip" aria-pressed={mode === m} onClick={() => setMode(m)} data-testid={`mode-${m}`}>
              {m}
            </button>
          ))}
        </div>
        {mode === 'compact' && (
          <button className="chip" aria-pressed={showGroups} onClick={() => (setOpen(undefined), setShowGroups((v) => !v))} data-testid="show-groups">
            Groups like this hunt{overlap.length ? ` (${overlap.length})` : ''}
          </button>
        )}
        <span className={`conn conn-${status.link === 'synced' ? 'ok' : status.link === 'syncing' ? 'busy' : 'bad'}`} data-testid="attack-status">
          {status.closed ? `Closed by the server: ${status.closed}` : status.link === 'synced' ? 'Live' : status.link}
        </span>
        <DocMarking doc={board} path={`/api/workspaces/${ws.id}/attack/board`} account={account} role={ws.role} onChanged={onMarkingChanged} ownersOnly />
        <button className="chip tools-toggle" aria-expanded={toolsOpen} aria-controls="attack-tools" onClick={() => setToolsOpen((v) => !v)}>
          Heat map, filters, layers
        </button>
      </div>
      <div className={`attack-tools ${toolsOpen ? '' : 'collapsed'}`} id="attack-tools">
        <HeatControls
          teams={teamList}
          heat={heat}
          onHeat={setHeat}
          hiddenTeams={hiddenTeams}
          onToggleTeam={(code) => setHiddenTeams((s) => toggled(s, code))}
          hiddenStatuses={hiddenStatuses}
          onToggleStatus={(s) => setHiddenStatuses((h) => toggled(h, s))}
          markedOnly={markedOnly}
          onMarkedOnly={setMarkedOnly}
        />
        <LayerTransfer
          workspaceId={ws.id}
          domain={domain}
          exportTeam={heat.kind === 'team' ? heat.team : undefined}
          canImport={canMark}
          isOwner={ws.role === 'owner'}
          myTeam={account.team.code}
          teams={teamList}
          marksOf={(team) => marks.filter((m) => m.team === team).length}
          onImported={setDomain}
        />
        {data && <span className="muted small attack-version">ATT&CK v{data.version} · © MITRE</span>}
      </div>
      <ErrorBanner error={index.error ?? teams.error} />
      <DocLoadingNotice status={status} what="ATT&CK board" />
      <div className={`attack-body ${side ? 'with-side' : ''}`}>
        <MatrixView
          mode={mode}
          columns={columns}
          byTechnique={byTechnique}
          subMarks={(id) => (subsOf.get(id) ?? []).flatMap((s) => byTechnique.get(s.id) ?? [])}
          heat={heat}
          teams={teams.data}
          linked={linked}
          workspaceId={ws.id}
          openId={openTechnique?.id}
          activeKey={activeKey}
          onActivate={setActiveKey}
          onOpen={(id, key) => (setActiveKey(key), setShowGroups(false), setOpen(id))}
          onToggle={toggleSubs}
        />
        {side && <div className="attack-side">{side}</div>}
      </div>
    </section>
  );
}
