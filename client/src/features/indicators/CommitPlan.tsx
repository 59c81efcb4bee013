/**
 * What "Commit" will do, counted with the shared `planImport` the server applies to the same choices:
 * new indicators, values merged into ones already on the board (a sighting, never a second row),
 * rows the server will refuse and rows skipped (left out, probably benign unticked, not indicators).
 * Team codes are checked against the teams with the marking normalization the server runs, so a row
 * naming an unknown team is listed as refused here, with the server's reason. A value another team
 * holds hidden from yours is counted as new here and merged by the server: the board cannot know of
 * it, and must not.
 */
import { useMemo } from 'react';
import { candidateKey, planImport, type ImportCandidate, type ImportFormat, type TlpLevel } from '@huntroom/shared';
import { useTeamList } from '../../components/MarkingEditor.js';
import { importDefaults, type ImportDefaultsValue } from './ImportDefaults.js';

export function CommitPlan({
  format,
  candidates,
  skippedRows,
  excluded,
  existingKeys,
  defaultTlp,
  defaults,
}: {
  format: ImportFormat;
  candidates: ImportCandidate[];
  skippedRows: { value: string; reason: string }[];
  excluded: Set<number>;
  existingKeys: Set<string>;
  defaultTlp: TlpLevel;
  /** The dialog's choice for rows without their own marking, as the commit sends it. */
  defaults: ImportDefaultsValue;
}) {
  const teams = useTeamList().data;
  const plan = useMemo(() => {
    const exclude = [...excluded].flatMap((i) => (candidates[i] ? [candidateKey(candidates[i])] : []));
    const p = planImport({ format, candidates, skippedRows }, { exclude, keepBenign: true, teams, defaults: importDefaults(defaults) }, defaultTlp);
    // The file's own sightings ride on their indicator's row: not a row of their own.
    const rows = p.items.filter((x) => !x.sighting);
    const merged = rows.filter((x) => existingKeys.has(candidateKey(x.candidate))).length;
    // Refusals the rows below do not show (their own errors they do): the teams check.
    const invalid = new Set(candidates.flatMap((c) => (c.error ? [c.value] : [])));
    const markingRefusals = p.rejected.filter((r) => !invalid.has(r.value));
    return { created: rows.length - merged, merged, rejected: p.rejected.length, skipped: p.skipped.length, markingRefusals };
  }, [format, candidates, skippedRows, excluded, existingKeys, defaultTlp, teams, defaults]);
  return (
    <div data-testid="import-plan">
      <p className="small">
        Commit will add <strong>{plan.created}</strong> new · merge <strong>{plan.merged}</strong> into indicators already on the board · refuse <strong>{plan.rejected}</strong> ·
        skip <strong>{plan.skipped}</strong>
      </p>
      {plan.markingRefusals.length > 0 && (
        <ul className="import-outcome-rows small" data-testid="import-plan-refused">
          {plan.markingRefusals.slice(0, 50).map((r, i) => (
            <li key={i}>
              <span className="mono">{r.value}</span> <span className="muted">refused: {r.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
