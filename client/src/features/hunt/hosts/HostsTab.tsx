/**
 * The hosts of a network: search and state filter, add by hand or paste a list, the virtualized table
 * (state changes from the keyboard) and the open host's detail with its history and findings.
 */
import { useDeferredValue, useEffect, useMemo, useReducer, useState } from 'react';
import { HOST_STATES, type HostState, type HostView, type NetworkView } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useOpenItem } from '../../../lib/useOpenItem.js';
import { useWorkspace } from '../../workspaces/context.js';
import { canWrite, STATE_STYLE, useCommand, useNarrow } from '../common.js';
import { useHunt } from '../useHuntBoard.js';
import { HostTable } from './HostTable.js';
import { HostDetail } from './HostDetail.js';
import { AddHostForm } from './AddHostForm.js';
import { PasteHostsForm } from './PasteHostsForm.js';
import { HostsImportDialog } from '../import/HostsImportDialog.js';

export function HostsTab({ network, hosts }: { network: NetworkView; hosts: HostView[] }) {
  const ws = useWorkspace();
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const [q, setQ] = useState('');
  const [state, setState] = useState<HostState | ''>('');
  const [adding, setAdding] = useState<'one' | 'paste' | 'import'>();
  const [notice, setNotice] = useState<string>();
  const [openId, setOpenId] = useOpenItem();
  const readOnly = !canWrite(ws.role);
  const query = useDeferredValue(q.trim().toLowerCase());
  // Other teams' flashes fade after a few seconds: redraw while any is showing.
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(() => board.store.highlights.size > 0 && tick(), 1_000);
    return () => clearInterval(timer);
  }, [board.store]);

  const rows = useMemo(
    () =>
      hosts
        .filter((h) => (!state || h.state === state) && (!query || [h.hostname, h.os, h.role, ...h.addresses].join(' ').toLowerCase().includes(query)))
        .sort((a, b) => (a.hostname || a.addresses[0] || '').localeCompare(b.hostname || b.addresses[0] || '')),
    [hosts, state, query],
  );
  const setHostState = (h: HostView, to: HostState) => {
    if (h.state !== to) void run('host:update', { id: h.id, state: to });
  };
  const open = openId ? board.store.items.host.get(openId) : undefined;
  const narrow = useNarrow();

  return (
    <>
      <div className="filters" role="search">
        <input type="search" placeholder="Search name, address, OS…" aria-label="Search hosts" value={q} onChange={(e) => setQ(e.target.value)} data-testid="host-search" />
        <select aria-label="Filter by state" value={state} onChange={(e) => setState(e.target.value as HostState | '')} data-testid="host-filter-state">
          <option value="">State: all</option>
          {HOST_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_STYLE[s].label}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="host-count">
          {rows.length} shown of {hosts.length}
        </span>
        <span className="spacer" />
        {!readOnly && (
          <>
            <button className="btn" onClick={() => setAdding(adding === 'one' ? undefined : 'one')} data-testid="host-add">
              Add host
            </button>
            <button className="btn" onClick={() => setAdding(adding === 'paste' ? undefined : 'paste')} data-testid="host-paste">
              Paste list
            </button>
            <button className="btn" onClick={() => setAdding('import')} data-testid="host-import">
              Import CSV / nmap
            </button>
          </>
        )}
      </div>
      {adding === 'one' && <AddHostForm network={network} onDone={setNotice} />}
      {adding === 'paste' && <PasteHostsForm network={network} onDone={setNotice} />}
      {adding === 'import' && <HostsImportDialog network={network} hosts={hosts} onClose={() => setAdding(undefined)} />}
      {notice && (
        <p className="notice" role="status" data-testid="host-notice">
          {notice}
        </p>
      )}
      <ErrorBanner error={error} />
      {!readOnly && <p className="muted small hunt-keys">Keyboard: ↑/↓ move, Enter opens, 1 not examined · 2 clean · 3 suspicious · 4 compromised · 5 remediated.</p>}
      <div className={`hunt-body ${open ? 'with-side' : ''}`}>
        <HostTable rows={rows} onOpen={setOpenId} openId={openId} onState={readOnly ? undefined : setHostState} compact={!!open || narrow} />
        {open && <HostDetail key={open.id} host={open} onClose={() => setOpenId(undefined)} onState={readOnly ? undefined : (to) => setHostState(open, to)} />}
      </div>
    </>
  );
}
