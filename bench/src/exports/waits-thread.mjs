/**
 * The other clients of a node during an export, in a worker thread of the bench (waits.mjs starts it):
 *
 * - `/healthz` asked every `intervalMs` over one keep-alive TCP connection with TCP_NODELAY, the
 *   request written and the answer read by hand (Content-Length). Not `fetch`: its first call in a
 *   fresh thread loads undici and compiles its HTTP parser, 50-60 ms before the request leaves, which
 *   the old probe (a new thread with `fetch` per export) counted as the server's wait every time
 *   (docs/performance.md, "Exports in the bench, 2026-11-29 (night)").
 * - a note's edit round trip every `intervalMs`: a real Y.Doc client (writer.mjs) types one marker
 *   on one y-websocket connection and the time is taken when the update arrives on a second
 *   connection to the same note, so it covers the node's storing and relaying of an update.
 *
 * Both loops start at once and are warmed up by the time the caller measures. Samples go to the
 * window open when their request was sent; `mark` closes the window (after its requests in flight
 * have answered) and opens the next, and the thread answers with the closed window's waits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Writer } from '../writer.mjs';
import { hello, readHead } from '../protocol.mjs';

const { healthUrl, notes, intervalMs, timeoutMs } = workerData;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// `slow`: when (ms since the window opened) each wait over SLOW_MS started, to tell a stall that held
// both clients at once (the node, or this thread) from one of a single client.
const SLOW_MS = 20;
const newWindow = () => ({ health: [], note: [], healthFailed: 0, noteFailed: 0, inFlight: 0, slow: [], openedAt: performance.now() });
let current = newWindow();
// This thread's own event-loop delay per window: a long one means the clients themselves were held
// up (their GC, the generator core busy), not the node, and their waits say nothing past it.
const ownDelay = monitorEventLoopDelay({ resolution: 1 });
ownDelay.enable();
let running = true;

/** One keep-alive connection asking `url` (GET); `get()` resolves when the whole answer is in. */
function httpClient(url) {
  const u = new URL(url);
  const request = Buffer.from(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
  let socket;
  let buffered = Buffer.alloc(0);
  let pending;
  const open = () =>
    new Promise((resolve, reject) => {
      socket = connect(Number(u.port), u.hostname);
      socket.setNoDelay(true);
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.on('data', (d) => {
        buffered = buffered.length ? Buffer.concat([buffered, d]) : d;
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = /\r\ncontent-length: *(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'));
        if (!length) return pending?.reject(new Error('an answer without Content-Length'));
        if (buffered.length < end + 4 + Number(length[1])) return;
        const status = Number(buffered.subarray(9, 12).toString('latin1'));
        buffered = Buffer.alloc(0);
        pending?.resolve(status);
      });
      socket.on('close', () => pending?.reject(new Error('connection closed')));
    });
  return {
    open,
    async get() {
      // A connection the node closed is opened again (that request's wait includes the new handshake).
      if (socket.destroyed) await open();
      const answered = new Promise((resolve, reject) => (pending = { resolve, reject }));
      socket.write(request);
      try {
        return await answered;
      } finally {
        pending = undefined;
      }
    },
    close: () => socket?.destroy(),
  };
}

/** The second connection to the note: resolves `next()` at the next update it receives. */
function noteListener(target) {
  let waiting;
  const ws = new WebSocket(target.url, { perMessageDeflate: false });
  const synced = new Promise((resolve, reject) => {
    ws.on('open', () => hello(target).forEach((m) => ws.send(m)));
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`listener upgrade refused: HTTP ${res.statusCode}`)));
    ws.on('message', (data) => {
      const head = readHead(target, data);
      if (head.sync && head.sub === 1) resolve();
      if (head.sync && head.sub === 2) waiting?.();
    });
  });
  return {
    synced,
    next: () => new Promise((resolve) => (waiting = resolve)),
    close: () => ws.close(),
  };
}

/** Runs `op` every intervalMs, recording its wait (ms) into the window open when it started. */
async function loop(kind, op) {
  while (running) {
    const w = current;
    w.inFlight++;
    const t = performance.now();
    let timer;
    try {
      await Promise.race([op(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
    } catch {
      w[`${kind}Failed`]++;
    } finally {
      clearTimeout(timer);
    }
    // A failed request still kept its client waiting that long.
    const ms = performance.now() - t;
    w[kind].push(ms);
    if (ms > SLOW_MS && w.slow.length < 50) w.slow.push(`${kind} at ${Math.round(t - w.openedAt)}: ${Math.round(ms)} ms`);
    w.inFlight--;
    await sleep(intervalMs);
  }
}

const http = httpClient(healthUrl);
await http.open();
const writer = new Writer(notes[0]);
const listener = noteListener(notes[1]);
await Promise.all([writer.connect(), listener.synced]);
const loops = [
  loop('health', async () => {
    const status = await http.get();
    if (status !== 200) throw new Error(`HTTP ${status}`);
  }),
  loop('note', async () => {
    const arrived = listener.next();
    writer.edit();
    await arrived;
  }),
];
parentPort.postMessage({ ready: true });

parentPort.on('message', async (m) => {
  const closed = current;
  current = newWindow();
  const ownDelayMaxMs = ownDelay.max / 1e6;
  ownDelay.reset();
  if (m === 'stop') running = false;
  while (closed.inFlight) await sleep(1);
  const { inFlight: _, openedAt: __, ...waits } = closed;
  parentPort.postMessage({ ...waits, ownDelayMaxMs });
  if (m === 'stop') {
    await Promise.all(loops);
    http.close();
    writer.close();
    listener.close();
    parentPort.close();
  }
});
