/**
 * Hunt imports (`/hosts/import`, `/timeline/import`) answer as the indicator import does (README,
 * "Importing hosts and timelines"): one JSON document by default, NDJSON progress lines then one
 * result (or error) line with `Accept: application/x-ndjson`; malformed rows reported by row, a
 * malformed file as the stream's error line; a body over the route's limit refused 413 before it is
 * read; a read over IMPORT_TIME_BUDGET_MS stopped, refused 413, nothing saved, the node still serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HuntImportResult, ImportPhase } from '@huntroom/shared';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { streamBody } from '../helpers/load.js';
import { login } from './indicators-helpers.js';
import { huntCommand } from './samples-helpers.js';

type Line = { progress: { phase: ImportPhase; done: number; total: number } } | { result: HuntImportResult } | { error: { code: string; message: string; status: number } };
const creds = (c: ApiClient) => ({ cookie: c.cookie!, 'x-csrf-token': c.csrfToken! });

async function importStream(server: TestServer, api: ApiClient, path: string, body: unknown): Promise<{ status: number; type: string | null; lines: Line[] }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { ...creds(api), 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
  });
  const lines = (await res.text())
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);
  return { status: res.status, type: res.headers.get('content-type'), lines };
}

/** A Timesketch CSV of `n` events on `host`, with the given extra lines at the end. */
const timesketch = (n: number, tag: string, extra: string[] = []) =>
  [
    'message,datetime,timestamp_desc,hostname',
    ...Array.from(
      { length: n },
      (_, i) => `${tag} ${i},2026-11-20T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,Event Recorded,${tag}-host`,
    ),
    ...extra,
  ].join('\n');

describe('hunt imports: progress stream, limits and time budget', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let network: string;
  const path = (kind: 'hosts' | 'timeline') => `/api/workspaces/${ws}/${kind}/import`;

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    network = (await huntCommand(server.url, alice, ws, 'network:create', { name: 'Stream LAN', tlp: 'GREEN' })).network.id;
  }, 60_000);
  afterAll(async () => server.stop());

  it('streams parse and save progress, then the result line with the malformed rows reported by row', async () => {
    const content = timesketch(12_000, 'streamed', ['not a date,yesterday,Event Recorded,x', 'also bad,,Event Recorded,x']);
    const { status, type, lines } = await importStream(server, alice, path('timeline'), { content });
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/x-ndjson/);
    const last = lines.at(-1)!;
    expect('result' in last && last.result).toMatchObject({ format: 'timesketch', read: 12_000, created: 12_000, rejected: 0, dryRun: false });
    const problems = 'result' in last ? last.result.problems : [];
    // Rows are lines of the file: the header is line 1.
    expect(problems.map((p) => p.row)).toEqual([12_002, 12_003]);
    const progress = lines.slice(0, -1).map((l) => ('progress' in l ? l.progress : undefined));
    expect(progress.every(Boolean)).toBe(true);
    const parse = progress.filter((p) => p!.phase === 'parse');
    const save = progress.filter((p) => p!.phase === 'save');
    expect(parse[0]).toMatchObject({ done: 0 });
    expect(parse.at(-1)).toMatchObject({ done: parse.at(-1)!.total });
    // Batches of 5,000 (the bulk limit): a line after each.
    expect(save.map((p) => [p!.done, p!.total])).toEqual([
      [5_000, 12_000],
      [10_000, 12_000],
      [12_000, 12_000],
    ]);
    expect(progress.indexOf(save[0])).toBeGreaterThan(progress.indexOf(parse.at(-1)));

    // Hosts stream the same way; a dry run saves nothing and says so.
    const hosts = await importStream(server, alice, path('hosts'), {
      networkId: network,
      format: 'csv',
      content: 'hostname,ip\nst-1,10.61.0.1\nst-2,not-an-address\n',
      dryRun: true,
    });
    expect(hosts.lines.at(-1)).toMatchObject({ result: { format: 'csv', read: 1, created: 0, dryRun: true, problems: [{ row: 3 }] } });
    expect((await alice.get(`/api/workspaces/${ws}/hosts?network=${network}`)).body.total).toBe(0);
  }, 120_000);

  it('a malformed file is the stream error line with its status; without the header the answer stays one JSON document', async () => {
    const bad = await importStream(server, alice, path('timeline'), { content: 'when,what\n2024-01-01,x\n' });
    expect(bad.status).toBe(200);
    expect(bad.lines).toHaveLength(bad.lines.findIndex((l) => 'error' in l) + 1);
    expect(bad.lines.at(-1)).toMatchObject({ error: { code: 'validation_failed', status: 400, message: expect.stringMatching(/none of the known shapes/) } });
    const notJson = await importStream(server, alice, path('hosts'), '{"networkId": ');
    expect(notJson.lines.at(-1)).toMatchObject({ error: { status: 400 } });
    const plain = await alice.post(path('hosts'), { networkId: network, format: 'csv', content: 'hostname,ip\nplain-1,10.62.0.1\n' });
    expect(plain.status).toBe(201);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.body).toMatchObject({ created: 1, problems: [] });
  });

  it('a body over the limit (50 MB of content) is refused 413 before it is read, declared or streamed, even when a stream is asked for', async () => {
    const MB = 1024 * 1024;
    const headers = { ...creds(alice), 'content-type': 'application/json', accept: 'application/x-ndjson' };
    const declared = await streamBody(server.url, path('timeline'), { total: 60 * MB, declare: true, headers, prefix: '{"content": "' });
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/too large \(at most \d+ bytes here\)/) });
    expect(declared.sentBeforeAnswer).toBeLessThan(60 * MB);
    const streamed = await streamBody(server.url, path('hosts'), { total: 60 * MB, declare: false, headers, prefix: '{"content": "' });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe('payload_too_large');
  }, 120_000);
});

describe('hunt import time budget', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ws: string;
  beforeAll(async () => {
    // A budget no real read of 15 MB can meet: the job is stopped through the pool's AbortSignal.
    server = await startTestServer({ IMPORT_TIME_BUDGET_MS: '30' });
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
  }, 60_000);
  afterAll(() => server.stop());

  it('a read over the budget is stopped and refused 413, as JSON and as the stream error line; nothing saved; the node keeps serving', async () => {
    const content = timesketch(200_000, 'overbudget');
    expect(content.length).toBeGreaterThan(10_000_000);
    const before = (await alice.get(`/api/workspaces/${ws}/timeline?limit=1`)).body.total as number;
    const started = Date.now();
    const res = await alice.post(`/api/workspaces/${ws}/timeline/import`, { content });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/took longer than the 30 ms one import may take.*nothing was saved/);
    // Stopped near the budget, not after the whole read.
    expect(Date.now() - started).toBeLessThan(15_000);
    const streamed = await importStream(server, alice, `/api/workspaces/${ws}/timeline/import`, { content });
    expect(streamed.lines.at(-1)).toMatchObject({ error: { code: 'payload_too_large', status: 413 } });
    expect((await alice.get(`/api/workspaces/${ws}/timeline?limit=1`)).body.total).toBe(before);
    expect((await alice.get('/healthz')).status).toBe(200);
  }, 120_000);
});
