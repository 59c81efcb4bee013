/**
 * Paste or import: the input is parsed in a Web Worker with a progress bar by the shared parseImport,
 * shown as a preview (type, value, warnings; benign and invalid values unticked; what the commit will
 * create, merge, refuse and skip), and on "Commit" posted to the server's import route, which reads the
 * same content with the same function and saves it; its progress stream drives a second bar, and its
 * answer lists every refused and skipped row with the reason. Nothing is saved before "Commit".
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  candidateKey,
  CSV_FIELDS,
  detectFormat,
  expiredNote,
  INDICATOR_TYPES,
  type Candidate,
  type CsvField,
  type ImportFormat,
  type ImportResult,
  type TlpLevel,
} from '@huntroom/shared';
import { ErrorBanner } from '../../components/forms.js';
import type { CsvInfo, WorkerReply } from './importWorker.js';
import { useWorkspace } from '../workspaces/context.js';
import { postImport, type ImportProgress } from './importRequest.js';
import { ImportOutcome } from './ImportOutcome.js';
import { CommitPlan } from './CommitPlan.js';
import { PREVIEW_ROW_HEIGHT, PreviewRow } from './PreviewRow.js';
import { ImportDefaults, importDefaults, type ImportDefaultsValue } from './ImportDefaults.js';
import { countOf } from './display.js';
import { useModalKeys } from '../../components/useModalKeys.js';

export function ImportDialog({ existingKeys, defaultTlp, onClose }: { existingKeys: Set<string>; defaultTlp: TlpLevel; onClose: () => void }) {
  const ws = useWorkspace();
  const [text, setText] = useState('');
  const [parse, setParse] = useState<{ done: number; total: number }>();
  const [candidates, setCandidates] = useState<Candidate[]>();
  const [excluded, setExcluded] = useState<Set<number>>(new Set());
  const [commit, setCommit] = useState<{ progress?: ImportProgress; result?: ImportResult }>();
  // What the preview was read from: "Commit" sends exactly this to the server, which reads it again.
  const [source, setSource] = useState<{ content: string; format: ImportFormat; mapping?: CsvField[]; skippedRows: { value: string; reason: string }[] }>();
  const [error, setError] = useState<string>();
  const [csv, setCsv] = useState<{ info: CsvInfo; text: string }>();
  const [defaults, setDefaults] = useState<ImportDefaultsValue>({ marking: { tlp: defaultTlp, releasableTo: [] }, tags: [] });
  // Focus in on open, Tab kept inside, Escape closes, focus back on the button that opened it.
  const { box, onKeyDown } = useModalKeys(onClose);

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
      setSource({ content: input, format: m.format, ...(m.csv ? { mapping: m.csv.mapping } : {}), skippedRows: m.skippedRows });
      setExcluded(new Set(m.candidates.flatMap((c, i) => (c.error || c.benign ? [i] : []))));
    };
    worker.postMessage({ text: input, format, ...(mapping ? { mapping } : {}) });
  }

  async function onFile(file: File) {
    const content = await file.text();
    run(content, detectFormat(file.name, content));
  }

  /** Posts the previewed content with the user's choices to the import route; the server's stream drives the bar. */
  async function commitAll() {
    if (!candidates || !source) return;
    // Unticked rows by key; refused and skipped ones the server judges the same way by itself.
    const exclude = [...excluded].flatMap((i) => (candidates[i] && !candidates[i].error ? [candidateKey(candidates[i])] : []));
    setCommit({});
    try {
      const body = { format: source.format, content: source.content, exclude, keepBenign: true, defaults: importDefaults(defaults) };
      const result = await postImport(ws.id, source.mapping ? { ...body, mapping: source.mapping } : body, (progress) => setCommit({ progress }));
      setCommit({ result });
    } catch (err) {
      setCommit(undefined);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog" onKeyDown={onKeyDown}>
      <div className="card modal" ref={box}>
        <div className="dialog-head">
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
        {candidates && !commit && <ImportDefaults value={defaults} onChange={setDefaults} />}
        {candidates && !commit && source && (
          <CommitPlan
            format={source.format}
            candidates={candidates}
            skippedRows={source.skippedRows}
            excluded={excluded}
            existingKeys={existingKeys}
            defaultTlp={defaultTlp}
            defaults={defaults}
          />
        )}
        {candidates && !commit && <Preview candidates={candidates} excluded={excluded} setExcluded={setExcluded} existingKeys={existingKeys} onCommit={() => void commitAll()} />}
        {commit && <ImportOutcome progress={commit.progress} result={commit.result} onClose={onClose} />}
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
        <strong>{countOf(candidates.length, 'distinct value')}</strong> · {counts.benign} probably benign · {counts.invalid} invalid · {counts.known} already on the board.{' '}
        <button className="btn small" onClick={() => setExcluded(new Set(candidates.flatMap((c, i) => (c.benign || c.error ? [i] : []))))}>
          Exclude benign and invalid
        </button>
      </p>
      <div className="preview-scroll" ref={parent}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const c = candidates[item.index]!;
            // An expired one stays ticked (shared/src/indicators/validity.ts says why); it is flagged.
            const warn =
              c.error ??
              c.benign ??
              [expiredNote(c.validUntil), existingKeys.has(`${c.type}|${c.value}`) ? 'already on the board (becomes a sighting)' : ''].filter(Boolean).join(' · ');
            return <PreviewRow key={item.index} c={c} index={item.index} top={item.start} included={!excluded.has(item.index)} warn={warn} onToggle={toggle} />;
          })}
        </div>
      </div>
      <button className="btn primary" disabled={chosen === 0} onClick={onCommit} data-testid="import-commit-btn">
        Commit {countOf(chosen, 'indicator')}
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
