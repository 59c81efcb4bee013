/**
 * TAXII 2.1 paging cost: a real Huntroom node (the built server) with N indicators in one workspace,
 * pulled page by page over /taxii2 with a personal access token, as a partner's client does. Prints
 * the time of the first, a middle and the last page, and of the whole walk.
 *
 *   node bench/src/taxii/paging.mjs [indicators=20000] [limit=1000]
 *
 * Not part of the test suite. Build first (pnpm -r build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom } from '@huntroom/server';

const N = Number(process.argv[2] ?? 20_000);
const LIMIT = Number(process.argv[3] ?? 1_000);
const TAXII = 'application/taxii+json;version=2.1';

const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-taxii-bench-'));
const node = await startHuntroom({
  env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOGIN_LIMIT_PER_ADDRESS: '100000', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' },
});
try {
  const base = node.url;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'huntroom-demo' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('huntroom_session='));
  const { csrfToken } = await login.json();
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const ws = node.demo.workspaceId;
  const levels = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
  const t0 = performance.now();
  for (let i = 0; i < N; i += 5_000) {
    const items = [];
    for (let j = i; j < Math.min(N, i + 5_000); j++) {
      items.push({ type: 'domain', value: `bench-${j}.taxii-paging.example.org`, tlp: levels[j % levels.length], tags: ['bench'], techniques: j % 3 ? [] : ['T1071.001'] });
    }
    const res = await fetch(`${base}/api/workspaces/${ws}/indicators/bulk`, { method: 'POST', headers, body: JSON.stringify({ items }) });
    if (res.status !== 201) throw new Error(`bulk: ${res.status} ${await res.text()}`);
  }
  const token = (await (await fetch(`${base}/api/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) })).json()).token;
  console.log(`${N} indicators added in ${((performance.now() - t0) / 1000).toFixed(1)} s; pulling with limit=${LIMIT}`);

  const auth = { authorization: `Bearer ${token}`, accept: TAXII };
  const times = [];
  let next;
  let objects = 0;
  /** One indicator's id from the middle of the walk, read back by id afterwards. */
  let middleId;
  const walk = performance.now();
  for (;;) {
    const url = `${base}/taxii2/api/collections/${ws}/objects/?limit=${LIMIT}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const start = performance.now();
    const res = await fetch(url, { headers: auth });
    const body = await res.json();
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`page: ${res.status} ${JSON.stringify(body)}`);
    objects += body.objects.length;
    if (times.length === Math.ceil(N / LIMIT / 2)) middleId = body.objects.find((o) => o.type === 'indicator')?.id;
    if (!body.more) break;
    next = body.next;
  }
  const total = performance.now() - walk;
  const ms = (t) => `${t.toFixed(0)} ms`;
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `pages: ${times.length}, objects: ${objects}; first page ${ms(times[0])}, middle page ${ms(times[Math.floor(times.length / 2)])}, last page ${ms(times.at(-1))}, median ${ms(sorted[Math.floor(sorted.length / 2)])}; whole walk ${ms(total)}`,
  );
  // One object by id (/objects/:id/ and match[id]), five times each: the median.
  const byId = [];
  const byMatch = [];
  for (let k = 0; k < 5; k++) {
    for (const [url, into] of [
      [`${base}/taxii2/api/collections/${ws}/objects/${middleId}/`, byId],
      [`${base}/taxii2/api/collections/${ws}/objects/?match[id]=${middleId}`, byMatch],
    ]) {
      const start = performance.now();
      const res = await fetch(url, { headers: auth });
      const body = await res.json();
      into.push(performance.now() - start);
      if (res.status !== 200 || body.objects?.[0]?.id !== middleId) throw new Error(`by id: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  }
  const median = (a) => ms([...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]);
  console.log(`one indicator by id: /objects/:id/ median ${median(byId)}, match[id] median ${median(byMatch)}`);
} finally {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
