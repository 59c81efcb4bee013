/**
 * The reading step of a hunt import in a worker thread of the pool: the JSON body (up to 50 MB) is
 * decoded, checked against its schema and read by the shared parsers (nmap XML, hosts CSV,
 * super-timeline CSV), so a large file never holds the main thread. Returns what was read, or a
 * refusal with a status code and a message for the caller.
 */
import {
  hostsImportRequestSchema,
  readHostsCsv,
  readTimelineCsv,
  timelineImportRequestSchema,
  type HostsImportRequest,
  type ImportedEvent,
  type ImportedHost,
  type ImportProblem,
  type TimelineImportRequest,
} from '@huntroom/shared';
import { readNmapXml } from '@huntroom/shared/nmap';
import type { MessagePort } from 'node:worker_threads';
import type { ZodType } from 'zod';
import type { BudgetedTaskMessage } from '../../workers/budget.js';

export interface HuntImportTaskInput {
  kind: 'hosts' | 'timeline';
  bytes: Uint8Array;
  /** `started` when a thread takes it (the route's time budget runs from then), then bytes read. */
  port: MessagePort;
}

export interface HostsRead {
  kind: 'hosts';
  request: Omit<HostsImportRequest, 'content'>;
  format: string;
  hosts: (ImportedHost & { row: number })[];
  problems: ImportProblem[];
}

export interface TimelineRead {
  kind: 'timeline';
  request: Omit<TimelineImportRequest, 'content'>;
  format: string;
  events: ImportedEvent[];
  problems: ImportProblem[];
}

export interface HuntImportRefusal {
  refused: 'validation_failed' | 'bad_request';
  message: string;
  fields?: Record<string, string>;
}

function decode<T>(bytes: Uint8Array, schema: ZodType<T>): T | HuntImportRefusal {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return { refused: 'bad_request', message: 'the request body is not valid JSON' };
  }
  const ok = schema.safeParse(body);
  if (ok.success) return ok.data;
  const fields: Record<string, string> = {};
  for (const i of ok.error.issues) fields[i.path.join('.') || '(body)'] ??= i.message;
  const [path, msg] = Object.entries(fields)[0] ?? ['(body)', 'invalid'];
  return { refused: 'validation_failed', message: `Invalid input (${path}: ${msg})`, fields };
}

export function huntImportTask({ kind, bytes, port }: HuntImportTaskInput): HostsRead | TimelineRead | HuntImportRefusal {
  const say = (m: BudgetedTaskMessage) => port.postMessage(m);
  say({ started: true });
  // The shared parsers read a file in one pass; the bar shows the start and the end of it.
  say({ done: 0, total: bytes.byteLength });
  try {
    const read = readRequest(kind, bytes);
    say({ done: bytes.byteLength, total: bytes.byteLength });
    return read;
  } finally {
    port.close();
  }
}

function readRequest(kind: HuntImportTaskInput['kind'], bytes: Uint8Array): HostsRead | TimelineRead | HuntImportRefusal {
  try {
    if (kind === 'hosts') {
      const req = decode(bytes, hostsImportRequestSchema);
      if ('refused' in req) return req;
      const { content, ...request } = req;
      if (request.format === 'nmap') {
        const r = readNmapXml(content);
        return { kind, request, format: 'nmap', hosts: r.hosts.map((h, i) => ({ row: i + 1, ...h })), problems: r.problems };
      }
      const r = readHostsCsv(content, request.mapping);
      return { kind, request: { ...request, mapping: r.mapping }, format: 'csv', hosts: r.hosts, problems: r.problems };
    }
    const req = decode(bytes, timelineImportRequestSchema);
    if ('refused' in req) return req;
    const { content, ...request } = req;
    const r = readTimelineCsv(content, request.timeZone ? { timeZone: request.timeZone } : {});
    return { kind, request, format: r.format, events: r.events, problems: r.problems };
  } catch (err) {
    // The parsers throw only ImportError, for a file that as a whole is not of its format.
    if (err instanceof Error && err.name === 'ImportError') return { refused: 'validation_failed', message: err.message, fields: { content: err.message } };
    throw err;
  }
}
