/**
 * Import timeline events from a CSV: plaso's l2tcsv and dynamic CSV and Timesketch's CSV are
 * recognised by their header; any other CSV goes through a column mapping (timelineMapping.ts). The
 * zone of times written without one is chosen here. The first rows are read in the browser by the
 * server's own reader for the preview (each refused row with its reason, each host name matched or
 * not); "Import" posts the whole content to `POST …/timeline/import`.
 */
import { useMemo, useState } from 'react';
import { hostnameKey, parseCsvRows, readTimelineCsv, timelineFormatOf, type HostView, type HuntImportResult, type TimelineReading } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useWorkspace } from '../../workspaces/context.js';
import { HuntModal, phaseLabel, ProgressBar } from './HuntModal.js';
import { ImportResultView, MarkingChoice, markingBody, SourceStep, type ImportMarking } from './ImportPieces.js';
import { postHuntImport, type ImportProgressStep } from './postHuntImport.js';
import { mappingProblem, proposeTimelineMapping, TIMELINE_FIELD_LABEL, TIMELINE_FIELDS, toTimesketchCsv, type TimelineField } from './timelineMapping.js';

/** The preview reads this much of the file's start (whole rows); the server reads all of it. */
const PREVIEW_CHARS = 256 * 1024;
const PREVIEW_ROWS = 100;
const ZONES = [
  'UTC',
  Intl.DateTimeFormat().resolvedOptions().timeZone,
  'Europe/London',
  'Europe/Berlin',
  'Europe/Riga',
  'Europe/Kyiv',
  'America/New_York',
  'America/Toronto',
  'Asia/Tokyo',
];

function headOf(content: string): string {
  if (content.length <= PREVIEW_CHARS) return content;
  const cut = content.lastIndexOf('\n', PREVIEW_CHARS);
  return content.slice(0, cut > 0 ? cut + 1 : PREVIEW_CHARS);
}

