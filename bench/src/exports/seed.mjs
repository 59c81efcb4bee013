/**
 * The exports benchmarks' data (the `exports` scenario of `npm run bench` and test/bench/exports.mjs):
 * `count` indicators in one workspace, a third AMBER+STRICT of team US, a third AMBER releasable to CA,
 * a third CLEAR, each with a technique, added 5,000 at a time through the bulk route (the same command
 * path as the socket's `indicator:bulkCreate`, records/command.ts); then 5 sightings on each of the
 * first 1,000 indicators the list returns (5,000 sightings), so the exports also read sightings.
 */
import { pool } from '../stats.mjs';

const MARKINGS = [{ tlp: 'AMBER+STRICT' }, { tlp: 'AMBER', releasableTo: ['CA'] }, { tlp: 'CLEAR' }];
const BATCH = 5_000;

/** `headers`: a logged-in session's (hunt/session.mjs). Resolves with what was added and how long it took. */
export async function seedIndicators(baseUrl, headers, workspaceId, count, { sightedIndicators = 1_000, sightingsEach = 5 } = {}) {
  const api = `${baseUrl}/api/workspaces/${workspaceId}/indicators`;
  const t0 = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    const items = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      items.push({ type: 'domain', value: `host-${j}.bench-exports.example.org`, techniques: ['T1071.001'], ...MARKINGS[j % 3] });
    }
    const res = await fetch(`${api}/bulk`, { method: 'POST', headers, body: JSON.stringify({ items }) });
    if (res.status !== 201) throw new Error(`indicators bulk: HTTP ${res.status} ${await res.text()}`);
    const { rejected } = await res.json();
    if (rejected.length) throw new Error(`indicators bulk: ${rejected.length} rejected, the first: ${JSON.stringify(rejected[0])}`);
  }
  const list = await fetch(`${api}?limit=${sightedIndicators}`, { headers });
  if (list.status !== 200) throw new Error(`indicators list: HTTP ${list.status}`);
  const ids = (await list.json()).items.slice(0, sightedIndicators).map((ind) => ind.id);
  const sightings = ids.flatMap((id) => Array.from({ length: sightingsEach }, () => id));
  await pool(sightings, 4, async (id) => {
    const res = await fetch(`${api}/${id}/sightings`, { method: 'POST', headers, body: JSON.stringify({ context: 'bench' }) });
    if (res.status !== 201) throw new Error(`sighting: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  });
  return { indicators: count, sightings: sightings.length, seconds: (performance.now() - t0) / 1000 };
}

/**
 * A note of the workspace and `sockets` targets of it for y-websocket clients, each with a ticket of its
 * own in the query (a node's tickets are single-use unless its collab options say otherwise).
 */
export async function noteTargets(baseUrl, headers, workspaceId, sockets = 2) {
  const post = async (path, body) => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { docId } = await post(`/api/workspaces/${workspaceId}/notes`, { title: 'bench: exports, the other clients' });
  const targets = [];
  for (let i = 0; i < sockets; i++) {
    const { ticket } = await post(`/api/docs/${docId}/ticket`, {});
    targets.push({ url: `${baseUrl.replace(/^http/, 'ws')}/yjs/${docId}?ticket=${encodeURIComponent(ticket)}`, name: docId, dialect: 'y-websocket' });
  }
  return targets;
}
