/**
 * Worker threads as a hostile client meets them (issue 15, 2.6): every export used to start a thread
 * of its own (60 parallel exports by an observer: 71 threads, +1.1 GB, 22 s), and every document
 * update over 32 KB copied the whole document on the main thread and started a thread, counted
 * against no budget (one hunter with a 3 MB note and 40 sockets pushed /healthz to 16.5 s). Against
 * real server processes (threads counted in /proc/<pid>/task): 60 parallel exports by an observer
 * are mostly refused 429 with Retry-After, and the threads never grow past the pool; with the
 * per-account limits lifted, a full pool queue answers 503 instead of growing; the 40 sockets of one
 * hunter sending large updates to a 3 MB note are cut off (4529); and meanwhile another client's
 * /healthz p99 over 200 requests stays under 250 ms (MAX_HEALTHZ_P99_MS; under 100 ms on a quiet machine).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { ApiClient, loginAs } from '../helpers/http.js';
import { rawSocket, type RawSocket } from '../helpers/yjs.js';
import { healthzLatency, procStats, sampleWhile, spawnServer, type Latency, type SpawnedServer } from '../helpers/load.js';

const INDICATORS = 4_000;
/**
 * Another client's /healthz p99 while the load runs. The load and the probe share this test's process
 * and the machine with other test files, so this bounds what a blocked main thread would show
 * (seconds), not the quiet machine's tens of milliseconds (the bench measures those).
 */
const MAX_HEALTHZ_P99_MS = 250;

interface Seeded {
  alice: ApiClient;
  observer: ApiClient;
  ws: string;
}

/** The demo workspace with 4,000 indicators every team sees, and liga made an observer there. */
async function seed(url: string): Promise<Seeded> {
  const [alice, observer] = await Promise.all([loginAs(url, 'alice'), loginAs(url, 'liga')]);
  const ws = (await alice.get('/api/workspaces')).body.workspaces[0].id as string;
  expect((await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'observer' })).status).toBe(200);
  for (let b = 0; b < INDICATORS / 1_000; b++) {
    const items = Array.from({ length: 1_000 }, (_, i) => ({ type: 'domain', value: `h${b}-${i}.pool.example.org`, tlp: 'GREEN' }));
    const res = await alice.post(`/api/workspaces/${ws}/indicators/bulk`, { items });
    expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(201);
  }
  return { alice, observer, ws };
}

async function exportOnce(url: string, who: ApiClient, ws: string): Promise<{ status: number; retryAfter: string | null; bytes: number }> {
  const res = await fetch(`${url}/api/workspaces/${ws}/export/package.zip`, { headers: { cookie: who.cookie! } });
  const body = await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), bytes: body.byteLength };
}

const count = (statuses: number[]) => statuses.reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {});

/** Bursts of `n` parallel exports, one after another, until `done()`; the statuses of all of them. */
async function burstsUntil(url: string, who: ApiClient, ws: string, n: number, done: () => boolean): Promise<number[]> {
  const statuses: number[] = [];
  while (!done()) {
    const results = await Promise.all(Array.from({ length: n }, () => exportOnce(url, who, ws)));
    statuses.push(...results.map((r) => r.status));
  }
  return statuses;
}

/** /healthz latency while `load` runs; the load is told to stop once the 200 samples are in. */
async function latencyDuring<T>(url: string, load: (done: () => boolean) => Promise<T>): Promise<{ latency: Latency; result: T }> {
  let finished = false;
  const running = load(() => finished);
  try {
    const latency = await healthzLatency(url, 200);
    return { latency, result: await ((finished = true), running) };
  } finally {
    finished = true;
  }
}

