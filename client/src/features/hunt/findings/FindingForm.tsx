/**
 * Create a finding on a host, or edit one: kind, severity, status, title, description, linked
 * indicators (link and unlink), techniques, related findings of the same network, and (editing, when
 * the reader's team owns it) its marking. An edit sends only what changed; a refusal shows the
 * server's sentence and changes nothing.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { FINDING_KINDS, FINDING_STATUSES, LEVELS, type FindingKind, type FindingStatus, type FindingView, type HostView, type Level } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import type { MarkingValue } from '../../../components/MarkingEditor.js';
import { useCommand } from '../common.js';
import { changedMarking, MarkingLine, useItemRights } from '../rights.js';
import { useHunt, useHuntList } from '../useHuntBoard.js';
import { IndicatorPicker, type Picked } from './IndicatorPicker.js';

const techniqueList = (s: string) =>
  s
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => t.toUpperCase());
const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

interface Props {
  host: HostView;
  /** Editing this finding; absent: a new one. */
  finding?: FindingView;
  /** Labels of the finding's linked indicators (editing). */
  linked?: Picked[];
  onDone: (f: FindingView) => void;
  onCancel?: () => void;
}

export function FindingForm({ host, finding, linked, onDone, onCancel }: Props) {
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const rights = useItemRights(finding ?? { ownerTeam: { id: '', code: '' } });
  const [kind, setKind] = useState<FindingKind>(finding?.kind ?? 'malware');
  const [severity, setSeverity] = useState<Level>(finding?.severity ?? 'high');
  const [status, setStatus] = useState<FindingStatus>(finding?.status ?? 'open');
  const [title, setTitle] = useState(finding?.title ?? '');
  const [description, setDescription] = useState(finding?.description ?? '');
  const [techniques, setTechniques] = useState(finding?.techniques.join(', ') ?? '');
  const [indicators, setIndicators] = useState<Picked[]>(linked ?? []);
  const [related, setRelated] = useState<string[]>(finding?.relatedFindingIds ?? []);
  const [marking, setMarking] = useState<MarkingValue | undefined>(finding && { tlp: finding.tlp, releasableTo: finding.releasableTo });
  const all = useHuntList('finding');
  const others = useMemo(() => all.filter((f) => f.networkId === host.networkId && f.id !== finding?.id), [all, host.networkId, finding?.id]);
  const errs = fieldErrors(error);
  const p = finding ? 'finding-edit' : 'finding';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { kind, severity, status, title, description, indicatorIds: indicators.map((i) => i.id), techniques: techniqueList(techniques), relatedFindingIds: related };
    if (!finding) {
      const r = await run<{ finding: FindingView }>('finding:create', { hostId: host.id, ...fields });
      if (r) onDone(r.finding);
      return;
    }
    const changes: Record<string, unknown> = { ...(marking ? changedMarking(finding, marking) : {}) };
    for (const [k, v] of Object.entries(fields)) {
      const was = finding[k as keyof typeof fields];
      if (Array.isArray(v) ? !same(v, was as string[]) : v !== was) changes[k] = v;
    }
    if (!Object.keys(changes).length) return onDone(finding);
    const r = await run<{ finding: FindingView }>('finding:update', { id: finding.id, ...changes });
    if (r) onDone(r.finding);
  }

  const pick = <T extends string>(id: string, label: string, value: T, set: (v: T) => void, options: readonly T[]) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.target.value as T)} data-testid={id}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="hunt-edit">
      <form className="form finding-form" onSubmit={(e) => void submit(e)} data-testid={`${p}-form`}>
        <ErrorBanner error={error} />
        <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errs.title} required data-testid={`${p}-title`} />
        <div className="hunt-period">
          {pick(`${p}-kind`, 'Kind', kind, setKind, FINDING_KINDS)}
          {pick(`${p}-severity`, 'Severity', severity, setSeverity, LEVELS)}
          {pick(`${p}-status`, 'Status', status, setStatus, FINDING_STATUSES)}
        </div>
        <div className="field">
          <label htmlFor={`${p}-description`}>Description</label>
          <textarea id={`${p}-description`} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid={`${p}-description`} />
        </div>
        <IndicatorPicker value={indicators} onChange={setIndicators} />
        <Field
          label="Techniques"
          hint="ATT&CK ids, e.g. T1053.005, T1003"
          value={techniques}
          onChange={(e) => setTechniques(e.target.value)}
          error={errs.techniques}
          data-testid={`${p}-techniques`}
        />
        {others.length > 0 && (
          <fieldset className="hunt-related">
            <legend className="small">Related findings</legend>
            {others.map((f) => (
              <label key={f.id} className="toggle small">
                <input
                  type="checkbox"
                  checked={related.includes(f.id)}
                  onChange={() => setRelated((r) => (r.includes(f.id) ? r.filter((x) => x !== f.id) : [...r, f.id]))}
                  data-testid={`${p}-related-${f.title}`}
                />{' '}
                {f.title}
              </label>
            ))}
          </fieldset>
        )}
        <div className="hunt-edit-actions">
          <button className="btn primary" type="submit" data-testid={`${p}-save`}>
            {finding ? 'Save' : 'Add finding'}
          </button>
          {onCancel && (
            <button className="btn" type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {finding && marking && <MarkingLine value={marking} onChange={setMarking} canChange={rights.remark} testId="finding-edit-marking" />}
    </div>
  );
}
