/**
 * Parses a paste or a file off the main thread, so a 10 MB paste never freezes the page: free text
 * through the shared extractor (with progress), or CSV, STIX 2.1 and MISP JSON through the shared
 * importers. Posts `progress` messages, then `done` with the candidates or `failed` with the reason.
 */
import { extractIndicators, importMisp, importStix, readCsv, ImportError, type Candidate, type CsvField, type CsvSkipped } from '@huntroom/shared';

export type ImportFormat = 'text' | 'csv' | 'stix' | 'misp';
/** `mapping`: what each CSV column means, as the user chose in the mapping step (else proposed from the header). */
export type WorkerRequest = { text: string; format: ImportFormat; mapping?: CsvField[] };
/** What the mapping step shows for a CSV: its header, the mapping used, and the rows skipped with their reason. */
export type CsvInfo = { header: string[] | undefined; mapping: CsvField[]; skipped: CsvSkipped[] };
export type WorkerReply =
  { kind: 'progress'; done: number; total: number } | { kind: 'done'; candidates: Candidate[]; found: number; csv?: CsvInfo } | { kind: 'failed'; message: string };

const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { text, format, mapping } = e.data;
  try {
    if (format === 'text') {
      const r = extractIndicators(text, { onProgress: (done, total) => post({ kind: 'progress', done, total }) });
      return post({ kind: 'done', candidates: r.candidates, found: r.found });
    }
    post({ kind: 'progress', done: 0, total: text.length });
    if (format === 'csv') {
      const r = readCsv(text, mapping);
      return post({
        kind: 'done',
        candidates: r.candidates,
        found: r.candidates.reduce((n, c) => n + c.count, 0),
        csv: { header: r.header, mapping: r.mapping, skipped: r.skipped },
      });
    }
    const candidates = format === 'stix' ? importStix(JSON.parse(text)) : importMisp(JSON.parse(text));
    post({ kind: 'done', candidates, found: candidates.reduce((n, c) => n + c.count, 0) });
  } catch (err) {
    const message = err instanceof ImportError || err instanceof SyntaxError ? err.message : `could not read the input: ${String(err)}`;
    post({ kind: 'failed', message });
  }
};
