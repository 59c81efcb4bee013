/** Pieces both hunt import dialogs share: where the content comes from, the marking, the outcome. */
import { useState } from 'react';
import { TLP_LEVELS, type HuntImportResult, type TlpLevel } from '@huntroom/shared';
import { useTeams } from '../common.js';

/** Paste or choose a file; `onRead` gets the text and the file's name (empty for a paste). */
export function SourceStep({ placeholder, accept, fileLabel, onRead }: { placeholder: string; accept: string; fileLabel: string; onRead: (text: string, name: string) => void }) {
  const [text, setText] = useState('');
  return (
    <div className="hunt-import-source">
      <label htmlFor="hunt-import-text" className="small">
        Paste the content, or choose a file
      </label>
      <textarea id="hunt-import-text" rows={8} className="mono" placeholder={placeholder} value={text} onChange={(e) => setText(e.target.value)} data-testid="hunt-import-text" />
      <div className="row-actions">
        <label className="btn small">
          {fileLabel}
          <input
            type="file"
            className="sr-only"
            accept={accept}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then((t) => onRead(t, file.name));
            }}
            data-testid="hunt-import-file"
          />
        </label>
        <button className="btn primary" disabled={!text.trim()} onClick={() => onRead(text, '')} data-testid="hunt-import-read">
          Read
        </button>
      </div>
    </div>
  );
}

export interface ImportMarking {
  tlp: TlpLevel | '';
  releasableTo: string[];
}

/** The marking of rows that carry none; empty keeps each item's own default (its network's, its host's). */
export function MarkingChoice({ value, onChange, inherit }: { value: ImportMarking; onChange: (m: ImportMarking) => void; inherit: string }) {
  const teams = useTeams();
  const toggle = (code: string) =>
    onChange({ ...value, releasableTo: value.releasableTo.includes(code) ? value.releasableTo.filter((c) => c !== code) : [...value.releasableTo, code].sort() });
  return (
    <fieldset className="hunt-import-marking">
      <legend>Marking of the imported items</legend>
      <select aria-label="TLP" value={value.tlp} onChange={(e) => onChange({ ...value, tlp: e.target.value as TlpLevel | '' })} data-testid="hunt-import-tlp">
        <option value="">{inherit}</option>
        {TLP_LEVELS.map((l) => (
          <option key={l} value={l}>
            TLP:{l}
          </option>
        ))}
      </select>
      {value.tlp && value.tlp !== 'AMBER+STRICT' && (
        <span className="small">
          releasable to{' '}
          {teams.list.map((t) => (
            <label key={t.code} className="toggle">
              <input type="checkbox" checked={value.releasableTo.includes(t.code)} onChange={() => toggle(t.code)} data-testid={`hunt-import-team-${t.code}`} /> {t.code}
            </label>
          ))}
          {!value.releasableTo.length && <span className="muted"> (none ticked: every team)</span>}
        </span>
      )}
    </fieldset>
  );
}

export const markingBody = (m: ImportMarking) => (m.tlp ? { tlp: m.tlp, ...(m.releasableTo.length && m.tlp !== 'AMBER+STRICT' ? { releasableTo: m.releasableTo } : {}) } : {});

/** The server's answer: counts, then every row it refused or could not read, with the reason. */
export function ImportResultView({ result, noun, onClose }: { result: HuntImportResult; noun: string; onClose: () => void }) {
  const refused = [
    ...result.problems.map((p) => ({ row: p.row, reason: p.reason })),
    ...result.results.filter((r) => r.outcome === 'rejected').map((r) => ({ row: r.row, reason: r.reason ?? 'refused' })),
  ].sort((a, b) => a.row - b.row);
  return (
    <div data-testid="hunt-import-result" role="status">
      <p>
        <strong data-testid="hunt-import-created">{result.created}</strong> {noun} created · <strong data-testid="hunt-import-merged">{result.merged}</strong> merged into ones
        already there · <strong data-testid="hunt-import-refused">{refused.length}</strong> refused <span className="muted small">({result.format})</span>
      </p>
      {refused.length > 0 && (
        <ul className="small warn-list hunt-import-refused" data-testid="hunt-import-refused-list">
          {refused.slice(0, 200).map((r, i) => (
            <li key={i}>
              row {r.row}: {r.reason}
            </li>
          ))}
          {refused.length > 200 && <li className="muted">… and {refused.length - 200} more</li>}
        </ul>
      )}
      {result.unknownHosts && result.unknownHosts.length > 0 && (
        <p className="small muted" data-testid="hunt-import-unknown-hosts">
          Host names matching no host your team sees (those events were kept without a host): {result.unknownHosts.slice(0, 20).join(', ')}
          {result.unknownHosts.length > 20 ? ` and ${result.unknownHosts.length - 20} more` : ''}
        </p>
      )}
      <button className="btn primary" onClick={onClose} data-testid="hunt-import-done">
        Done
      </button>
    </div>
  );
}
