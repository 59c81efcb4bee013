/**
 * The timeline across networks and teams: filters (network, host, team, technique, time range, text),
 * a virtualized list or the visual timeline with lanes per host or per team, and the chosen event's
 * detail. Another team's new event shows in its colour for a few seconds, in both views.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { TimelineEventView } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useWorkspace } from '../../workspaces/context.js';
import { canWrite, colorOf as teamColor, fromLocalInput, useTeams } from '../common.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';
import { filterTimeline, NO_TIMELINE_FILTERS, type TimelineFilters } from './filter.js';
import { TimelineList } from './TimelineList.js';
import { TimelineCanvas, type Lane } from './TimelineCanvas.js';
import { AddEventForm } from './AddEventForm.js';
import { TimelineImportDialog } from '../import/TimelineImportDialog.js';
import { EventDetail } from './EventDetail.js';

export function TimelinePage() {
  const ws = useWorkspace();
  const board = useHunt();
  const teams = useTeams();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState<TimelineFilters>({ ...NO_TIMELINE_FILTERS, network: params.get('network') ?? '' });
  const deferred = useDeferredValue(filters);
  const [view, setView] = useState<'visual' | 'list'>('visual');
  const [laneBy, setLaneBy] = useState<'host' | 'team'>('host');
  const [selected, setSelected] = useState<TimelineEventView>();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const readOnly = !canWrite(ws.role);
  // Another team's new events fade after a few seconds: `now` moves each second while any is showing.
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => board.store.highlights.size > 0 && setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [board.store]);

  const allNetworks = useHuntList('network');
  const networks = useMemo(() => [...allNetworks].sort((a, b) => a.name.localeCompare(b.name)), [allNetworks]);
  const hosts = useHuntList('host');
  const hostNames = useMemo(() => new Map(hosts.map((h) => [h.id, h.hostname || h.addresses[0] || h.id])), [hosts]);
  const all = useHuntList('timeline');
  const techniques = useMemo(() => [...new Set(all.flatMap((e) => e.techniques))].sort(), [all]);
  const eventTeams = useMemo(() => [...new Set(all.map((e) => e.team.code))].sort(), [all]);
  const events = useMemo(() => filterTimeline(all, deferred, hostNames), [all, deferred, hostNames]);
  const set = (k: keyof TimelineFilters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));

  const hostName = useCallback((id: string | null) => (id ? (hostNames.get(id) ?? 'hidden host') : '—'), [hostNames]);
  const laneOf = useCallback(
    (e: TimelineEventView): Lane => (laneBy === 'team' ? { key: e.team.code, label: e.team.code } : { key: e.hostId ?? '', label: hostName(e.hostId) }),
    [laneBy, hostName],
  );
  const colorOf = useCallback((e: TimelineEventView) => teamColor(teams.byId, e.team.id), [teams.byId]);
  const freshBy = useCallback(
    (id: string) => {
      const h = board.store.highlights.get(id);
      return h && h.until >= now ? h.by : undefined;
    },
    [board.store, now],
  );
  // Only while another team's events are fresh does the canvas look each event up.
  const anyFresh = board.store.highlights.size > 0;
  const isFresh = useMemo(() => (anyFresh ? (id: string) => !!freshBy(id) : undefined), [anyFresh, freshBy]);
  // The chosen event as the store has it now: an edit (here or by another team) shows at once, a delete closes it.
  const selectedNow = selected && board.store.items.timeline.get(selected.id);
  const hostsOfNetwork = useMemo(() => hosts.filter((h) => !filters.network || h.networkId === filters.network), [hosts, filters.network]);

  return (
    <section className="hunt-page tl-page">
      <div className="page-head">
        <h1>Timeline</h1>
        <span className="muted" data-testid="tl-count">
          {events.length.toLocaleString('en')} shown of {all.length.toLocaleString('en')}
        </span>
        <span className="spacer" />
        {!readOnly && (
          <button className="btn" onClick={() => setAdding((a) => !a)} data-testid="event-add">
            Add event
          </button>
        )}
        {!readOnly && (
          <button className="btn" onClick={() => setImporting(true)} data-testid="event-import">
            Import CSV
          </button>
        )}
      </div>
      {adding && (
        <AddEventForm
          hosts={hostsOfNetwork}
          onDone={(m) => {
            setNotice(m);
            setAdding(false);
          }}
        />
      )}
      {importing && <TimelineImportDialog hosts={hosts} onClose={() => setImporting(false)} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBanner error={undefined} />
      <div className="filters tl-filters" role="search">
        <input
          type="search"
          placeholder="Search descriptions, sources, hosts…"
          aria-label="Search the timeline"
          value={filters.q}
          onChange={(e) => set('q')(e.target.value)}
          data-testid="tl-search"
        />
        <select
          aria-label="Filter by network"
          value={filters.network}
          onChange={(e) => setFilters((f) => ({ ...f, network: e.target.value, host: '' }))}
          data-testid="tl-filter-network"
        >
          <option value="">Network: all</option>
          {networks.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
        <select aria-label="Filter by host" value={filters.host} onChange={(e) => set('host')(e.target.value)} data-testid="tl-filter-host">
          <option value="">Host: all</option>
          {hostsOfNetwork.map((h) => (
            <option key={h.id} value={h.id}>
              {hostName(h.id)}
            </option>
          ))}
        </select>
        <select aria-label="Filter by team" value={filters.team} onChange={(e) => set('team')(e.target.value)} data-testid="tl-filter-team">
          <option value="">Team: all</option>
          {eventTeams.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <input
          list="tl-techniques"
          placeholder="Technique"
          aria-label="Filter by technique"
          value={filters.technique}
          onChange={(e) => set('technique')(e.target.value)}
          size={9}
          data-testid="tl-filter-technique"
        />
        <datalist id="tl-techniques">
          {techniques.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <label className="small">
          From <input type="datetime-local" step={1} aria-label="From (your time)" onChange={(e) => set('from')(fromLocalInput(e.target.value) ?? '')} data-testid="tl-from" />
        </label>
        <label className="small">
          To <input type="datetime-local" step={1} aria-label="To (your time)" onChange={(e) => set('to')(fromLocalInput(e.target.value) ?? '')} data-testid="tl-to" />
        </label>
        <div className="seg" role="group" aria-label="View">
          <button className={`btn small ${view === 'visual' ? 'on' : ''}`} aria-pressed={view === 'visual'} onClick={() => setView('visual')} data-testid="tl-view-visual">
            Visual
          </button>
          <button className={`btn small ${view === 'list' ? 'on' : ''}`} aria-pressed={view === 'list'} onClick={() => setView('list')} data-testid="tl-view-list">
            List
          </button>
        </div>
        {view === 'visual' && (
          <div className="seg" role="group" aria-label="Lanes">
            <button className={`btn small ${laneBy === 'host' ? 'on' : ''}`} aria-pressed={laneBy === 'host'} onClick={() => setLaneBy('host')}>
              Lanes: hosts
            </button>
            <button className={`btn small ${laneBy === 'team' ? 'on' : ''}`} aria-pressed={laneBy === 'team'} onClick={() => setLaneBy('team')} data-testid="tl-lanes-team">
              Lanes: teams
            </button>
          </div>
        )}
      </div>
      {view === 'visual' ? (
        <TimelineCanvas events={events} laneOf={laneOf} colorOf={colorOf} isFresh={isFresh} onSelect={setSelected} selectedId={selected?.id} />
      ) : (
        <TimelineList events={events} hostName={hostName} colorOf={colorOf} freshBy={freshBy} selectedId={selected?.id} onSelect={setSelected} />
      )}
      {selectedNow && <EventDetail key={selectedNow.id} event={selectedNow} hosts={hosts} hostName={hostName} onClose={() => setSelected(undefined)} />}
    </section>
  );
}
