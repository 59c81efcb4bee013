#!/usr/bin/env node
/**
 * `node src/heldBackCheck.mjs`: checks that heldBack.mjs sees a server held back by its receivers, and
 * only then. A TCP server on loopback writes to five clients: 32 KiB to each of three that read
 * everything (it fits in a receive window: a reader that cannot take a burst at once, 4 MiB say, is
 * limited too, rightly), 4 MiB to each of two that read nothing. Between a snapshot before and one
 * after, exactly the two that read nothing must count as limited by the receiver's window, and no
 * receiving socket may have dropped a segment. Prints the
 * counts; exits 1 on a difference.
 */
import net from 'node:net';
import { dropsBetween, heldBackBetween, kernelDrops, serverSockets } from './heldBack.mjs';
import { sleep } from './stats.mjs';

const READING = 3;
const STALLED = 2;
const READ_BYTES = 32 * 1024;
const STALLED_BYTES = 4 * 1024 * 1024;

const accepted = [];
const server = net.createServer((s) => accepted.push(s));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const clients = [];
for (let i = 0; i < READING + STALLED; i++) {
  const c = net.connect(port, '127.0.0.1');
  if (i < READING) c.on('data', () => {});
  else c.pause();
  clients.push(c);
  // One at a time, so accepted[i] is the server's side of clients[i].
  while (accepted.length < clients.length) await sleep(5);
}

const before = await serverSockets(port);
const drops0 = kernelDrops();
accepted.forEach((s, i) => s.write(Buffer.alloc(i < READING ? READ_BYTES : STALLED_BYTES)));
// Until every byte has left the readers' sockets, and long enough for the stalled ones to be limited.
const readersDone = () => accepted.slice(0, READING).every((s) => s.writableLength === 0);
for (let waited = 0; waited < 10_000 && !readersDone(); waited += 50) await sleep(50);
await sleep(200);
const held = heldBackBetween(before, await serverSockets(port));
const drops = dropsBetween(drops0, kernelDrops());

console.log(`server sockets ${held.sockets}: limited by the receiver's window ${held.rwndLimited}, by the send buffer ${held.sndbufLimited}; receive drops ${drops.receive}`);
const problems = [
  held.sockets !== clients.length && `saw ${held.sockets} server sockets, expected ${clients.length}`,
  held.rwndLimited !== STALLED && `${held.rwndLimited} limited by the receiver's window, expected the ${STALLED} that read nothing`,
  drops.receive !== 0 && `${drops.receive} segments dropped by receiving sockets`,
].filter(Boolean);
for (const p of problems) console.log(`FAIL: ${p}`);
for (const c of clients) c.destroy();
server.close();
process.exit(problems.length ? 1 : 0);
