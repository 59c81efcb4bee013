/** Add a timeline event by hand: when (with the source's zone), host, description, source, techniques. */
import { useState, type FormEvent } from 'react';
import type { HostView } from '@huntroom/shared';
import { ErrorBanner, Field, fieldErrors } from '../../../components/forms.js';
import { useCommand } from '../common.js';
import { useHunt } from '../useHuntBoard.js';

export function AddEventForm({ hosts, onDone }: { hosts: readonly HostView[]; onDone: (m: string) => void }) {
  const board = useHunt();
  const { run, error } = useCommand(board.command);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [at, setAt] = useState('');
  const [hostId, setHostId] = useState('');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState('');
  const [techniques, setTechniques] = useState('');
  const errs = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run('timeline:create', {
      at: at ? new Date(at).toISOString() : '',
      sourceTimeZone: zone,
      hostId: hostId || undefined,
      description,
      source: source || undefined,
      techniques: techniques
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((t) => t.toUpperCase()),
    });
    if (r) {
      onDone('Event added.');
      setDescription('');
    }
  }

  return (
    <form className="card inline-form hunt-form" onSubmit={(e) => void submit(e)} data-testid="event-form">
      <ErrorBanner error={error} />
      <Field label={`When (${zone})`} type="datetime-local" step={1} value={at} onChange={(e) => setAt(e.target.value)} error={errs.at} required data-testid="event-at" />
      <div className="field">
        <label htmlFor="event-host">Host</label>
        <select id="event-host" value={hostId} onChange={(e) => setHostId(e.target.value)} data-testid="event-host">
          <option value="">None</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.hostname || h.addresses[0]}
            </option>
          ))}
        </select>
      </div>
      <Field label="What happened" value={description} onChange={(e) => setDescription(e.target.value)} error={errs.description} required data-testid="event-description" />
      <Field label="Source" value={source} onChange={(e) => setSource(e.target.value)} error={errs.source} />
      <Field label="Techniques" value={techniques} onChange={(e) => setTechniques(e.target.value)} error={errs.techniques} />
      <button className="btn primary" type="submit" data-testid="event-submit">
        Add event
      </button>
    </form>
  );
}
