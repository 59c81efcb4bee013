/**
 * Choose a marking: a TLP 2.0 level and the teams it is releasable to (none ticked: every team of the
 * workspace, except for RED, which needs at least one). Says in words who will see the item, so a
 * tired hunter does not have to remember the table. Works in team codes; callers whose API takes team
 * ids convert.
 */
import { useMemo, useState } from 'react';
import { TLP_LEVELS, type Team, type TlpLevel } from '@huntroom/shared';
import { useAsync } from '../lib/useAsync.js';
import { get } from '../lib/api.js';

export interface MarkingValue {
  tlp: TlpLevel;
  /** Team codes. */
  releasableTo: string[];
}

export function useTeamList() {
  return useAsync(() => get<{ teams: Team[] }>('/api/teams').then((r) => r.teams), []);
}

export function describeMarking(m: MarkingValue, ownTeam: string): string {
  // The own team listed alone means "only us" (a list is never read as empty), not "every team".
  const others = m.releasableTo.filter((c) => c !== ownTeam);
  const to = others.length ? others.join(', ') : 'every team';
  switch (m.tlp) {
    case 'AMBER+STRICT':
      return `Only team ${ownTeam} will see it.`;
    case 'RED':
      return others.length ? `Only ${ownTeam} and ${to} will see it.` : `Only team ${ownTeam} will see it (tick the teams that may).`;
    default:
      return m.releasableTo.length && !others.length ? `Only team ${ownTeam} will see it.` : `${ownTeam} and ${to} will see it.`;
  }
}

interface Props {
  value: MarkingValue;
  ownTeam: string;
  onSave: (m: MarkingValue) => void | Promise<void>;
  onCancel?: () => void;
  testId?: string;
}

export function MarkingEditor({ value, ownTeam, onSave, onCancel, testId = 'marking' }: Props) {
  const [marking, setMarking] = useState<MarkingValue>(value);
  return (
    <form
      className="marking-editor"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(settled(marking));
      }}
    >
      <MarkingFields value={marking} ownTeam={ownTeam} onChange={setMarking} testId={testId} />
      <div className="row-actions">
        <button className="btn primary small" type="submit" data-testid={`${testId}-save`}>
          Save marking
        </button>
        {onCancel && (
          <button className="btn small" type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** AMBER+STRICT is for the own team only: no teams are kept with it. */
export const settled = (m: MarkingValue): MarkingValue => ({ tlp: m.tlp, releasableTo: m.tlp === 'AMBER+STRICT' ? [] : m.releasableTo });

/**
 * The marking choice without a form of its own, for forms that save it with other fields (adding an
 * indicator, an import): the same level menu, team checkboxes and sentence as the editor.
 */
export function MarkingFields({ value, ownTeam, onChange, testId = 'marking' }: { value: MarkingValue; ownTeam: string; onChange: (m: MarkingValue) => void; testId?: string }) {
  const teams = useTeamList();
  const others = useMemo(() => (teams.data ?? []).filter((t) => t.code !== ownTeam), [teams.data, ownTeam]);
  const { tlp, releasableTo: rel } = value;
  const strict = tlp === 'AMBER+STRICT';
  const toggle = (code: string) => onChange({ tlp, releasableTo: rel.includes(code) ? rel.filter((c) => c !== code) : [...rel, code].sort() });
  return (
    // No box of its own: its parts flow into the form around it (the editor's row, the add form's row).
    <div className="marking-fields" style={{ display: 'contents' }}>
      <div className="field">
        <label htmlFor={`${testId}-tlp`}>TLP</label>
        <select id={`${testId}-tlp`} value={tlp} onChange={(e) => onChange({ tlp: e.target.value as TlpLevel, releasableTo: rel })} data-testid={`${testId}-tlp`}>
          {TLP_LEVELS.map((l) => (
            <option key={l} value={l}>
              TLP:{l}
            </option>
          ))}
        </select>
      </div>
      {!strict && (
        <fieldset className="marking-teams">
          <legend>Releasable to {tlp === 'RED' ? '(required)' : '(none: every team)'}</legend>
          {others.map((t) => (
            <label key={t.code} className="toggle">
              <input type="checkbox" checked={rel.includes(t.code)} onChange={() => toggle(t.code)} data-testid={`${testId}-team-${t.code}`} /> {t.code}
            </label>
          ))}
        </fieldset>
      )}
      <p className="muted small" data-testid={`${testId}-who`}>
        {describeMarking(settled(value), ownTeam)}
      </p>
    </div>
  );
}
