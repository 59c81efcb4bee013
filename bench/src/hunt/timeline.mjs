/**
 * Hunt timeline cost: a real Huntroom node (the built server) with N timeline events on 50 hosts in one
 * workspace, added through POST …/timeline/bulk (5,000 a request, as an import does), then read as a
 * team that sees every other marking: the first page, a filtered page (one host, a day), the page
 * after a cursor in the middle, and a catch-up sync from seq 0 (a snapshot beyond 5,000 events).
 *
 *   node bench/src/hunt/timeline.mjs [events=50000]
 *
 * Not part of the test suite. Build first (pnpm -r build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom } from '@huntroom/server';
import { session } from './session.mjs';

const N = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-hunt-bench-'));
const node = await startHuntroom({
  env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOGIN_LIMIT_PER_ADDRESS: '100000' },
});

async function timed(label, url, headers) {
  const start = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.json();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  (${body.items?.length ?? body.events?.length ?? body.records?.timeline?.length} items, total ${body.total ?? '-'})`,
  );
  return body;
}

try {
  const alice = await session(node.url, 'alice');
  const ben = await session(node.url, 'ben');
  const ws = node.demo.workspaceId;
  const api = (path) => `${node.url}/api/workspaces/${ws}/${path}`;
  const post = async (path, body) => {
    const res = await fetch(api(path), { method: 'POST', headers: alice, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const network = (await post('networks', { name: 'bench', tlp: 'CLEAR' })).network.id;
  const hosts = (await post('hosts/bulk', { items: Array.from({ length: 50 }, (_, i) => ({ networkId: network, hostname: `bench-${i}`, tlp: 'CLEAR' })) })).results.map(
    (r) => r.id,
  );
  const levels = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
  const start = Date.parse('2026-11-01T00:00:00Z');
  const t0 = performance.now();
  for (let i = 0; i < N; i += 5_000) {
    const items = [];
    for (let j = i; j < Math.min(N, i + 5_000); j++) {
      items.push({
        at: new Date(start + j * 37_000).toISOString(),
        hostId: hosts[j % hosts.length],
        description: `bench event ${j}`,
        source: 'bench',
        tlp: levels[j % levels.length],
        ...(levels[j % levels.length] === 'RED' ? { releasableTo: ['CA'] } : {}),
        techniques: j % 7 ? [] : ['T1059'],
      });
    }
    const r = await post('timeline/bulk', { items });
    if (r.rejected) throw new Error(`bulk refused ${r.rejected}`);
  }
  console.log(`${N} timeline events added in ${((performance.now() - t0) / 1000).toFixed(1)} s (bulk of 5,000)`);
  const first = await timed('first page (100), as CA', api('timeline'), ben);
  await timed('one host (limit 1000)', api(`timeline?host=${hosts[2]}&limit=1000`), ben);
  await timed('one host, one day (limit 1000)', api(`timeline?host=${hosts[2]}&from=2026-11-05T00:00:00Z&to=2026-11-06T00:00:00Z&limit=1000`), ben);
  await timed('technique and text filter', api('timeline?technique=T1059&q=event%201&limit=1000'), ben);
  let cursor = first.nextCursor;
  for (let i = 0; i < 10 && cursor; i++) cursor = (await (await fetch(api(`timeline?cursor=${encodeURIComponent(cursor)}&limit=1000`), { headers: ben })).json()).nextCursor;
  await timed('a page after 10,000 (limit 1000)', api(`timeline?cursor=${encodeURIComponent(cursor)}&limit=1000`), ben);
  await timed('catch-up from seq 0 (snapshot)', api('events?since=0'), ben);
} finally {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
