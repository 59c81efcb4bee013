/**
 * A hostile client in a process of its own (so its work does not delay the measuring test process):
 * streams large bodies at every route it is given, from several loops at once, as anonymous and as
 * a logged-in caller, until it has run `durationMs` or is sent SIGTERM; then prints one JSON line
 * with what it sent and which answers it got. Input: the HOSTILE environment variable, JSON of
 * { url, routes: [method, path][], headers: { [who]: headers }, loops, durationMs }.
 */
import { request } from 'node:http';

const { url, routes, headers, loops = 4, durationMs = 60_000 } = JSON.parse(process.env.HOSTILE ?? '{}');
const CHUNK = Buffer.alloc(64 * 1024, 0x20);
const MB = 1_000_000;
let stop = false;
let sent = 0;
let bytes = 0;
const statuses = {};

const drained = (req) =>
  new Promise((r) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      r();
    };
    req.once('drain', done);
    req.once('close', done);
  });

function one(method, path, extra, total, declare) {
  return new Promise((resolve) => {
    const h = { 'content-type': 'application/json', ...extra };
    if (declare) h['content-length'] = String(total);
    else h['transfer-encoding'] = 'chunked';
    const req = request(url + path, { method, headers: h, agent: false });
    let answered = false;
    let written = 0;
    req.on('response', (res) => {
      answered = true;
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      res.resume();
      res.on('end', () => req.destroy());
      res.on('close', () => resolve());
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    (async () => {
      let writes = 0;
      while (written < total && !answered && !req.destroyed && !stop) {
        // A write the kernel takes at once does not yield: let the answer be seen now and then.
        if (++writes % 16 === 0) await new Promise((r) => setImmediate(r));
        const n = Math.min(CHUNK.length, total - written);
        written += n;
        bytes += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await drained(req);
      }
      if (!answered && !req.destroyed) req.end();
    })().catch(() => undefined);
  });
}

async function loop(who, declare) {
  while (!stop) {
    for (const [method, path] of routes) {
      if (stop) break;
      await one(method, path, headers[who] ?? {}, (declare ? 95 : 50) * MB, declare);
      sent++;
    }
  }
}

const finish = () => {
  stop = true;
};
process.on('SIGTERM', finish);
setTimeout(finish, durationMs).unref();
const whos = Object.keys(headers);
// Loop i: callers in turn; declared and streamed bodies alternate so that four loops cover every pair.
const running = Array.from({ length: loops }, (_, i) => loop(whos[i % whos.length], (i + Math.floor(i / 2)) % 2 === 0));
// Ready: the measuring side starts once this line is out.
process.stdout.write('started\n');
await Promise.all(running);
process.stdout.write(`${JSON.stringify({ sent, mbSent: Math.round(bytes / MB), statuses })}\n`);
process.exit(0);
