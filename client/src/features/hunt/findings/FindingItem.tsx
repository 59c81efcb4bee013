/**
 * One finding in a host's list: its line (severity, title, kind, status, team, marking) and, opened,
 * its description, linked indicators, techniques and related findings, "Add to timeline", edit and
 * delete (for those who may), and its samples.
 */
import { useState } from 'react';
import type { FindingView, HostView } from '@huntroom/shared';
import { TlpBadge } from '../../../components/badges.js';
import { ErrorBanner } from '../../../components/forms.js';
import { useWorkspace } from '../../workspaces/context.js';
import { colorOf, useCommand, useTeams, when } from '../common.js';
import { DeleteButton, useItemRights } from '../rights.js';
import { useHunt } from '../useHuntBoard.js';
import { FindingForm } from './FindingForm.js';
import { SamplesList } from './SamplesList.js';
import { useIndicatorLabels } from './indicatorLabels.js';

interface Props {
  finding: FindingView;
  host: HostView;
  open: boolean;
  onToggle: () => void;
}

export function FindingItem({ finding: f, host, open, onToggle }: Props) {
  const board = useHunt();
  const teams = useTeams();
  const rights = useItemRights(f);
  const { run, error } = useCommand(board.command);
  const [added, setAdded] = useState(false);
  const [editing, setEditing] = useState(false);
  const hl = board.store.highlightOf(f.id);

  // A finding onto the timeline: now, on its host, with its techniques and its own marking (an event
  // may be no wider than the finding it refers to).
  async function toTimeline() {
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
    if (r) setAdded(true);
  }

  return (
    <li
      className={`finding finding-${f.severity}`}
      style={hl ? { boxShadow: `inset 4px 0 0 ${colorOf(teams.byId, hl.teamId)}` } : undefined}
      data-testid={`finding-${f.title}`}
      data-highlight={hl?.by}
    >
      <button className="link-btn finding-title" aria-expanded={open} onClick={onToggle}>
        <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}
      </button>
      <div className="muted small">
        {f.kind} · <span data-testid="finding-status">{f.status}</span> · {f.ownerTeam.code} · {when(f.createdAt)} <TlpBadge level={f.tlp} />
      </div>
      {open && (editing ? <EditFinding finding={f} host={host} onDone={() => setEditing(false)} /> : <Body finding={f} />)}
      {open && !editing && (
        <div className="finding-body small">
          <div className="hunt-edit-actions">
            {rights.edit && (
              <button className="btn small" onClick={() => void toTimeline()} disabled={added} data-testid="finding-to-timeline">
                {added ? 'On the timeline' : 'Add to timeline'}
              </button>
            )}
            {rights.edit && (
              <button className="btn small" onClick={() => setEditing(true)} data-testid="finding-edit">
                Edit
              </button>
            )}
            {rights.remove && <DeleteButton what={`finding "${f.title}"`} onDelete={() => void run('finding:delete', { id: f.id })} testId="finding-delete" />}
          </div>
          <ErrorBanner error={error} />
          <SamplesList finding={f} readOnly={!rights.edit} />
        </div>
      )}
    </li>
  );
}

function Body({ finding: f }: { finding: FindingView }) {
  const ws = useWorkspace();
  const linked = useIndicatorLabels(ws.id, f.indicatorIds);
  const findings = useHunt().store.items.finding;
  return (
    <div className="finding-body small">
      {f.description && <p className="prewrap">{f.description}</p>}
      {f.techniques.length > 0 && <p data-testid="finding-techniques-shown">Techniques: {f.techniques.join(', ')}</p>}
      <p data-testid="finding-indicators">
        {f.indicatorIds.length} linked indicators (each recorded as a sighting on this host)
        {linked && linked.length > 0 && <span className="mono">: {linked.map((l) => l.label).join(', ')}</span>}
      </p>
      {f.relatedFindingIds.length > 0 && (
        <p data-testid="finding-related">Related: {f.relatedFindingIds.map((id) => findings.get(id)?.title ?? 'a finding you cannot see').join(', ')}</p>
      )}
    </div>
  );
}

/** The edit form, once the labels of the linked indicators are known (their chips need them). */
function EditFinding({ finding, host, onDone }: { finding: FindingView; host: HostView; onDone: () => void }) {
  const ws = useWorkspace();
  const linked = useIndicatorLabels(ws.id, finding.indicatorIds);
  if (!linked) return <p className="muted small">Loading…</p>;
  return <FindingForm host={host} finding={finding} linked={linked} onDone={onDone} onCancel={onDone} />;
}
