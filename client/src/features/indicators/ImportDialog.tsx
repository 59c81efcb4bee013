/**
 * Paste or import: the input is parsed in a Web Worker with a progress bar, shown as a preview
 * (type, value, warnings; benign and invalid values unticked), and committed in batches of 5,000 with
 * a second progress bar. Nothing is saved before "Commit".
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  candidateToItem,
  CSV_FIELDS,
  INDICATOR_LIMITS,
  INDICATOR_TYPES,
  proposeCsvMapping,
  type BulkCreateResult,
  type Candidate,
  type CsvField,
  type TlpLevel,
} from '@huntroom/shared';
import { ErrorBanner } from '../../components/forms.js';
import type { Board } from './useIndicatorBoard.js';
import type { CsvInfo, ImportFormat, WorkerReply } from './importWorker.js';
import { batches } from './commands.js';
import { PREVIEW_ROW_HEIGHT, PreviewRow } from './PreviewRow.js';

const detectFormat = (name: string, text: string): ImportFormat => {
  if (/\.csv$/i.test(name)) return 'csv';
  const head = text.trimStart().slice(0, 400);
  if (head.startsWith('{') && /"type"\s*:\s*"bundle"/.test(head)) return 'stix';
  // MISP: {"Event": ...}, restSearch's {"response": [...]}, or the bare event ("Attribute", "Object", "info"...).
  if (head.startsWith('{') && /"(Event|response|Attribute|Object)"\s*:/.test(head)) return 'misp';
  // A pasted table whose first line names its columns (value, type, tlp...) is a CSV: at least two known
  // names, so a report's first sentence ("IOC, seen today") stays free text.
  const first = text.trimStart().split(/\r?\n/, 1)[0] ?? '';
  const mapping = first.includes(',') ? proposeCsvMapping(first.split(',').map((h) => h.replace(/^"|"$/g, ''))) : undefined;
  if (mapping && mapping.filter((f) => f !== 'ignore').length >= 2) return 'csv';
  return 'text';
};

export function ImportDialog({ board, existingKeys, defaultTlp, onClose }: { board: Board; existingKeys: Set<string>; defaultTlp: TlpLevel; onClose: () => void }) {
  const [text, setText] = useState('');
  const [parse, setParse] = useState<{ done: number; total: number }>();
  const [candidates, setCandidates] = useState<Candidate[]>();
  const [excluded, setExcluded] = useState<Set<number>>(new Set());
  const [commit, setCommit] = useState<{ done: number; total: number; created: number; sighted: number; rejected: number }>();
  const [error, setError] = useState<string>();
  const [csv, setCsv] = useState<{ info: CsvInfo; text: string }>();

  function run(input: string, format: ImportFormat, mapping?: CsvField[]) {
    setError(undefined);
    setCandidates(undefined);
    // A new input forgets the last CSV's mapping; a change of mapping keeps the step on screen.
    if (!mapping) setCsv(undefined);
    setParse({ done: 0, total: input.length });
    const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      if (m.kind === 'progress') return setParse({ done: m.done, total: m.total });
      worker.terminate();
      setParse(undefined);
      if (m.kind === 'failed') return setError(m.message);
      setCsv(m.csv ? { info: m.csv, text: input } : undefined);
      setCandidates(m.candidates);
      setExcluded(new Set(m.candidates.flatMap((c, i) => (c.error || c.benign ? [i] : []))));
    };
    worker.postMessage({ text: input, format, ...(mapping ? { mapping } : {}) });
  }

  async function onFile(file: File) {
    const content = await file.text();
    run(content, detectFormat(file.name, content));
  }

  async function commitAll() {
    const chosen = candidates!.filter((_, i) => !excluded.has(i));
    const groups = batches(chosen, INDICATOR_LIMITS.bulkMax);
    const state = { done: 0, total: chosen.length, created: 0, sighted: 0, rejected: 0 };
    setCommit({ ...state });
    for (const group of groups) {
      const ack = await board.command<BulkCreateResult>('indicator:bulkCreate', {
        items: group.map((c) => candidateToItem(c, defaultTlp)),
      });
      if (!ack.ok) return setError(`stopped after ${state.done} of ${state.total}: ${ack.error.message}`);
      state.done += group.length;
      state.created += ack.data?.created ?? 0;
      state.sighted += ack.data?.sighted ?? 0;
      state.rejected += ack.data?.rejected.length ?? 0;
      setCommit({ ...state });
    }
  }

  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
      <div className="card modal">
        <div className="row-actions">
          <h2 id="import-title">Paste or import indicators</h2>
          <button className="btn small" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <ErrorBanner error={error && new Error(error)} />
        {!candidates && !parse && (
          <>
            <textarea
              rows={10}
              className="mono"
              placeholder="Paste tool output, a report or an e-mail; defanged values are fine."
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="import-text"
            />
            <div className="row-actions">
              <label className="btn small">
                Choose a file (text, CSV, STIX 2.1, MISP JSON)
                <input type="file" hidden accept=".txt,.log,.csv,.json" onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])} data-testid="import-file" />
              </label>
              <button className="btn primary" disabled={!text.trim()} onClick={() => run(text, detectFormat('', text))} data-testid="import-extract">
                Extract
              </button>
            </div>
          </>
        )}
        {parse && <Progress label="Reading" done={parse.done} total={parse.total} />}
        {csv && !commit && !parse && <CsvMappingStep info={csv.info} onChange={(mapping) => run(csv.text, 'csv', mapping)} />}
        {candidates && !commit && <Preview candidates={candidates} excluded={excluded} setExcluded={setExcluded} existingKeys={existingKeys} onCommit={() => void commitAll()} />}
        {commit && (
          <div data-testid="import-commit">
            <Progress label="Saving" done={commit.done} total={commit.total} />
            <p>
              {commit.created} new · {commit.sighted} already known (sighted) · {commit.rejected} refused
            </p>
            {commit.done === commit.total && (
              <button className="btn primary" onClick={onClose} data-testid="import-close">
                Done
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function Progress({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total ? Math.round((done / total) * 100) : 100;
  return (
    <div className="progress-wrap">
      <div className="muted small">
        {label}… {pct}%
      </div>
      <progress max={100} value={pct} aria-label={label} />
    </div>
  );
}

function Preview({
  candidates,
  excluded,
  setExcluded,
  existingKeys,
  onCommit,
}: {
  candidates: Candidate[];
  excluded: Set<number>;
  setExcluded: (s: Set<number>) => void;
  existingKeys: Set<string>;
  onCommit: () => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: candidates.length, getScrollElement: () => parent.current, estimateSize: () => PREVIEW_ROW_HEIGHT, overscan: 10 });
  const counts = useMemo(
    () => ({
      benign: candidates.filter((c) => c.benign).length,
      invalid: candidates.filter((c) => c.error).length,
      known: candidates.filter((c) => existingKeys.has(`${c.type}|${c.value}`)).length,
    }),
    [candidates, existingKeys],
  );
  const toggle = (i: number) => {
    const next = new Set(excluded);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setExcluded(next);
  };
  const chosen = candidates.length - excluded.size;
  return (
    <div data-testid="import-preview">
      <p>
        <strong>{candidates.length}</strong> distinct values · {counts.benign} probably benign · {counts.invalid} invalid · {counts.known} already on the board.{' '}
        <button className="btn small" onClick={() => setExcluded(new Set(candidates.flatMap((c, i) => (c.benign || c.error ? [i] : []))))}>
          Exclude benign and invalid
        </button>
      </p>
      <div className="preview-scroll" ref={parent}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const c = candidates[item.index]!;
            const warn = c.error ?? c.benign ?? (existingKeys.has(`${c.type}|${c.value}`) ? 'already on the board (becomes a sighting)' : '');
            return <PreviewRow key={item.index} c={c} index={item.index} top={item.start} included={!excluded.has(item.index)} warn={warn} onToggle={toggle} />;
          })}
        </div>
      </div>
      <button className="btn primary" disabled={chosen === 0} onClick={onCommit} data-testid="import-commit-btn">
        Commit {chosen} indicators
      </button>
    </div>
  );
}

/** The CSV mapping step: what each column means, prefilled from the header; the preview follows the choice. */
function CsvMappingStep({ info, onChange }: { info: CsvInfo; onChange: (mapping: CsvField[]) => void }) {
  const names = info.header ?? info.mapping.map((_, i) => `column ${i + 1}`);
  const options: CsvField[] = [...CSV_FIELDS, ...INDICATOR_TYPES.map((t): CsvField => `value:${t}`)];
  const label = (f: CsvField) => (f.startsWith('value:') ? (f === 'value:other' ? 'values (type from each value)' : `${f.slice(6)} values`) : f);
  return (
    <div data-testid="import-csv-mapping">
      <p className="small muted">
        What each column means{info.header ? ' (read from the header)' : ''}. {info.skipped.length ? `${info.skipped.length} rows skipped: ${info.skipped[0]!.reason}.` : ''}
      </p>
      <div className="csv-mapping" style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {names.map((name, i) => (
          <label key={i} className="small">
            <span className="mono">{name}</span>{' '}
            <select
              value={info.mapping[i] ?? 'ignore'}
              data-testid={`import-csv-col-${i}`}
              onChange={(e) => {
                const next = names.map((_, j) => info.mapping[j] ?? 'ignore');
                next[i] = e.target.value as CsvField;
                onChange(next);
              }}
            >
              {options.map((o) => (
                <option key={o} value={o}>
                  {label(o)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </div>
  );
}
