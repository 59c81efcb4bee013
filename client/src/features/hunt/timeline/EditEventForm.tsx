/**
 * Edit a timeline event: when (in UTC, to the second) and its source's zone, host, description,
 * source, techniques, linked indicators and findings, and its marking when the reader's team owns it.
 * Only what changed is sent; a refusal shows the server's sentence and changes nothing.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { HostView, TimelineEventView } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import type { MarkingValue } from '../../../components/MarkingEditor.js';
import { useWorkspace } from '../../workspaces/context.js';
import { useCommand } from '../common.js';
import { IndicatorPicker, type Picked } from '../findings/IndicatorPicker.js';
import { useIndicatorLabels } from '../findings/indicatorLabels.js';
import { changedMarking, MarkingLine, useItemRights } from '../rights.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';

const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
/** `2026-03-01T10:00:05.000Z` as a datetime-local value read as UTC, and back. */
const utcInput = (iso: string) => iso.slice(0, 19);
const fromUtcInput = (v: string) => (v.length === 16 ? `${v}:00Z` : `${v}Z`);

export function EditEventForm({ event, hosts, onDone }: { event: TimelineEventView; hosts: readonly HostView[]; onDone: () => void }) {
  const ws = useWorkspace();
  const linked = useIndicatorLabels(ws.id, event.indicatorIds);
  if (!linked) return <p className="muted small">Loading…</p>;
  return <Form event={event} hosts={hosts} linked={linked} onDone={onDone} />;
}

function Form({ event, hosts, linked, onDone }: { event: TimelineEventView; hosts: readonly HostView[]; linked: Picked[]; onDone: () => void }) {
  const board = useHunt();
  const rights = useItemRights(event);
  const { run, error } = useCommand(board.command);
  const [at, setAt] = useState(utcInput(event.at));
  const [zone, setZone] = useState(event.sourceTimeZone);
  const [hostId, setHostId] = useState(event.hostId ?? '');
  const [description, setDescription] = useState(event.description);
  const [source, setSource] = useState(event.source);
  const [techniques, setTechniques] = useState(event.techniques.join(', '));
  const [indicators, setIndicators] = useState<Picked[]>(linked);
  const [findingIds, setFindingIds] = useState<string[]>(event.findingIds);
  const [marking, setMarking] = useState<MarkingValue>({ tlp: event.tlp, releasableTo: event.releasableTo });
  const allFindings = useHuntList('finding');
  const findings = useMemo(() => allFindings.filter((f) => f.hostId === hostId || event.findingIds.includes(f.id)), [allFindings, hostId, event.findingIds]);
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const techs = techniques
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((t) => t.toUpperCase());
    const newAt = fromUtcInput(at);
    const changes = {
      ...(Date.parse(newAt) !== Date.parse(event.at) ? { at: newAt } : {}),
      ...(zone.trim() !== event.sourceTimeZone ? { sourceTimeZone: zone.trim() } : {}),
      ...(hostId !== (event.hostId ?? '') ? { hostId: hostId || null } : {}),
      ...(description !== event.description ? { description } : {}),
      ...(source !== event.source ? { source } : {}),
      ...(!same(techs, event.techniques) ? { techniques: techs } : {}),
      ...(!same(
        indicators.map((i) => i.id),
        event.indicatorIds,
      )
        ? { indicatorIds: indicators.map((i) => i.id) }
        : {}),
      ...(!same(findingIds, event.findingIds) ? { findingIds } : {}),
      ...changedMarking(event, marking),
    };
    if (!Object.keys(changes).length) return onDone();
    if (await run('timeline:update', { id: event.id, ...changes })) onDone();
  }

  return (
    <div className="hunt-edit" data-testid="event-edit-form">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={error} />
        <div className="hunt-period">
          <Field label="When (UTC)" type="datetime-local" step={1} value={at} onChange={(e) => setAt(e.target.value)} error={errs.at} required data-testid="event-edit-at" />
          <Field
            label="Source time zone"
            hint="IANA name or ±hh:mm"
            value={zone}
            onChange={(e) => setZone(e.target.value)}
            error={errs.sourceTimeZone}
            data-testid="event-edit-zone"
          />
        </div>
        <div className="field">
          <label htmlFor="event-edit-host">Host</label>
          <select id="event-edit-host" value={hostId} onChange={(e) => setHostId(e.target.value)} data-testid="event-edit-host">
            <option value="">None</option>
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.hostname || h.addresses[0]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="event-edit-description">What happened</label>
          <textarea id="event-edit-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="event-edit-description" />
        </div>
        <Field label="Source" value={source} onChange={(e) => setSource(e.target.value)} error={errs.source} data-testid="event-edit-source" />
        <Field label="Techniques" value={techniques} onChange={(e) => setTechniques(e.target.value)} error={errs.techniques} data-testid="event-edit-techniques" />
        <IndicatorPicker value={indicators} onChange={setIndicators} />
        {findings.length > 0 && (
          <fieldset className="hunt-related">
            <legend className="small">Linked findings</legend>
            {findings.map((f) => (
              <label key={f.id} className="toggle small">
                <input
                  type="checkbox"
                  checked={findingIds.includes(f.id)}
                  onChange={() => setFindingIds((ids) => (ids.includes(f.id) ? ids.filter((x) => x !== f.id) : [...ids, f.id]))}
                />{' '}
                {f.title}
              </label>
            ))}
          </fieldset>
        )}
        <div className="hunt-edit-actions">
          <button className="btn primary small" type="submit" data-testid="event-edit-save">
            Save
          </button>
          <button className="btn small" type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      <MarkingLine value={marking} onChange={setMarking} canChange={rights.remark} testId="event-edit-marking" />
    </div>
  );
}