describe('exports run in one bounded pool, within per-account limits', () => {
  let server: SpawnedServer;
  let s: Seeded;
  beforeAll(async () => {
    server = await spawnServer();
    s = await seed(server.url);
  });
  afterAll(() => server.stop());

  it('60 parallel exports by an observer: the excess gets 429 with Retry-After, threads stay within the pool, /healthz stays fast', async () => {
    const maxThreads = ((await (await fetch(`${server.url}/healthz`)).json()) as { workers: { maxThreads: number } }).workers.maxThreads;
    const baseline = procStats(server.pid).threads;
    const threads = sampleWhile(() => procStats(server.pid).threads);
    const results = await Promise.all(Array.from({ length: 60 }, () => exportOnce(server.url, s.observer, s.ws)));
    const seen = threads.stop();
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    console.log(
      `60 parallel exports: ${JSON.stringify(count(results.map((r) => r.status)))}; threads ${baseline} -> max ${Math.max(...seen)} (pool at most ${maxThreads}); RSS ${procStats(server.pid).rssMiB} MiB`,
    );
    // Two at once per account: the 60 arrive together, so about two are built (a few more only if
    // some arrive after the first finished), never more than the 20 a minute.
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(20);
    expect(limited.length).toBeGreaterThanOrEqual(40);
    expect(ok[0]!.bytes).toBeGreaterThan(10_000);
    expect(limited.length + ok.length).toBe(60);
    for (const r of limited) expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(Math.max(...seen) - baseline).toBeLessThanOrEqual(maxThreads);

    // Bursts of 60 again and again while another client asks for /healthz.
    const { latency, result } = await latencyDuring(server.url, (done) => burstsUntil(server.url, s.observer, s.ws, 60, done));
    console.log(`exports in bursts of 60 (${JSON.stringify(count(result))}) meanwhile /healthz ${JSON.stringify(latency)}`);
    // The bursts' 60 requests and the /healthz probe run in this test's own process, beside the node:
    // 9-23 ms on a quiet machine, but 132 ms once in CI with browser tests beside it (p50 2.4 ms).
    // Exports built on the main thread, or a thread each (issue 15: /healthz at 16.5 s), take seconds.
    expect(latency.p99).toBeLessThan(MAX_HEALTHZ_P99_MS);
    // The per-minute limit (20) holds over the bursts too.
    expect(result.filter((x) => x === 200).length + ok.length).toBeLessThanOrEqual(20);
  });
});

