/**
 * The import's choices for rows that carry none of their own: a marking (level and teams, the same
 * fields as the marking editor; default the workspace's level, every team) and tags added to every row.
 * A row's own marking from the file (a CSV column, a STIX marking) wins, as the server applies it.
 */
import { useState } from 'react';
import { MarkingFields, settled, type MarkingValue } from '../../components/MarkingEditor.js';
import { useAccount } from '../../lib/session.js';

export interface ImportDefaultsValue {
  marking: MarkingValue;
  tags: string[];
}

export const splitTags = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  ),
];

/** What the import route's `defaults` gets from the choice. */
export const importDefaults = (v: ImportDefaultsValue) => ({ marking: settled(v.marking), ...(v.tags.length ? { tags: v.tags } : {}) });

export function ImportDefaults({ value, onChange }: { value: ImportDefaultsValue; onChange: (v: ImportDefaultsValue) => void }) {
  const ownTeam = useAccount().team.code;
  const [tagText, setTagText] = useState(value.tags.join(', '));
  return (
    <fieldset className="import-defaults" data-testid="import-defaults">
      <legend className="small muted">For rows without a marking of their own</legend>
      <MarkingFields value={value.marking} ownTeam={ownTeam} onChange={(marking) => onChange({ ...value, marking })} testId="import-marking" />
      <div className="field">
        <label htmlFor="import-tags">Tags for every row</label>
        <input
          id="import-tags"
          value={tagText}
          placeholder="op-nightfall, phishing"
          onChange={(e) => {
            setTagText(e.target.value);
            onChange({ ...value, tags: splitTags(e.target.value) });
          }}
          data-testid="import-tags"
        />
      </div>
    </fieldset>
  );
}