export function TimelineImportDialog({ hosts, onClose }: { hosts: readonly HostView[]; onClose: () => void }) {
  const ws = useWorkspace();
  const [content, setContent] = useState<string>();
  const [mapping, setMapping] = useState<TimelineField[]>();
  const [zone, setZone] = useState('UTC');
  const [marking, setMarking] = useState<ImportMarking>({ tlp: '', releasableTo: [] });
  const [progress, setProgress] = useState<ImportProgressStep>();
  const [result, setResult] = useState<HuntImportResult>();
  const [error, setError] = useState<unknown>();

  const head = useMemo(() => (content === undefined ? undefined : parseCsvRows(headOf(content).replace(/^\uFEFF/, ''))), [content]);
  const known = head?.[0] ? timelineFormatOf(head[0]) : undefined;
  const hostKeys = useMemo(() => new Set(hosts.filter((h) => h.hostname).map((h) => hostnameKey(h.hostname))), [hosts]);
  const preview = useMemo((): TimelineReading | string | undefined => {
    if (!head?.[0]) return undefined;
    const problem = known ? undefined : mapping && mappingProblem(mapping);
    if (problem) return problem;
    if (!known && !mapping) return undefined;
    const csv = known ? headOf(content ?? '') : toTimesketchCsv(head.slice(1, PREVIEW_ROWS + 1), mapping!);
    try {
      return readTimelineCsv(csv, zone ? { timeZone: zone } : {});
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }, [head, known, mapping, content, zone]);

  function onRead(text: string) {
    setError(undefined);
    const rows = parseCsvRows(headOf(text).replace(/^\uFEFF/, ''));
    setContent(text);
    setMapping(rows[0] && !timelineFormatOf(rows[0]) ? proposeTimelineMapping(rows[0]) : undefined);
  }

  async function commit() {
    if (content === undefined) return;
    setError(undefined);
    setProgress({ phase: 'sending', done: 0, total: 0 });
    try {
      // A generic CSV travels in Timesketch's shape, row for row, so the server's row numbers are the file's.
      const body = known || !mapping ? content : toTimesketchCsv(parseCsvRows(content.replace(/^\uFEFF/, '')).slice(1), mapping);
      setResult(await postHuntImport(`/api/workspaces/${ws.id}/timeline/import`, { content: body, ...(zone ? { timeZone: zone } : {}), ...markingBody(marking) }, setProgress));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(undefined);
    }
  }

  const reading = typeof preview === 'object' ? preview : undefined;
  const lines = useMemo(() => (content === undefined ? 0 : countLines(content)), [content]);
  const headRows = (head?.length ?? 1) - 1;
  const partial = headRows < lines - 1 || (!known && headRows > PREVIEW_ROWS);
  return (
    <HuntModal title="Import timeline events" testId="timeline-import" onClose={onClose}>
      <ErrorBanner error={error} />
      {content === undefined && (
        <SourceStep
          placeholder={'A plaso (l2tcsv or dynamic) or Timesketch CSV, or any CSV with a time and a description column'}
          accept=".csv,.txt"
          fileLabel="Choose a CSV file"
          onRead={onRead}
        />
      )}
      {content !== undefined && !result && !progress && (
        <>
          <div className="row-actions">
            <span className="small" data-testid="timeline-import-format">
              {known
                ? `Recognised: ${known === 'l2tcsv' ? 'plaso l2tcsv' : known === 'plaso-dynamic' ? 'plaso dynamic CSV' : 'Timesketch CSV'}`
                : 'Generic CSV: choose what the columns hold'}
            </span>
            <label className="small">
              Times without a zone are in{' '}
              <input list="timeline-import-zones" value={zone} onChange={(e) => setZone(e.target.value.trim())} size={16} data-testid="timeline-import-zone" />
            </label>
            <datalist id="timeline-import-zones">
              {[...new Set(ZONES)].map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <button className="btn small" onClick={() => setContent(undefined)}>
              Another file
            </button>
          </div>
          {!known && mapping && head?.[0] && <TimelineMappingStep columns={head[0]} mapping={mapping} onChange={setMapping} />}
          {typeof preview === 'string' && (
            <p className="error-banner" role="alert" data-testid="timeline-import-unreadable">
              {preview}
            </p>
          )}
          {reading && <TimelinePreview reading={reading} hostKeys={hostKeys} partial={partial} />}
          <MarkingChoice value={marking} onChange={setMarking} inherit="default: each event's host's marking, else the workspace's" />
          <button className="btn primary" disabled={!reading || reading.events.length === 0} onClick={() => void commit()} data-testid="timeline-import-commit">
            Import events
          </button>
        </>
      )}
      {progress && <ProgressBar label={phaseLabel(progress.phase)} done={progress.done} total={progress.total} />}
      {result && <ImportResultView result={result} noun="events" onClose={onClose} />}
    </HuntModal>
  );
}

/** Lines of the content (an upper bound of its rows, for "the first N rows" only). */
const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

function TimelineMappingStep({ columns, mapping, onChange }: { columns: string[]; mapping: TimelineField[]; onChange: (m: TimelineField[]) => void }) {
  return (
    <fieldset className="hunt-import-mapping" data-testid="timeline-import-mapping">
      <legend>What each column holds</legend>
      {columns.map((name, i) => (
        <label key={i} className="small">
          <span className="mono">{name}</span>{' '}
          <select
            value={mapping[i] ?? 'ignore'}
            onChange={(e) => {
              const f = e.target.value as TimelineField;
              // One column per meaning: choosing it here frees the column that had it.
              onChange(columns.map((_, j) => (j === i ? f : mapping[j] === f && f !== 'ignore' ? 'ignore' : (mapping[j] ?? 'ignore'))));
            }}
            data-testid={`timeline-import-col-${i}`}
          >
            {TIMELINE_FIELDS.map((f) => (
              <option key={f} value={f}>
                {TIMELINE_FIELD_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

function TimelinePreview({ reading, hostKeys, partial }: { reading: TimelineReading; hostKeys: Set<string>; partial: boolean }) {
  const rows = useMemo(
    () =>
      [...reading.events.map((e) => ({ row: e.row, event: e })), ...reading.problems.map((p) => ({ row: p.row, reason: p.reason }))]
        .sort((a, b) => a.row - b.row)
        .slice(0, PREVIEW_ROWS),
    [reading],
  );
  return (
    <div className="hunt-import-preview" data-testid="timeline-import-preview">
      <p className="small" data-testid="timeline-import-summary">
        {partial ? 'In the first rows: ' : ''}
        <strong>{reading.events.length}</strong> events read · <strong>{reading.problems.length}</strong> rows refused
      </p>
      <table className="small">
        <thead>
          <tr>
            <th>Row</th>
            <th>UTC</th>
            <th>Zone</th>
            <th>Host</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            'reason' in r ? (
              <tr key={`p${r.row}`} className="refused" data-testid={`timeline-import-row-${r.row}`}>
                <td>{r.row}</td>
                <td colSpan={4}>refused: {r.reason}</td>
              </tr>
            ) : (
              <tr key={r.row} data-testid={`timeline-import-row-${r.row}`}>
                <td>{r.row}</td>
                <td className="mono">{r.event.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{r.event.sourceTimeZone}</td>
                <td>
                  {r.event.host ?? ''}
                  {r.event.host && !hostKeys.has(hostnameKey(r.event.host)) && <span className="muted"> (no such host: kept without one)</span>}
                </td>
                <td>{r.event.timestampDescription ? `${r.event.timestampDescription}: ${r.event.description}` : r.event.description}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
