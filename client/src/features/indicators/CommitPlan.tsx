/**
 * What "Commit" will do, counted with the shared `planImport` the server applies to the same choices:
 * new indicators, values merged into ones already on the board (a sighting, never a second row),
 * rows the server will refuse and rows skipped (left out, probably benign unticked, not indicators).
 * A value another team holds hidden from yours is counted as new here and merged by the server: the
 * board cannot know of it, and must not.
 */
import { useMemo } from 'react';
import { candidateKey, planImport, type ImportCandidate, type ImportFormat, type TlpLevel } from '@huntroom/shared';

export function CommitPlan({
  format,
  candidates,
  skippedRows,
  excluded,
  existingKeys,
  defaultTlp,
}: {
  format: ImportFormat;
  candidates: ImportCandidate[];
  skippedRows: { value: string; reason: string }[];
  excluded: Set<number>;
  existingKeys: Set<string>;
  defaultTlp: TlpLevel;
}) {
  const plan = useMemo(() => {
    const exclude = [...excluded].flatMap((i) => (candidates[i] ? [candidateKey(candidates[i])] : []));
    const p = planImport({ format, candidates, skippedRows }, { exclude, keepBenign: true }, defaultTlp);
    // The file's own sightings ride on their indicator's row: not a row of their own.
    const rows = p.items.filter((x) => !x.sighting);
    const merged = rows.filter((x) => existingKeys.has(candidateKey(x.candidate))).length;
    return { created: rows.length - merged, merged, rejected: p.rejected.length, skipped: p.skipped.length };
  }, [format, candidates, skippedRows, excluded, existingKeys, defaultTlp]);
  return (
    <p className="small" data-testid="import-plan">
      Commit will add <strong>{plan.created}</strong> new · merge <strong>{plan.merged}</strong> into indicators already on the board · refuse <strong>{plan.rejected}</strong> ·
      skip <strong>{plan.skipped}</strong>
    </p>
  );
}
