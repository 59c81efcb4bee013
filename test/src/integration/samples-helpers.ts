/**
 * Helpers of the malware-sample suites (hunt-samples.test.ts, authz-samples.test.ts): a finding made
 * through the record plane's hunt commands (network, host, finding), and uploads and downloads as a browser or a
 * script sends them (multipart form, cookie and CSRF header, or a bearer token).
 */
import { request } from 'node:http';
import type { ApiClient } from '../helpers/http.js';
import { connect } from './indicators-helpers.js';

export interface Caller {
  cookie?: string | undefined;
  csrfToken?: string | undefined;
  bearer?: string | undefined;
}

const headersOf = (c: Caller | undefined, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(c?.cookie ? { cookie: c.cookie } : {}),
  ...(c?.csrfToken ? { 'x-csrf-token': c.csrfToken } : {}),
  ...(c?.bearer ? { authorization: `Bearer ${c.bearer}` } : {}),
  ...extra,
});

/** Runs one hunt command through the record plane's socket, as the app does; returns the ack's data. */
export async function huntCommand(baseUrl: string, api: ApiClient, ws: string, type: string, payload: Record<string, unknown>): Promise<any> {
  const client = await connect(baseUrl, api, ws);
  try {
    const ack = await client.cmd(type, payload);
    if (!ack.ok) throw new Error(`${type}: ${JSON.stringify(ack.error)}`);
    return ack.data;
  } finally {
    client.close();
  }
}

/** A network, a host on it and a finding on the host, made by `api` with the finding's marking. */
export async function makeFinding(baseUrl: string, api: ApiClient, ws: string, marking: { tlp: string; releasableTo?: string[] }, title = 'Implant on the host'): Promise<string> {
  const net = await huntCommand(baseUrl, api, ws, 'network:create', { name: `net ${title}`, tlp: 'GREEN' });
  const host = await huntCommand(baseUrl, api, ws, 'host:create', { networkId: net.network.id, hostname: `h-${Math.random().toString(36).slice(2, 8)}`, tlp: 'GREEN' });
  const finding = await huntCommand(baseUrl, api, ws, 'finding:create', { hostId: host.host.id, kind: 'malware', title, ...marking });
  return finding.finding.id as string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  bytes: Buffer;
}

async function answer(res: Response): Promise<Answer> {
  const bytes = Buffer.from(await res.arrayBuffer());
  let body: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, headers: res.headers, body, bytes };
}

export const samplesPath = (ws: string, findingId: string) => `/api/workspaces/${ws}/findings/${findingId}/samples`;

/** Uploads `bytes` as the form field `field` (default `file`), as a browser's form would. */
export async function upload(
  baseUrl: string,
  c: Caller | undefined,
  ws: string,
  findingId: string,
  bytes: Uint8Array,
  o: { name?: string; field?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const form = new FormData();
  form.append(o.field ?? 'file', new Blob([bytes as Uint8Array<ArrayBuffer>]), o.name ?? 'sample.exe');
  return answer(await fetch(baseUrl + samplesPath(ws, findingId), { method: 'POST', body: form, headers: headersOf(c, o.headers) }));
}

export async function call(baseUrl: string, c: Caller | undefined, method: string, path: string): Promise<Answer> {
  return answer(await fetch(baseUrl + path, { method, headers: headersOf(c) }));
}

/**
 * Streams a multipart upload of `size` bytes without a Content-Length (chunked), so only the server's
 * own counting can stop it; resolves with the status the server answered (the server may close the
 * connection after answering, which is expected).
 */
export function streamUpload(baseUrl: string, c: Caller, ws: string, findingId: string, size: number): Promise<{ status: number; body: string }> {
  const boundary = '----huntroom-test-boundary';
  const url = new URL(baseUrl + samplesPath(ws, findingId));
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers: headersOf(c, { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' }) }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      const done = () => resolve({ status: res.statusCode ?? 0, body });
      res.on('data', (d: string) => (body += d));
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    // Writing on after the server answered and closed fails (EPIPE, reset): expected, the answer counts.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const piece = Buffer.alloc(1024 * 1024, 0x41);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(piece.length, size - sent);
        sent += n;
        if (req.destroyed) return;
        if (!req.write(n === piece.length ? piece : piece.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}
