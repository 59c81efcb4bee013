/**
 * Calls of POST /api/workspaces/:id/indicators/import as a script or the browser makes them: a JSON
 * body, a multipart form with the content as `file`, and the progress stream (NDJSON) read line by line.
 */
import type { ImportStreamLine } from '@huntroom/shared';
import { addMember, makeWorkspace, startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import type { ApiClient, ApiResponse } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { login } from './indicators-helpers.js';

/** Where an import suite runs: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const IMPORT_BACKENDS: { name: string; start: () => Promise<TestServer> }[] = [
  { name: 'SQLite', start: () => startTestServer() },
  ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', start: startPostgresTestServer }] : []),
];

/** A node (SQLite unless `start` says otherwise) with alice (US) and ben (CA) logged in. */
export async function startWithAliceAndBen(start: () => Promise<TestServer> = () => startTestServer()): Promise<{ server: TestServer; alice: ApiClient; ben: ApiClient }> {
  const server = await start();
  return { server, alice: await login(server.url, 'alice'), ben: await login(server.url, 'ben') };
}

/** A fresh workspace (alice US owner, ben CA hunter), default TLP AMBER: both teams see the rows. */
export async function workspaceWithBen(alice: ApiClient): Promise<string> {
  const ws = await makeWorkspace(alice);
  await addMember(alice, ws, 'ben', 'hunter');
  return ws;
}

export const importPath = (ws: string) => `/api/workspaces/${ws}/indicators/import`;

export { interopFixtureText as fixtureText } from '../helpers/fixtures.js';

/** The JSON form, with the client's cookie + CSRF or its bearer token. */
export const importJson = (api: ApiClient, ws: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<any>> =>
  api.request('POST', importPath(ws), body, headers);

function authHeaders(api: ApiClient): Record<string, string> {
  const h: Record<string, string> = {};
  if (api.cookie) h.cookie = api.cookie;
  if (api.csrfToken) h['x-csrf-token'] = api.csrfToken;
  if (api.bearer) h.authorization = `Bearer ${api.bearer}`;
  return h;
}

/** The multipart form: `file` with a name, the other fields as text (JSON for defaults, mapping, exclude). */
export async function importForm(api: ApiClient, ws: string, file: { name: string; content: string }, fields: Record<string, string> = {}): Promise<ApiResponse<any>> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file.content], { type: 'application/octet-stream' }), file.name);
  const res = await fetch(api.baseUrl + importPath(ws), { method: 'POST', headers: authHeaders(api), body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The progress stream: every line parsed, in order, with the HTTP status and content type. */
export async function importStream(api: ApiClient, ws: string, body: unknown): Promise<{ status: number; type: string | null; lines: ImportStreamLine[] }> {
  const res = await fetch(api.baseUrl + importPath(ws), {
    method: 'POST',
    headers: { ...authHeaders(api), 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const lines = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ImportStreamLine);
  return { status: res.status, type: res.headers.get('content-type'), lines };
}

/** Every indicator of the workspace the client may see, by value. */
export async function boardOf(api: ApiClient, ws: string): Promise<Map<string, any>> {
  const res = await api.get(`/api/workspaces/${ws}/indicators?limit=1000`);
  if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return new Map((res.body.items as any[]).map((i) => [i.value, i]));
}
