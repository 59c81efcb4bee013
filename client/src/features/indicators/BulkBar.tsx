/**
 * Actions on the selected rows (never hidden ones: the page keeps the selection to the rows shown):
 * status, a tag, a marking, and delete for workspace owners, after a confirmation that says how many.
 * Each is one bulk command per 5,000 rows (the server's limit), so a refusal changes nothing in it.
 */
import { useState } from 'react';
import { INDICATOR_LIMITS, INDICATOR_STATUSES, type CommandAck, type TlpLevel } from '@huntroom/shared';
import { MarkingEditor } from '../../components/MarkingEditor.js';
import { countOf } from './display.js';

type Run = (type: string, payload: Record<string, unknown>) => Promise<CommandAck<unknown>>;

interface Props {
  ids: string[];
  ownTeam: string;
  mayDelete: boolean;
  defaultTlp: TlpLevel;
  command: Run;
  onDone: (message: string) => void;
  onError: (ack: CommandAck<unknown>) => void;
  onClear: () => void;
}

const chunks = (ids: string[]) =>
  Array.from({ length: Math.ceil(ids.length / INDICATOR_LIMITS.bulkMax) }, (_, i) => ids.slice(i * INDICATOR_LIMITS.bulkMax, (i + 1) * INDICATOR_LIMITS.bulkMax));

export function BulkBar({ ids, ownTeam, mayDelete, defaultTlp, command, onDone, onError, onClear }: Props) {
  const [marking, setMarking] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function update(payload: Record<string, unknown>) {
    let updated = 0;
    for (const part of chunks(ids)) {
      const ack = await command('indicator:bulkUpdate', { ids: part, ...payload });
      if (!ack.ok) return onError(ack);
      updated += (ack.data as { updated?: number } | undefined)?.updated ?? 0;
    }
    onDone(`Updated ${countOf(updated, 'indicator')}.`);
  }

  async function remove() {
    setConfirming(false);
    let deleted = 0;
    for (const part of chunks(ids)) {
      const ack = await command('indicator:bulkDelete', { ids: part });
      if (!ack.ok) return onError(ack);
      deleted += (ack.data as { deleted?: string[] } | undefined)?.deleted?.length ?? 0;
    }
    onClear();
    onDone(`Deleted ${countOf(deleted, 'indicator')}.`);
  }

  return (
    <div className="bulk-bar" data-testid="bulk-bar">
      <div className="bulk-actions">
        <strong data-testid="bulk-count">{ids.length.toLocaleString('en')} selected</strong>
        <select aria-label="Set status of selected" value="" onChange={(e) => e.target.value && void update({ status: e.target.value })} data-testid="bulk-status">
          <option value="">Set status…</option>
          {INDICATOR_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button
          className="btn small"
          onClick={() => {
            const t = window.prompt('Tag to add')?.trim();
            if (t) void update({ addTags: [t] });
          }}
        >
          Add tag…
        </button>
        <button className="btn small" onClick={() => setMarking((m) => !m)} aria-expanded={marking} data-testid="bulk-marking-open">
          Marking…
        </button>
        {mayDelete && (
          <button className="btn small danger" onClick={() => setConfirming(true)} data-testid="bulk-delete">
            Delete…
          </button>
        )}
        <button className="btn small" onClick={onClear} data-testid="bulk-clear">
          Clear
        </button>
      </div>
      {confirming && (
        <div className="bulk-confirm" role="alertdialog" aria-labelledby="bulk-confirm-text" data-testid="bulk-delete-confirm">
          <span id="bulk-confirm-text">Delete {countOf(ids.length, 'indicator')} with their sightings and comments, for every team? This cannot be undone.</span>
          <button className="btn small danger" onClick={() => void remove()} data-testid="bulk-delete-yes">
            Delete {countOf(ids.length, 'indicator')}
          </button>
          <button className="btn small" onClick={() => setConfirming(false)} autoFocus>
            Cancel
          </button>
        </div>
      )}
      {marking && (
        <MarkingEditor
          value={{ tlp: defaultTlp, releasableTo: [] }}
          ownTeam={ownTeam}
          onSave={async (m) => {
            setMarking(false);
            await update({ tlp: m.tlp, releasableTo: m.releasableTo });
          }}
          onCancel={() => setMarking(false)}
          testId="bulk-marking"
        />
      )}
    </div>
  );
}
