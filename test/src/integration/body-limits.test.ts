/**
 * Request bodies as a hostile client sends them (issue 15, 2.2): one unauthenticated 95 MB request to
 * the ATT&CK import held the event loop for 30 s and took 3 GB before answering 401. Against a real
 * server process (`node server/dist/main.js`, so its threads and memory are its own, read from /proc):
 * an unauthenticated body, declared or streamed, is answered 401/413 before it is read, on every route
 * that takes one; a logged-in caller who may not import is answered 403 before the body is read; a
 * large route reads at most its limit; one account uploads one file at a time (429, Retry-After); a
 * real bundle still imports; and while a hostile client streams large bodies at every route, another
 * client's /healthz p99 over 200 requests stays under 100 ms above the same measure with no attack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, loginAs } from '../helpers/http.js';
import { freePort, runNode, spawnNode, waitForHttp, type Spawned } from '../helpers/processes.js';
import { healthzLatency, procStats, startHostileBodies, streamBody } from '../helpers/load.js';
import { miniAttackBundle } from '../helpers/attack.js';

const MB = 1_000_000;

describe('request bodies are read only after the caller is known, and only as much as the route needs', () => {
  let dataDir: string;
  let proc: Spawned;
  let url: string;
  let ws: string;
  let ben: ApiClient;
  let operator: ApiClient;

  const creds = (c: ApiClient) => ({ cookie: c.cookie!, 'x-csrf-token': c.csrfToken! });
  const server = () => procStats(proc.child.pid!);

  /** Every kind of route that takes a body; the large ones first. Ids need not exist: bodies are judged before routing. */
  const routes = (): [string, string][] => [
    ['POST', '/api/attack/import'],
    ['POST', `/api/workspaces/${ws}/attack/layer`],
    ['POST', '/api/auth/login'],
    ['POST', '/api/auth/logout'],
    ['POST', '/api/invites/no-such-token/accept'],
    ['POST', '/api/tokens'],
    ['POST', '/api/teams'],
    ['POST', '/api/workspaces'],
    ['PATCH', `/api/workspaces/${ws}`],
    ['POST', `/api/workspaces/${ws}/members`],
    ['PATCH', `/api/workspaces/${ws}/members`],
    ['DELETE', `/api/workspaces/${ws}/members`],
    ['POST', `/api/workspaces/${ws}/invites`],
    ['POST', `/api/workspaces/${ws}/indicators`],
    ['POST', `/api/workspaces/${ws}/indicators/bulk`],
    ['PATCH', `/api/workspaces/${ws}/indicators`],
    ['POST', `/api/workspaces/${ws}/indicators/x/comments`],
    ['POST', `/api/workspaces/${ws}/notes`],
    ['POST', `/api/workspaces/${ws}/whiteboards`],
    ['PATCH', `/api/workspaces/${ws}/attack/board`],
    ['POST', `/api/workspaces/${ws}/handoffs`],
    ['POST', '/api/docs/x/ticket'],
    ['POST', '/api/no-such-route'],
  ];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huntroom-bodies-'));
    const port = await freePort();
    proc = spawnNode('main.js', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, 30_000, () => proc.child.exitCode === null);
    const made = await runNode(
      'cli.js',
      ['user', 'add', '--username', 'operator', '--team', 'US', '--password-stdin', '--site-admin'],
      { DATA_DIR: dataDir },
      'operator-password-1\n',
    );
    expect(made.code, made.stderr).toBe(0);
    [ben, operator] = await Promise.all([loginAs(url, 'ben'), loginAs(url, 'operator', 'operator-password-1')]);
    ws = (await ben.get('/api/workspaces')).body.workspaces[0].id;
  });
  afterAll(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers an unauthenticated 95 MB body 401 or 413 at once on every route, without reading it or growing', async () => {
    const before = server();
    for (const [method, path] of routes()) {
      for (const declare of [true, false]) {
        const res = await streamBody(url, path, { method, total: 95 * MB, declare });
        const where = `${method} ${path} ${declare ? 'Content-Length' : 'chunked'}`;
        expect([401, 413], where).toContain(res.status);
        // Declared over the route's limit: 413 before anything else; otherwise the anonymous caller is refused.
        if (!declare && !path.startsWith('/api/auth/') && !path.startsWith('/api/invites/')) expect(res.status, where).toBe(401);
        expect(res.ms, where).toBeLessThan(2_000);
        // What was sent by then is what the socket buffers of both ends take in (loopback buffers grow
        // to tens of MB here), far from the 95 MB: the server did not read the body.
        expect(res.sentBeforeAnswer, where).toBeLessThan(40 * MB);
      }
    }
    const after = server();
    console.log(`unauthenticated 95 MB x ${routes().length * 2}: server RSS ${before.rssMiB} -> ${after.rssMiB} MiB, threads ${before.threads} -> ${after.threads}`);
    expect(after.rssMiB - before.rssMiB).toBeLessThan(64);
  });

  it('refuses a logged-in caller who may not import (a hunter) with 403 before reading the 95 MB', async () => {
    const res = await streamBody(url, '/api/attack/import', { total: 95 * MB, declare: false, headers: creds(ben) });
    expect(res.status).toBe(403);
    expect(res.sentBeforeAnswer).toBeLessThan(40 * MB);
    expect(res.ms).toBeLessThan(2_000);
  });

  it('reads a large route only up to its limit (a layer: 5 MB) and a default route up to 1 MB, then 413', async () => {
    const layer = await streamBody(url, `/api/workspaces/${ws}/attack/layer`, { total: 50 * MB, declare: false, headers: creds(ben) });
    expect(layer.status).toBe(413);
    expect(layer.body.error.code).toBe('payload_too_large');
    expect(layer.sentBeforeAnswer).toBeLessThan(5 * MB + 40 * MB);
    const small = await streamBody(url, '/api/workspaces', { total: 50 * MB, declare: false, headers: creds(ben) });
    expect(small.status).toBe(413);
    expect(small.sentBeforeAnswer).toBeLessThan(1 * MB + 40 * MB);
    // The limit is the route's own: declared too large, refused before reading.
    const declared = await streamBody(url, `/api/workspaces/${ws}/attack/layer`, { total: 6 * MB, headers: creds(ben) });
    expect(declared.status).toBe(413);
  });

  it('slows a logged-in caller sending 1 MB bodies back to back to its budget (429, Retry-After) before reading more', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(990_000) });
    const answers: { status: number; retryAfter: string | null }[] = [];
    // Its own budget: a fresh account would be cleaner, but ben's is the one the hostile test spends later.
    const liga = await loginAs(url, 'liga');
    // Node's client, which hands over an answer that comes before the body is sent: a refused body is
    // not read, and fetch (undici) reported the connection's end instead of the 429 now and then.
    for (let i = 0; i < 20; i++) {
      const res = await streamBody(url, '/api/workspaces', { total: Buffer.byteLength(body), prefix: body, headers: creds(liga) });
      const retryAfter = res.headers['retry-after'];
      answers.push({ status: res.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
    }
    const limited = answers.findIndex((a) => a.status === 429);
    console.log(`20 bodies of 1 MB back to back: ${answers.map((a) => a.status).join(' ')}`);
    // 8 MB at once, then 2 MB a second: about the ninth is refused, unread.
    expect(limited).toBeGreaterThanOrEqual(7);
    expect(limited).toBeLessThanOrEqual(14);
    expect(Number(answers[limited]!.retryAfter)).toBeGreaterThan(0);
    // Another account is not slowed.
    expect((await ben.request('POST', '/api/workspaces', body)).status).not.toBe(429);
  });

  it('lets one account upload one file at a time: a second upload meanwhile gets 429 with Retry-After', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const first = streamBody(url, `/api/workspaces/${ws}/attack/layer`, { total: 2 * MB, declare: false, headers: creds(ben), pauseAt: MB, release: released });
    // Wait until the first upload holds its slot: a second one is refused, not queued.
    let second: Awaited<ReturnType<typeof streamBody>> | undefined;
    for (let i = 0; i < 200; i++) {
      second = await streamBody(url, `/api/workspaces/${ws}/attack/layer`, { total: 1_000, headers: creds(ben) });
      if (second.status === 429) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(second!.status).toBe(429);
    expect(second!.body.error.code).toBe('rate_limited');
    expect(Number(second!.headers['retry-after'])).toBeGreaterThan(0);
    release();
    // 2 MB of spaces is not a layer: refused as not JSON once read, and the slot is free again.
    expect((await first).status).toBe(400);
    const again = await streamBody(url, `/api/workspaces/${ws}/attack/layer`, { total: 1_000, headers: creds(ben) });
    expect(again.status).toBe(400);
  });

  it('still imports a real bundle (parsed in the worker pool) and refuses one that is not JSON', async () => {
    const res = await operator.post('/api/attack/import', miniAttackBundle('Imported through the pool'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ domain: 'ics-attack', version: '99.0', techniques: 1 });
    expect((await operator.get('/api/attack/ics-attack')).body.techniques[0].name).toBe('Imported through the pool');
    const bad = await operator.request('POST', '/api/attack/import', '{"type": "bundle", ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const text = await operator.request('POST', '/api/attack/import', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
  });

  it("keeps another client's /healthz p99 under 100 ms while a hostile client streams large bodies at every route", async () => {
    // The same measure with no attack first: the attack may add at most 100 ms to the p99 the machine
    // gives anyway (on an idle machine that is the 100 ms target; on one busy with other jobs it does
    // not fail for latency the attack did not cause).
    const quiet = await healthzLatency(url, 200);
    const before = server();
    const t0 = performance.now();
    // The hostile client runs in a process of its own: its work must not delay this process's measuring.
    const hostile = await startHostileBodies({ url, routes: routes(), headers: { anon: {}, hunter: creds(ben) }, loops: 4, durationMs: 120_000 });
    let latency;
    let stats;
    let hostileCpuMs: number;
    try {
      latency = await healthzLatency(url, 200);
      hostileCpuMs = procStats(hostile.pid).cpuMs;
    } finally {
      stats = await hostile.stop();
    }
    const after = server();
    console.log(
      `hostile bodies: ${JSON.stringify(stats)}; /healthz ${JSON.stringify(latency)} (no attack: ${JSON.stringify(quiet)}); server RSS ${before.rssMiB} -> ${after.rssMiB} MiB, threads ${before.threads} -> ${after.threads}, CPU ${after.cpuMs - before.cpuMs} ms (the hostile client's: ${hostileCpuMs} ms) in ${Math.round(performance.now() - t0)} ms`,
    );
    expect(stats.sent).toBeGreaterThan(20);
    expect(
      Object.keys(stats.statuses).every((s) => ['400', '401', '403', '404', '413', '429'].includes(s)),
      JSON.stringify(stats.statuses),
    ).toBe(true);
    expect(latency.p99 - quiet.p99).toBeLessThan(100);
    expect(after.rssMiB - before.rssMiB).toBeLessThan(200);
  });
});
