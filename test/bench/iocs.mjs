#!/usr/bin/env node
// `npm run bench:iocs`: a 100,000-IOC paste (about 10 MB of defanged tool output), extracted by
// Huntroom's extractor and by the ioc-extractor package on the same text, side by side, 5 runs each
// (median), then committed to a real server in batches of 5,000 over socket.io. Prints each phase.
// `--quality [--verbose]`: first recall and precision of both on the labelled corpus (quality.mjs), then
// the same speed run, without the commit phase.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractIOC } from 'ioc-extractor';
import { io } from 'socket.io-client';
import { extractIndicators } from '@huntroom/shared';
import { startHuntroom } from '@huntroom/server';
import { printQuality } from './quality.mjs';

const quality = process.argv.includes('--quality');
if (quality) printQuality({ verbose: process.argv.includes('--verbose') });

const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 25,000 log lines, each with a source IP, a defanged URL, a SHA-256 and an e-mail: 100,000 IOCs. */
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

const text = makeText();
console.log(`input: ${(text.length / 1e6).toFixed(1)} MB, 100,000 indicators (25,000 each of IPv4, URL, SHA-256, e-mail)\n`);

const ours = [];
const theirs = [];
let oursCount = 0;
let theirsCount = 0;
for (let r = 0; r < RUNS; r++) {
  let t = performance.now();
  oursCount = extractIndicators(text).candidates.length;
  ours.push(performance.now() - t);
  t = performance.now();
  const ioc = extractIOC(text, { refang: true });
  theirs.push(performance.now() - t);
  theirsCount = ioc.ipv4s.length + ioc.urls.length + ioc.sha256s.length + ioc.emails.length;
}
console.log('| extraction (median of 5) | time | MB/s | indicators found |');
console.log('|---|---|---|---|');
console.log(`| Huntroom extractIndicators | ${median(ours).toFixed(0)} ms | ${(text.length / 1e3 / median(ours)).toFixed(1)} | ${oursCount} (typed, normalized, benign-checked) |`);
console.log(
  `| ioc-extractor 8 extractIOC (refang) | ${median(theirs).toFixed(0)} ms | ${(text.length / 1e3 / median(theirs)).toFixed(1)} | ${theirsCount} (ipv4s+urls+sha256s+emails) |`,
);

// Commit phase: a real node on a temp SQLite, one socket, batches of 5,000 as the browser sends them.
if (!quality) await commitPhase();

async function commitPhase() {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bench-'));
  const node = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  try {
    const login = await fetch(`${node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'huntroom-demo' }),
    });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const socket = io(node.url, { transports: ['websocket'], extraHeaders: { cookie } });
    await new Promise((r) => socket.once('connect', r));
    const items = extractIndicators(text).candidates.map((c) => ({ type: c.type, value: c.value }));
    const times = [];
    const t0 = performance.now();
    for (let i = 0; i < items.length; i += 5_000) {
      const t = performance.now();
      const ack = await socket
        .timeout(120_000)
        .emitWithAck('indicator:bulkCreate', { id: `bench-${i}-${Date.now()}`, payload: { workspaceId: node.demo.workspaceId, items: items.slice(i, i + 5_000) } });
      if (!ack.ok) throw new Error(ack.error.message);
      times.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    socket.disconnect();
    console.log(`\n| commit over socket.io (SQLite) | value |\n|---|---|`);
    console.log(`| indicators committed | ${items.length} in ${times.length} batches |`);
    console.log(`| total | ${(total / 1000).toFixed(1)} s (${Math.round(items.length / (total / 1000))} indicators/s) |`);
    console.log(`| batch median / max | ${median(times).toFixed(0)} ms / ${Math.max(...times).toFixed(0)} ms |`);
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
