/**
 * Import hosts into one network from a hosts CSV (with a column mapping proposed from the header and
 * changeable) or an nmap XML scan. The file is read in a Web Worker (hostsWorker.ts) by the same
 * shared parsers the server uses, so the preview shows every row the server will refuse and why, and which hosts will be new or merge
 * into a host of the network (by hostname and address); "Import" then posts the content to
 * `POST …/hosts/import`, which reads it again and saves it through host:bulkCreate.
 */
import { useMemo, useState } from 'react';
import { HOST_CSV_FIELDS, type HostCsvField, type HostView, type HuntImportResult, type NetworkView } from '@huntroom/shared';
import { ErrorBanner } from '../../../components/forms.js';
import { useWorkspace } from '../../workspaces/context.js';
import { HuntModal, phaseLabel, ProgressBar } from './HuntModal.js';
import { ImportResultView, MarkingChoice, markingBody, SourceStep, type ImportMarking } from './ImportPieces.js';
import { planHosts, type PlannedOutcome } from './hostPlan.js';
import { postHuntImport, type ImportProgressStep } from './postHuntImport.js';
import type { HostsFormat, HostsReading } from './hostsWorker.js';
import { useHostsReading, type HostsSource } from './useHostsReading.js';

type Format = HostsFormat;
type Reading = HostsReading;

const PREVIEW_ROWS = 100;

