/**
 * The longest turn the heartbeat takes at N open sockets: every ping in one turn (the heartbeat before
 * 2026-12-01) against one tick of the server's Heartbeat (server/dist/collab/heartbeat.js), which pings
 * a slice of them every 100 ms. Real `ws` sockets on loopback; the clients are in a child process pinned
 * to the other core, so their pongs cost this process nothing but reading them.
 *
 *   node src/heartbeatCost.mjs [sockets=10000] [rounds=5]
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { median, sleep } from './stats.mjs';

const require = createRequire(import.meta.url);
const serverDir = dirname(require.resolve('@huntroom/server'));
const { WebSocketServer } = createRequire(require.resolve('@huntroom/server'))('ws');
const { Heartbeat } = await import(pathToFileURL(join(serverDir, 'collab', 'heartbeat.js')).href);

if (process.argv[2] === 'clients') {
  // The child: N clients that answer pings (ws answers them itself) until told to stop.
  const WebSocket = createRequire(require.resolve('@huntroom/server'))('ws');
  const [, , , url, n] = process.argv;
  let open = 0;
  for (let i = 0; i < Number(n); i++) {
    const ws = new WebSocket(url);
    ws.on('open', () => ++open === Number(n) && process.send('open'));
    ws.on('error', (err) => process.send(`error ${err.message}`));
  }
  process.on('message', () => process.exit(0));
} else {
  const sockets = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 5);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  const conns = new Set();
  wss.on('connection', (ws) => {
    const conn = { alive: true, closed: false, ws };
    ws.on('pong', () => (conn.alive = true));
    conns.add(conn);
  });
  await new Promise((r) => wss.once('listening', r));
  // Pinned to core 1 (this process to core 0: run it with `taskset -c 0`) where there are two.
  const cmd = [process.execPath, fileURLToPath(import.meta.url), 'clients', `ws://127.0.0.1:${wss.address().port}`, String(sockets)];
  const child = spawn(availableParallelism() > 1 ? 'taskset' : cmd.shift(), availableParallelism() > 1 ? ['-c', '1', ...cmd] : cmd, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => child.on('message', (m) => (m === 'open' ? resolve() : reject(new Error(m)))));
  while (conns.size < sockets) await new Promise((r) => setImmediate(r));

  const settle = () => sleep(200); // the pongs come back between measurements
  const oneTurn = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    for (const conn of conns) {
      conn.alive = false;
      conn.ws.ping();
    }
    oneTurn.push(performance.now() - t0);
    await settle();
  }
  // A fresh Heartbeat per round: one pings a connection at most once per half interval, and these
  // rounds follow each other in seconds, not 30 s.
  const perTick = [];
  let slices = 0;
  for (let r = 0; r < rounds; r++) {
    const beat = new Heartbeat(conns, 30_000);
    slices = beat.slices;
    for (let i = 0; i < beat.slices; i++) {
      const t0 = performance.now();
      beat.beat();
      perTick.push(performance.now() - t0);
      await new Promise((res) => setImmediate(res)); // a tick is a turn of its own, as under its timer
    }
    await settle();
  }
  const terminated = [...conns].filter((c) => c.ws.readyState !== c.ws.OPEN).length;
  const fmt = (a) => `median ${median(a).toFixed(1)} ms, longest ${Math.max(...a).toFixed(1)} ms`;
  console.log(`heartbeat at ${sockets} sockets, ${rounds} rounds (Node ${process.version})`);
  console.log(`  every ping in one turn:        ${fmt(oneTurn)}`);
  console.log(`  one tick of ${slices} per 30 s:    ${fmt(perTick)}`);
  console.log(`  sockets terminated (must be 0): ${terminated}`);
  child.send('stop');
  wss.close();
  for (const c of conns) c.ws.terminate();
  if (terminated) process.exitCode = 1;
}
