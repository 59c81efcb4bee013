/**
 * The import dialog after "Commit": the server's progress (reading, then saving) as a bar, then what it
 * did: how many indicators are new, how many were merged into ones already there (a sighting), and
 * each refused or skipped row with its reason.
 */
import type { ImportResult } from '@huntroom/shared';
import type { ImportProgress } from './importRequest.js';

const PHASE_LABEL = { parse: 'Reading on the server', save: 'Saving' } as const;

export function ImportProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
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

export function ImportOutcome({ progress, result, onClose }: { progress: ImportProgress | undefined; result: ImportResult | undefined; onClose: () => void }) {
  return (
    <div data-testid="import-commit">
      {!result && <ImportProgressBar label={PHASE_LABEL[progress?.phase ?? 'parse']} done={progress?.done ?? 0} total={progress?.total ?? 0} />}
      {result && (
        <>
          <p data-testid="import-result">
            {result.created} new · {result.merged} merged into indicators already there (a sighting) · {result.rejectedTotal} refused · {result.skippedTotal} skipped
            {result.sightings ? ` · ${result.sightings} sightings from the file` : ''}
          </p>
          <RowList title="Refused" rows={result.rejected} total={result.rejectedTotal} testId="import-rejected" />
          <RowList title="Skipped" rows={result.skipped} total={result.skippedTotal} testId="import-skipped" />
          <button className="btn primary" onClick={onClose} data-testid="import-close">
            Done
          </button>
        </>
      )}
    </div>
  );
}

/** At most this many rows drawn; the server lists up to 10,000 and counts the rest. */
const SHOWN = 200;

function RowList({ title, rows, total, testId }: { title: string; rows: { value: string; reason: string }[]; total: number; testId: string }) {
  if (!rows.length) return null;
  return (
    <details open={rows.length <= 20} data-testid={testId}>
      <summary className="small">
        {title}: {total}
      </summary>
      <ul className="import-outcome-rows small">
        {rows.slice(0, SHOWN).map((r, i) => (
          <li key={i}>
            <span className="mono">{r.value}</span> <span className="muted">{r.reason}</span>
          </li>
        ))}
        {total > SHOWN && <li className="muted">and {total - SHOWN} more</li>}
      </ul>
    </details>
  );
}