describe('a full pool queue refuses instead of growing', () => {
  let server: SpawnedServer;
  let s: Seeded;
  beforeAll(async () => {
    // Per-account limits lifted, a small pool: only the pool bounds the work.
    server = await spawnServer({ EXPORTS_AT_ONCE_PER_ACCOUNT: '1000', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000', WORKER_THREADS: '2', WORKER_QUEUE: '4' });
    s = await seed(server.url);
  });
  afterAll(() => server.stop());

  it('60 parallel exports: some built, the rest 503 with Retry-After, never more than 2 pool threads, /healthz fast', async () => {
    expect((await exportOnce(server.url, s.observer, s.ws)).status).toBe(200);
    const baseline = procStats(server.pid).threads;
    const threads = sampleWhile(() => procStats(server.pid).threads);
    const results = await Promise.all(Array.from({ length: 60 }, () => exportOnce(server.url, s.observer, s.ws)));
    const { latency, result } = await latencyDuring(server.url, (done) => burstsUntil(server.url, s.observer, s.ws, 60, done));
    const seen = threads.stop();
    const statuses = [...results.map((r) => r.status), ...result];
    console.log(
      `60 parallel exports, pool 2 + queue 4: ${JSON.stringify(count(results.map((r) => r.status)))}; in bursts meanwhile ${JSON.stringify(count(result))}; /healthz ${JSON.stringify(latency)}; threads ${baseline} -> max ${Math.max(...seen)}; RSS ${procStats(server.pid).rssMiB} MiB`,
    );
    expect(statuses.every((x) => x === 200 || x === 503)).toBe(true);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(results.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 503)) expect(Number(r.retryAfter)).toBeGreaterThan(0);
    // The warm-up export left at most one pool thread in the baseline: two at most exist at any time.
    expect(Math.max(...seen) - baseline).toBeLessThanOrEqual(2);
    expect(latency.p99).toBeLessThan(MAX_HEALTHZ_P99_MS); // as above
  });
});

/** A sync message (type 0) carrying an update (sub-type 2). */
function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** An update inserting `bytes` characters from a client of its own (so each is new content). */
function bigInsert(bytes: number): Uint8Array {
  const d = new Y.Doc();
  d.getText('abuse').insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(d);
}

describe('large document updates count against the connection and the account', () => {
  let server: SpawnedServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let docId: string;
  beforeAll(async () => {
    server = await spawnServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    const ws = (await alice.get('/api/workspaces')).body.workspaces[0].id as string;
    const note = await alice.post(`/api/workspaces/${ws}/notes`, { title: 'a 3 MB note', marking: { tlp: 'GREEN', releasableTo: [] } });
    expect(note.status).toBe(201);
    docId = note.body.docId;
    // 3 MB of content, written by alice in two frames under the 2 MiB frame limit.
    const writer = rawSocket(server, docId, alice.cookie);
    await writer.opened;
    writer.ws.send(updateMessage(bigInsert(1_500_000)));
    writer.ws.send(updateMessage(bigInsert(1_500_000)));
    const check = rawSocket(server, docId, alice.cookie);
    await check.opened;
    // Asked with an empty state vector (sync step 1), the server answers with the whole document.
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
    const ask = () => check.ws.send(encoding.toUint8Array(step1));
    for (let i = 0; i < 100 && !check.messages.some((m) => m.byteLength > 3_000_000); i++) {
      ask();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(check.messages.some((m) => m.byteLength > 3_000_000)).toBe(true);
    writer.ws.close();
    check.ws.close();
  });
  afterAll(() => server.stop());

  it('40 sockets of one hunter sending 100 KB updates are cut off (4529), a new socket gets no fresh budget, and /healthz stays fast', async () => {
    const sockets: RawSocket[] = Array.from({ length: 40 }, () => rawSocket(server, docId, ben.cookie));
    await Promise.all(sockets.map((x) => x.opened));
    const closes = new Map<string, number>();
    let sent = 0;
    // Every open socket sends a large update, again every 50 ms until it is closed (or 20 s pass).
    const pushers = sockets.map(async (x) => {
      let open = true;
      void x.closed.then(({ code, reason }) => {
        open = false;
        const key = `${code} ${reason}`;
        closes.set(key, (closes.get(key) ?? 0) + 1);
      });
      const end = Date.now() + 20_000;
      while (open && Date.now() < end) {
        x.ws.send(updateMessage(bigInsert(100_000)));
        sent++;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    // Measured while the sockets send (the pushers run on their own until closed).
    const latency = await healthzLatency(server.url, 200);
    await Promise.all(pushers);
    const closed = [...closes.values()].reduce((a, b) => a + b, 0);
    console.log(`40 sockets of one hunter: ${sent} updates of 100 KB sent; closed ${closed}: ${JSON.stringify(Object.fromEntries(closes))}; /healthz ${JSON.stringify(latency)}`);
    expect(closed).toBe(40);
    expect([...closes.keys()].every((k) => k.startsWith('4529 '))).toBe(true);
    // Most are refused for holding more trials than an account may; the rest run out of server time.
    expect(closes.get('4529 too many large updates at once; slow down')).toBeGreaterThanOrEqual(30);
    expect(closes.get('4529 updates cost too much server time; slow down')).toBeGreaterThanOrEqual(1);
    // The flood's 40 senders and the /healthz probe run in this test's own process, beside the node:
    // 100 ms held on a quiet machine but not always in CI (152 ms once, 37.8 ms the run before, same
    // code). A node that integrated the flood on its main thread takes seconds, which this still fails.
    expect(latency.p99).toBeLessThan(MAX_HEALTHZ_P99_MS);

    // The account's budget outlives its sockets: a new one is cut off at its first large update,
    // while another account's same update is taken.
    const fresh = rawSocket(server, docId, ben.cookie);
    const other = rawSocket(server, docId, alice.cookie);
    await Promise.all([fresh.opened, other.opened]);
    fresh.ws.send(updateMessage(bigInsert(100_000)));
    other.ws.send(updateMessage(bigInsert(100_000)));
    expect(await fresh.closed).toEqual({ code: 4529, reason: 'updates cost too much server time; slow down' });
    const stillOpen = await Promise.race([other.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 1_000))]);
    expect(stillOpen).toBe(true);
    other.ws.close();
  });
});
