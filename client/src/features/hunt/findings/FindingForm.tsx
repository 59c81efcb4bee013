/** Create a finding on a host: kind, severity, status, title, description, linked indicators, techniques. */
import { useState, type FormEvent } from 'react';
import { FINDING_KINDS, FINDING_STATUSES, LEVELS, type FindingKind, type FindingStatus, type FindingView, type HostView, type Level } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import { useCommand } from '../common.js';
import { useHunt } from '../useHuntBoard.js';
import { IndicatorPicker, type Picked } from './IndicatorPicker.js';

export function FindingForm({ host, onDone }: { host: HostView; onDone: (f: FindingView) => void }) {
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const [kind, setKind] = useState<FindingKind>('malware');
  const [severity, setSeverity] = useState<Level>('high');
  const [status, setStatus] = useState<FindingStatus>('open');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [techniques, setTechniques] = useState('');
  const [indicators, setIndicators] = useState<Picked[]>([]);
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run<{ finding: FindingView }>('finding:create', {
      hostId: host.id,
      kind,
      severity,
      status,
      title,
      description,
      indicatorIds: indicators.map((i) => i.id),
      techniques: techniques
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((t) => t.toUpperCase()),
    });
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
    <form className="form finding-form" onSubmit={(e) => void submit(e)} data-testid="finding-form">
      <ErrorBanner error={error} />
      <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errs.title} required data-testid="finding-title" />
      <div className="hunt-period">
        {pick('finding-kind', 'Kind', kind, setKind, FINDING_KINDS)}
        {pick('finding-severity', 'Severity', severity, setSeverity, LEVELS)}
        {pick('finding-status', 'Status', status, setStatus, FINDING_STATUSES)}
      </div>
      <div className="field">
        <label htmlFor="finding-description">Description</label>
        <textarea id="finding-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="finding-description" />
      </div>
      <IndicatorPicker value={indicators} onChange={setIndicators} />
      <Field
        label="Techniques"
        hint="ATT&CK ids, e.g. T1053.005, T1003"
        value={techniques}
        onChange={(e) => setTechniques(e.target.value)}
        error={errs.techniques}
        data-testid="finding-techniques"
      />
      <button className="btn primary" type="submit" data-testid="finding-save">
        Add finding
      </button>
    </form>
  );
}
