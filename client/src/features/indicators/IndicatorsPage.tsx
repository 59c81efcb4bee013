/**
 * The live indicator board: filters and search over every visible indicator, a table or a board by
 * status, bulk edit of a selection, a detail panel, hand entry and paste/import.
 */
import { useDeferredValue, useEffect, useMemo, useReducer, useState } from 'react';
import { useSearchParams } from 'react-router';
import { INDICATOR_STATUSES, TLP_LEVELS, type IndicatorStatus } from '@huntroom/shared';
import { useAccount } from '../../lib/session.js';
import { useOpenItem } from '../../lib/useOpenItem.js';
import { ErrorBanner } from '../../components/forms.js';
import { useWorkspace } from '../workspaces/context.js';
import { useIndicatorBoard } from './useIndicatorBoard.js';
import { facets, filterAndSort, NO_FILTERS, type Filters, type Sort, type SortKey } from './filter.js';
import { IndicatorTable } from './IndicatorTable.js';
import { StatusBoard } from './StatusBoard.js';
import { DetailPanel } from './DetailPanel.js';
import { AddIndicatorForm } from './AddIndicatorForm.js';
import { ImportDialog } from './ImportDialog.js';
import { ackError } from './commands.js';
import { EmptyState } from '../../components/EmptyState.js';
import { BulkBar } from './BulkBar.js';
import './indicators.css';