export function HostsImportDialog({ network, hosts, onClose }: { network: NetworkView; hosts: readonly HostView[]; onClose: () => void }) {
  const ws = useWorkspace();
  const [source, setSource] = useState<HostsSource>();
  const [marking, setMarking] = useState<ImportMarking>({ tlp: '', releasableTo: [] });
  const [progress, setProgress] = useState<ImportProgressStep>();
  const [result, setResult] = useState<HuntImportResult>();
  const [error, setError] = useState<unknown>();
  const { reading, busy } = useHostsReading(source);
  const plan = useMemo(() => (reading && typeof reading !== 'string' ? planHosts(reading.hosts, hosts) : undefined), [reading, hosts]);

  function onRead(content: string, name: string) {
    setError(undefined);
    const xml = /\.xml$/i.test(name) || content.trimStart().startsWith('<');
    setSource({ content, format: xml ? 'nmap' : 'csv' });
  }

  async function commit() {
    if (!source || !reading || typeof reading === 'string' || busy) return;
    setError(undefined);
    setProgress({ phase: 'sending', done: 0, total: 0 });
    try {
      const body = {
        networkId: network.id,
        format: source.format,
        content: source.content,
        ...(source.format === 'csv' ? { mapping: reading.mapping } : {}),
        ...markingBody(marking),
      };
      setResult(await postHuntImport(`/api/workspaces/${ws.id}/hosts/import`, body, setProgress));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <HuntModal title={`Import hosts into ${network.name}`} testId="hosts-import" onClose={onClose}>
      <ErrorBanner error={error} />
      {!source && (
        <SourceStep
          placeholder={'hostname,ip,os,role\ndc01.partner.example,10.10.0.5,Windows Server 2019,dc\n\n…or the XML of nmap -oX'}
          accept=".csv,.txt,.xml"
          fileLabel="Choose a file (hosts CSV, nmap XML)"
          onRead={onRead}
        />
      )}
      {source && !result && !progress && (
        <>
          <div className="row-actions">
            <label className="small">
              Read as{' '}
              <select value={source.format} onChange={(e) => setSource({ content: source.content, format: e.target.value as Format })} data-testid="hosts-import-format">
                <option value="csv">hosts CSV</option>
                <option value="nmap">nmap XML</option>
              </select>
            </label>
            <button className="btn small" onClick={() => setSource(undefined)}>
              Another file
            </button>
          </div>
          {busy && <ProgressBar label="Reading the file" done={busy.done} total={busy.total} />}
          {typeof reading === 'string' && (
            <p className="error-banner" role="alert" data-testid="hosts-import-unreadable">
              {reading}
            </p>
          )}
          {source.format === 'csv' && reading && typeof reading !== 'string' && (
            <MappingStep columns={reading.columns ?? []} mapping={reading.mapping ?? []} onChange={(mapping) => setSource({ ...source, mapping })} />
          )}
          {reading && typeof reading !== 'string' && plan && (
            <>
              <p data-testid="hosts-import-plan">
                <strong>{plan.created}</strong> new hosts · <strong>{plan.merged}</strong> merge into hosts already there · <strong>{reading.problems.length}</strong> rows refused
              </p>
              <Preview reading={reading} outcomes={plan.outcomes} />
              <MarkingChoice value={marking} onChange={setMarking} inherit={`default: the network's marking (TLP:${network.tlp})`} />
              <button className="btn primary" disabled={!!busy || reading.hosts.length === 0} onClick={() => void commit()} data-testid="hosts-import-commit">
                Import {reading.hosts.length} hosts
              </button>
            </>
          )}
        </>
      )}
      {progress && <ProgressBar label={phaseLabel(progress.phase)} done={progress.done} total={progress.total} />}
      {result && <ImportResultView result={result} noun="hosts" onClose={onClose} />}
    </HuntModal>
  );
}

function MappingStep({ columns, mapping, onChange }: { columns: string[]; mapping: HostCsvField[]; onChange: (m: HostCsvField[]) => void }) {
  return (
    <fieldset className="hunt-import-mapping" data-testid="hosts-import-mapping">
      <legend>What each column holds</legend>
      {columns.map((name, i) => (
        <label key={i} className="small">
          <span className="mono">{name}</span>{' '}
          <select
            value={mapping[i] ?? 'ignore'}
            onChange={(e) => {
              const next = columns.map((_, j) => mapping[j] ?? 'ignore');
              next[i] = e.target.value as HostCsvField;
              onChange(next);
            }}
            data-testid={`hosts-import-col-${i}`}
          >
            {HOST_CSV_FIELDS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

const outcomeText = (o: PlannedOutcome | undefined) => (!o ? '' : o.kind === 'new' ? 'new' : o.kind === 'merge' ? `merges into ${o.into}` : `same host as row ${o.row}`);

/** The first rows in file order: what each becomes, and the refused ones with their reason. */
function Preview({ reading, outcomes }: { reading: Reading; outcomes: PlannedOutcome[] }) {
  const rows = useMemo(() => {
    const read = reading.hosts.map((h, i) => ({ row: h.row, host: h, outcome: outcomes[i] }));
    const refused = reading.problems.map((p) => ({ row: p.row, reason: p.reason }));
    return [...read, ...refused].sort((a, b) => a.row - b.row).slice(0, PREVIEW_ROWS);
  }, [reading, outcomes]);
  const total = reading.hosts.length + reading.problems.length;
  return (
    <div className="hunt-import-preview" data-testid="hosts-import-preview">
      <table className="small">
        <thead>
          <tr>
            <th>Row</th>
            <th>Hostname</th>
            <th>Addresses</th>
            <th>OS</th>
            <th>Role</th>
            <th>Becomes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            'reason' in r ? (
              <tr key={`p${r.row}`} className="refused" data-testid={`hosts-import-row-${r.row}`}>
                <td>{r.row}</td>
                <td colSpan={5}>refused: {r.reason}</td>
              </tr>
            ) : (
              <tr key={r.row} data-testid={`hosts-import-row-${r.row}`} data-outcome={r.outcome?.kind}>
                <td>{r.row}</td>
                <td className="mono">{r.host.hostname ?? ''}</td>
                <td className="mono">{r.host.addresses.join(', ')}</td>
                <td>{r.host.os ?? ''}</td>
                <td>{r.host.role ?? ''}</td>
                <td>{outcomeText(r.outcome)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {total > PREVIEW_ROWS && (
        <p className="muted small">
          The first {PREVIEW_ROWS} rows of {total}; the counts above are of all.
        </p>
      )}
    </div>
  );
}
