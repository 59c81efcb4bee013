/**
 * What every hunt import returns beside its items: the rows (or scanned hosts) it refused, each with
 * where it was and why, so a person can fix the source and import again. One bad row never stops the
 * others (issue 18: "each row judged on its own").
 */
export interface ImportProblem {
  /** 1-based row of the CSV (the header is row 1), or the position of the host in an nmap scan. */
  row: number;
  reason: string;
}

/**
 * Called now and then with how far a long import is (rows or hosts read of the total), so the worker
 * running it can report progress; never called more than once per PROGRESS_EVERY items.
 */
export type ImportProgress = (done: number, total: number) => void;

export const PROGRESS_EVERY = 5_000;

/** Calls `onProgress` every PROGRESS_EVERY items and once at the end. */
export function progressReporter(total: number, onProgress?: ImportProgress): (done: number) => void {
  if (!onProgress) return () => {};
  return (done) => {
    if (done === total || done % PROGRESS_EVERY === 0) onProgress(done, total);
  };
}

/** A cell as people write "nothing": empty, or the dash plaso writes for a missing value. */
export const blank = (cell: string | undefined): boolean => {
  const t = cell?.trim();
  return !t || t === '-';
};

/** Lower case, and spaces, dashes, dots and slashes as underscores: how header names are compared. */
export const headerKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_');
