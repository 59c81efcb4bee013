/** Add one indicator by hand; a value already on the board becomes a sighting for your team. */
import { useState, type FormEvent } from 'react';
import { INDICATOR_TYPES, type CreateIndicatorResult, type TlpLevel } from '@huntroom/shared';
import { ErrorBanner, fieldErrors } from '../../components/forms.js';
import { MarkingFields, settled, type MarkingValue } from '../../components/MarkingEditor.js';
import { useAccount } from '../../lib/session.js';
import type { Board } from './useIndicatorBoard.js';
import { ackError } from './commands.js';

export function AddIndicatorForm({ board, defaultTlp, onDone }: { board: Board; defaultTlp: TlpLevel; onDone: (message: string) => void }) {
  const [type, setType] = useState('domain');
  const [value, setValue] = useState('');
  const ownTeam = useAccount().team.code;
  // The same marking choice as everywhere else: a level and team checkboxes (none ticked: every team).
  const [marking, setMarking] = useState<MarkingValue>({ tlp: defaultTlp, releasableTo: [] });
  const [tags, setTags] = useState('');
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const ack = await board.command<CreateIndicatorResult>('indicator:create', {
      type,
      value,
      ...settled(marking),
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    });
    if (!ack.ok) return setError(ackError(ack));
    setValue('');
    const outcome = ack.data?.outcome;
    onDone(
      outcome === 'sighted'
        ? 'Already on the board: recorded as a sighting for your team.'
        : outcome === 'repeated'
          ? 'Already on the board, with this very sighting: nothing new recorded.'
          : 'Indicator added.',
    );
  }

  const fields = fieldErrors(error);
  return (
    <form className="card form" onSubmit={(e) => void submit(e).catch(setError)} data-testid="add-indicator-form">
      <ErrorBanner error={error} />
      <div className="row">
        <div className="field" style={{ flex: '0 0 140px' }}>
          <label htmlFor="ioc-type">Type</label>
          <select id="ioc-type" value={type} onChange={(e) => setType(e.target.value)} data-testid="add-type">
            {INDICATOR_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: '3 1 300px' }}>
          <label htmlFor="ioc-value">Value (defanged is fine)</label>
          <input id="ioc-value" className="mono" value={value} onChange={(e) => setValue(e.target.value)} required aria-invalid={!!fields.value} data-testid="add-value" />
          {fields.value && <div className="field-error">{fields.value}</div>}
        </div>
        <MarkingFields value={marking} ownTeam={ownTeam} onChange={setMarking} testId="add-marking" />
        <div className="field">
          <label htmlFor="ioc-tags">Tags</label>
          <input id="ioc-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="c2, phishing" />
        </div>
        <button className="btn primary" type="submit" data-testid="add-submit">
          Add
        </button>
      </div>
    </form>
  );
}
