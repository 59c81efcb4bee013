/** The findings on a host, newest first, each opening to its description, links and samples. */
import { useMemo, useState } from 'react';
import type { FindingView, HostView } from '@huntroom/shared';
import { TlpBadge } from '../../../components/badges.js';
import { useWorkspace } from '../../workspaces/context.js';
import { canWrite, colorOf, useCommand, useTeams, when } from '../common.js';
import { ErrorBanner } from '../../../components/forms.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';
import { FindingForm } from './FindingForm.js';
import { SamplesList } from './SamplesList.js';

export function FindingsSection({ host }: { host: HostView }) {
  const ws = useWorkspace();
  const board = useHunt();
  const teams = useTeams();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string>();
  const { run, error } = useCommand(board.command);
  const [added, setAdded] = useState<string>();
  // A finding onto the timeline: now, on its host, with its techniques and its own marking (an event
  // may be no wider than the finding it refers to).
  async function toTimeline(f: FindingView) {
    const r = await run('timeline:create', {
      at: new Date().toISOString(),
      sourceTimeZone: 'UTC',
      hostId: f.hostId,
      description: `Finding: ${f.title}`,
      source: 'finding',
      findingIds: [f.id],
      indicatorIds: f.indicatorIds,
      techniques: f.techniques,
      tlp: f.tlp,
      releasableTo: f.releasableTo,
    });
    if (r) setAdded(f.id);
  }
  const readOnly = !canWrite(ws.role);
  const all = useHuntList('finding');
  const findings = useMemo(() => all.filter((f) => f.hostId === host.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [all, host.id]);

  return (
    <section className="findings" data-testid="findings">
      <div className="side-head">
        <h3>Findings ({findings.length})</h3>
        {!readOnly && (
          <button className="btn small" onClick={() => setAdding((a) => !a)} data-testid="finding-add">
            {adding ? 'Cancel' : 'Add finding'}
          </button>
        )}
      </div>
      {adding && (
        <FindingForm
          host={host}
          onDone={(f) => {
            setAdding(false);
            setOpen(f.id);
          }}
        />
      )}
      <ul className="finding-list">
        {findings.map((f) => {
          const hl = board.store.highlightOf(f.id);
          return (
            <li
              key={f.id}
              className={`finding finding-${f.severity}`}
              style={hl ? { boxShadow: `inset 4px 0 0 ${colorOf(teams.byId, hl.teamId)}` } : undefined}
              data-testid={`finding-${f.title}`}
            >
              <button className="link-btn finding-title" aria-expanded={open === f.id} onClick={() => setOpen(open === f.id ? undefined : f.id)}>
                <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}
              </button>
              <div className="muted small">
                {f.kind} · {f.status} · {f.ownerTeam.code} · {when(f.createdAt)} <TlpBadge level={f.tlp} />
              </div>
              {open === f.id && (
                <div className="finding-body small">
                  {f.description && <p className="prewrap">{f.description}</p>}
                  {f.techniques.length > 0 && <p>Techniques: {f.techniques.join(', ')}</p>}
                  <p data-testid="finding-indicators">{f.indicatorIds.length} linked indicators (each recorded as a sighting on this host)</p>
                  {!readOnly && (
                    <button className="btn small" onClick={() => void toTimeline(f)} disabled={added === f.id} data-testid="finding-to-timeline">
                      {added === f.id ? 'On the timeline' : 'Add to timeline'}
                    </button>
                  )}
                  <ErrorBanner error={error} />
                  <SamplesList finding={f} readOnly={readOnly} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