export function IndicatorsPage() {
  const ws = useWorkspace();
  const account = useAccount();
  const board = useIndicatorBoard(ws.id, account);
  // Other areas link here with ?q= (e.g. the ATT&CK board's linked-indicator counts).
  const [params] = useSearchParams();
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, q: params.get('q') ?? '' });
  const deferred = useDeferredValue(filters);
  const [sort, setSort] = useState<Sort>({ key: 'lastSeen', desc: true });
  const [view, setView] = useState<'table' | 'board'>('table');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [lastClicked, setLastClicked] = useState<string>();
  const [openId, setOpenId] = useOpenItem();
  const [defanged, setDefanged] = useState(true);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  // Observers read: no selection, no bulk actions, no add or import (the server refuses them anyway).
  const readOnly = ws.role === 'observer';
  // Flashes of other teams' changes fade after a few seconds: redraw while any is showing.
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(() => board.store.highlights.size > 0 && tick(), 1_000);
    return () => clearInterval(timer);
  }, [board.store]);

  const rows = useMemo(() => filterAndSort(board.rows, deferred, sort), [board.rows, deferred, sort]);
  const menu = useMemo(() => facets(board.rows), [board.rows]);
  const existingKeys = useMemo(() => new Set(board.rows.map((v) => `${v.type}|${v.value}`)), [board.rows]);
  const set = (k: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [k]: value }));
  // A row a filter hides (or another team deletes) leaves the selection: a bulk action acts only on rows in sight.
  useEffect(() => {
    setSelected((s) => {
      if (!s.size) return s;
      const shown = new Set(rows.map((r) => r.id));
      return [...s].every((id) => shown.has(id)) ? s : new Set([...s].filter((id) => shown.has(id)));
    });
  }, [rows]);
  const onToggleAll = (all: boolean) => setSelected(all ? new Set(rows.map((r) => r.id)) : new Set());

  const onSort = (key: SortKey) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }));
  function onToggle(id: string, shift: boolean) {
    const next = new Set(selected);
    if (shift && lastClicked) {
      const a = rows.findIndex((r) => r.id === lastClicked);
      const b = rows.findIndex((r) => r.id === id);
      for (const r of rows.slice(Math.min(a, b), Math.max(a, b) + 1)) next.add(r.id);
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
    setLastClicked(id);
  }

  async function run(type: string, payload: Record<string, unknown>) {
    setError(undefined);
    const ack = await board.command(type, payload);
    if (!ack.ok) setError(ackError(ack));
    return ack.ok;
  }
  const move = (id: string, status: IndicatorStatus) => void run('indicator:update', { id, status });

  return (
    <section className="ioc-page">
      <div className="page-head">
        <h1>Indicators</h1>
        <span className="muted" data-testid="indicator-count">
          {rows.length} shown of {board.store.rows.size}
        </span>
        {board.pending > 0 && <span className="waiting-badge">{board.pending} waiting to send</span>}
        <span className="spacer" />
        {!readOnly && (
          <button className="btn" onClick={() => setAdding((a) => !a)} data-testid="add-indicator">
            Add
          </button>
        )}
        {!readOnly && (
          <button className="btn primary" onClick={() => setImporting(true)} data-testid="import-open">
            Paste / import
          </button>
        )}
      </div>
      {adding && <AddIndicatorForm board={board} defaultTlp={ws.defaultTlp} onDone={setNotice} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBanner error={error} />
      <div className="filters" role="search">
        <input
          type="search"
          placeholder="Search values, tags, sources…"
          aria-label="Search indicators"
          value={filters.q}
          onChange={(e) => set('q')(e.target.value)}
          data-testid="indicator-search"
        />
        <Select label="Type" value={filters.type} options={menu.types} onChange={set('type')} />
        <Select label="Status" value={filters.status} options={[...INDICATOR_STATUSES]} onChange={set('status')} />
        <Select label="Team" value={filters.team} options={menu.teams} onChange={set('team')} />
        <Select label="TLP" value={filters.tlp} options={[...TLP_LEVELS]} onChange={set('tlp')} />
        <Select label="Tag" value={filters.tag} options={menu.tags} onChange={set('tag')} />
        <label className="toggle">
          <input type="checkbox" checked={defanged} onChange={(e) => setDefanged(e.target.checked)} /> Defanged
        </label>
        <div className="seg" role="group" aria-label="View">
          <button className={`btn small ${view === 'table' ? 'on' : ''}`} aria-pressed={view === 'table'} onClick={() => setView('table')}>
            Table
          </button>
          <button className={`btn small ${view === 'board' ? 'on' : ''}`} aria-pressed={view === 'board'} onClick={() => setView('board')} data-testid="view-board">
            Board
          </button>
        </div>
      </div>
      {selected.size > 0 && !readOnly && (
        <BulkBar
          ids={[...selected]}
          ownTeam={account.team.code}
          mayDelete={ws.role === 'owner'}
          defaultTlp={ws.defaultTlp}
          command={board.command}
          onDone={(message) => (setError(undefined), setNotice(message))}
          onError={(ack) => (setNotice(undefined), setError(ackError(ack)))}
          onClear={() => setSelected(new Set())}
        />
      )}
      {board.store.loaded && board.store.rows.size === 0 && (
        <EmptyState
          title="No indicators yet"
          testId="indicators-empty"
          actions={
            !readOnly && (
              <>
                <button className="btn primary" onClick={() => setImporting(true)}>
                  Paste or import
                </button>
                <button className="btn" onClick={() => setAdding(true)}>
                  Add one
                </button>
              </>
            )
          }
        >
          {readOnly
            ? 'Indicators the hunt teams add and share with your team appear here, live.'
            : 'Paste a report, tool output or an e-mail and the values in it are found for you, or import CSV, STIX 2.1, MISP JSON or a Navigator layer.'}
        </EmptyState>
      )}
      <div className={`ioc-body ${openId ? 'with-side' : ''}`}>
        {view === 'table' ? (
          <IndicatorTable
            rows={rows}
            store={board.store}
            sort={sort}
            onSort={onSort}
            selected={selected}
            onToggle={onToggle}
            onToggleAll={onToggleAll}
            selectable={!readOnly}
            onOpen={setOpenId}
            openId={openId}
            defanged={defanged}
            compact={!!openId}
          />
        ) : (
          <StatusBoard rows={rows} onMove={move} onOpen={setOpenId} defanged={defanged} readOnly={readOnly} />
        )}
        {openId && <DetailPanel key={openId} workspaceId={ws.id} id={openId} board={board} onClose={() => setOpenId(undefined)} readOnly={readOnly} />}
      </div>
      {importing && <ImportDialog existingKeys={existingKeys} defaultTlp={ws.defaultTlp} onClose={() => setImporting(false)} />}
    </section>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <select aria-label={`Filter by ${label}`} value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${label.toLowerCase()}`}>
      <option value="">{label}: all</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}
