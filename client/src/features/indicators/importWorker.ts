/**
 * Parses a paste or a file off the main thread, so a 10 MB paste never freezes the page, with the
 * shared `parseImport`: the same function the server's import route runs on the same content, so the
 * preview's candidates, and their verdicts, are the ones the commit will get. Posts `progress`
 * messages, then `done` with the candidates or `failed` with the reason.
 */
import { parseImport, ImportError, type CsvField, type CsvSkipped, type ImportCandidate, type ImportFormat } from '@huntroom/shared';

export type { ImportFormat };
/** `mapping`: what each CSV column means, as the user chose in the mapping step (else proposed from the header). */
export type WorkerRequest = { text: string; format: ImportFormat | 'auto'; mapping?: CsvField[] };
/** What the mapping step shows for a CSV: its header, the mapping used, and the rows skipped with their reason. */
export type CsvInfo = { header: string[] | undefined; mapping: CsvField[]; skipped: CsvSkipped[] };
export type WorkerReply =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; format: ImportFormat; candidates: ImportCandidate[]; skippedRows: { value: string; reason: string }[]; found: number; csv?: CsvInfo }
  | { kind: 'failed'; message: string };

const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { text, format, mapping } = e.data;
  try {
    const r = parseImport(text, format, { mapping, onProgress: (done, total) => post({ kind: 'progress', done, total }) });
    post({
      kind: 'done',
      format: r.format,
      candidates: r.candidates,
      skippedRows: r.skippedRows,
      found: r.candidates.reduce((n, c) => n + c.count, 0),
      ...(r.csv ? { csv: r.csv } : {}),
    });
  } catch (err) {
    const message = err instanceof ImportError || err instanceof SyntaxError ? err.message : `could not read the input: ${String(err)}`;
    post({ kind: 'failed', message });
  }
};
