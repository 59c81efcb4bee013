#!/usr/bin/env node
// `node test/bench/import-route.mjs`: the 100,000-IOC paste of bench:iocs (about 10 MB of defanged tool
// output) sent once to POST /api/workspaces/:id/indicators/import on a real node (temp SQLite) with a
// personal access token, answered as the progress stream. Prints the time to the first progress line,
// when reading ended (worker pool) and when saving ended, and how long another client's /healthz took
// meanwhile: reading in the pool must not hold the main thread that answers everyone else.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom } from '@huntroom/server';

/** The same text as bench/iocs.mjs: 25,000 lines, each with an IPv4, a defanged URL, a SHA-256 and an e-mail. */
function makeText() {
  const lines = [];
  for (let i = 0; i < 25_000; i++) {
    const hash = (i.toString(16).padStart(8, '0') + 'ab').repeat(7).slice(0, 64);
    lines.push(
      `2026-11-24T10:00:00Z conn src=45.${i >> 8}.${i & 255}.9 dst=hxxp://host${i}[.]evil-${i % 97}[.]com/p/${i}.bin sha256=${hash} user=u${i}@mail${i % 13}.ru ${'#'.repeat(200)} ok`,
    );
  }
  return lines.join('\n');
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-'));
const node = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
try {
  const login = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'huntroom-demo' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const { csrfToken } = await login.json();
  const made = await fetch(`${node.url}/api/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: '{"name":"bench"}',
  });
  const { token } = await made.json();
  const text = makeText();

  // Another client polling /healthz the whole time.
  const health = [];
  const failed = [];
  let running = true;
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await (await fetch(`${node.url}/healthz`)).text();
        health.push(performance.now() - t);
      } catch (err) {
        failed.push(String(err.cause?.code ?? err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const t0 = performance.now();
  const res = await fetch(`${node.url}/api/workspaces/${node.demo.workspaceId}/indicators/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify({ format: 'text', content: text, keepBenign: true }),
  });
  const marks = {};
  let result;
  let buffered = '';
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      const at = performance.now() - t0;
      if (line.progress) {
        marks.first ??= at;
        if (line.progress.phase === 'parse' && line.progress.done === line.progress.total) marks.parsed = at;
        if (line.progress.phase === 'save') marks.saved = at;
      } else if (line.result) result = line.result;
      else throw new Error(JSON.stringify(line.error));
    }
  }
  const total = performance.now() - t0;
  running = false;
  await poller;
  console.log(`input: ${(text.length / 1e6).toFixed(1)} MB of text, 100,000 indicators\n`);
  console.log('| import route, one request (SQLite) | value |\n|---|---|');
  console.log(`| answer | ${result.created} created, ${result.merged} merged, ${result.rejectedTotal} refused, ${result.skippedTotal} skipped |`);
  console.log(`| first progress line | ${marks.first.toFixed(0)} ms |`);
  console.log(`| content read (worker pool) | ${(marks.parsed / 1000).toFixed(1)} s |`);
  console.log(`| saved, result line | ${(total / 1000).toFixed(1)} s (${Math.round(result.created / (total / 1000))} indicators/s overall) |`);
  if (failed.length) console.log(`| /healthz calls that failed | ${failed.length}: ${[...new Set(failed)].join(', ')} |`);
  console.log(
    `| another client's /healthz meanwhile, p50 / p99 / max (${health.length} calls) | ${pct(health, 50).toFixed(0)} / ${pct(health, 99).toFixed(0)} / ${Math.max(...health).toFixed(0)} ms |`,
  );
} finally {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
