/**
 * Reads a hosts file off the main thread for the import dialog's preview, with the same shared parsers
 * the server's import route runs (an nmap scan of 5,500 hosts, 13 MB, takes seconds to read: the page
 * must not freeze meanwhile). Posts `progress` messages, then `done` with what was read or `failed`
 * with the reason the file as a whole cannot be read.
 */
import { readHostsCsv, type HostCsvField, type ImportedHost, type ImportProblem } from '@huntroom/shared';
import { readNmapXml } from '@huntroom/shared/nmap';

export type HostsFormat = 'csv' | 'nmap';
export type HostsWorkerRequest = { content: string; format: HostsFormat; mapping?: HostCsvField[] };
export interface HostsReading {
  hosts: (ImportedHost & { row: number })[];
  problems: ImportProblem[];
  /** CSV only: the header (or column numbers) and the mapping in use. */
  columns?: string[];
  mapping?: HostCsvField[];
}
export type HostsWorkerReply = { kind: 'progress'; done: number; total: number } | { kind: 'done'; reading: HostsReading } | { kind: 'failed'; message: string };

const post = (m: HostsWorkerReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<HostsWorkerRequest>) => {
  const { content, format, mapping } = e.data;
  const onProgress = (done: number, total: number) => post({ kind: 'progress', done, total });
  try {
    if (format === 'nmap') {
      const r = readNmapXml(content, onProgress);
      // Numbered as the server numbers them (hunt/import/task.ts): the position among the hosts read.
      return post({ kind: 'done', reading: { hosts: r.hosts.map((h, i) => ({ row: i + 1, ...h })), problems: r.problems } });
    }
    const r = readHostsCsv(content, mapping, onProgress);
    post({ kind: 'done', reading: { hosts: r.hosts, problems: r.problems, columns: r.header ?? r.mapping.map((_, i) => `column ${i + 1}`), mapping: r.mapping } });
  } catch (err) {
    post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
};
