#!/usr/bin/env node
// Where the time of a 50,000-event sync snapshot goes (the hunt screens' first load, docs/hunt-screens.md):
// the server's query, canSee and presentation (syncEvents in-process), the size of its JSON, stringify and
// parse of it, and the whole round trip of the `sync` ack over socket.io as the app asks it. Not part of the
// suite; build first. `node test/bench/hunt-snapshot.mjs [events=50000]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom } from '@huntroom/server';
import { session } from '../../bench/src/hunt/session.mjs';
import { io } from 'socket.io-client';
const N = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-snap-bench-'));
const node = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOGIN_LIMIT_PER_ADDRESS: '100000' } });
try {
  const alice = await session(node.url, 'alice');
  const ben = await session(node.url, 'ben');
  const ws = node.demo.workspaceId;
  const post = async (path, body) => {
    const res = await fetch(`${node.url}/api/workspaces/${ws}/${path}`, { method: 'POST', headers: alice, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const network = (await post('networks', { name: 'snap', tlp: 'CLEAR' })).network.id;
  const hosts = (await post('hosts/bulk', { items: Array.from({ length: 40 }, (_, i) => ({ networkId: network, hostname: `snap-${i}`, tlp: 'CLEAR' })) })).results.map((r) => r.id);
  const levels = ['CLEAR', 'GREEN', 'AMBER', 'RED'];
  for (let i = 0; i < N; i += 5_000) {
    const items = [];
    for (let j = i; j < Math.min(N, i + 5_000); j++)
      items.push({
        at: new Date(Date.parse('2026-06-01T00:00:00Z') + j * 311_000).toISOString(),
        hostId: hosts[j % 40],
        description: `snapshot event ${j} on a host`,
        source: 'bench',
        techniques: j % 3 ? [] : ['T1059.001'],
        tlp: levels[j % 4],
        releasableTo: j % 4 === 3 ? ['CA'] : [],
      });
    await post('timeline/bulk', { items });
  }
  const { syncEvents } = await import(new URL('../../server/dist/records/sync.js', import.meta.url).href);

  // 1. server: query + canSee + present (the snapshot providers), in-process.
  const me = await (await fetch(`${node.url}/api/me`, { headers: ben })).json();
  const account = me.account;
  let t = performance.now();
  const result = await syncEvents(node.ctx, account, { workspaceId: ws, sinceSeq: 10_000_000 });
  const serverMs = performance.now() - t;
  t = performance.now();
  const json = JSON.stringify(result);
  const stringifyMs = performance.now() - t;
  t = performance.now();
  JSON.parse(json);
  const parseMs = performance.now() - t;
  // 2. over socket.io as the app does.
  const socket = io(node.url, { transports: ['websocket'], extraHeaders: { cookie: ben.cookie } });
  await new Promise((r) => socket.once('connect', r));
  await socket.emitWithAck('workspace:join', { workspaceId: ws });
  t = performance.now();
  const ack = await socket.timeout(120_000).emitWithAck('sync', { workspaceId: ws, sinceSeq: 10_000_000 });
  const roundMs = performance.now() - t;
  socket.disconnect();
  console.log(
    JSON.stringify({
      events: N,
      visible: result.records.timeline.length,
      ok: ack.ok,
      serverQueryPresentMs: Math.round(serverMs),
      jsonMB: +(json.length / 1e6).toFixed(1),
      stringifyMs: Math.round(stringifyMs),
      parseMs: Math.round(parseMs),
      socketRoundTripMs: Math.round(roundMs),
    }),
  );
} finally {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
