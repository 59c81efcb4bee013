import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { upgradedSockets, type UpgradedSockets } from './upgradedSockets.testkit.js';
import { binaryFrame } from './wsFrame.js';
import { directFdOf, directWriteStats, directWritesBuilt, sendToAll, useDirectWrites, writeRest, type FrameTarget } from './directWrite.js';

/** What Connection does with its upgraded socket (directFd, sendRest, sendFrame), minus the ws state. */
function targetOf(socket: Duplex): FrameTarget {
  return {
    directFd: () => (socket.destroyed ? null : directFdOf(socket)),
    sendRest: (frame, written) => writeRest(socket, frame, written),
    sendFrame: (frame) => socket.write(frame),
  };
}

/** Payload i: its number, then bytes derived from it, so a lost, doubled or cut frame shows. */
function payload(i: number): Uint8Array {
  const size = 4_000 + ((i * 7_919) % 36_000);
  const p = new Uint8Array(size);
  new DataView(p.buffer).setUint32(0, i);
  for (let k = 4; k < size; k++) p[k] = (i + k) & 0xff;
  return p;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The relay's native write (native/directWrite.c) with real upgraded sockets and real ws clients: frames
 * must arrive whole and in order whether the kernel took them at once, in part (a reader that stopped
 * reading fills its buffers) or not at all, with Node's queue taking over the rest.
 */
describe('sendToAll', () => {
  let server: UpgradedSockets;
  let sockets: Duplex[];
  let url: string;

  beforeAll(async () => {
    server = await upgradedSockets();
    ({ sockets, url } = server);
  });
  afterAll(() => server.close());

  it('is built and loaded on Linux (npm run build compiles it)', () => {
    if (process.platform === 'linux') expect(directWritesBuilt()).toBe(true);
  });

  it.each([
    ['natively', true],
    ['through Node (HUNTROOM_DIRECT_WRITES=off)', false],
  ])('keeps every frame whole and in order for readers that stop reading, and skips the sender: %s', async (_, direct) => {
    const directWritesAvailable = useDirectWrites(direct);
    expect(directWritesAvailable).toBe(direct && directWritesBuilt());
    sockets.length = 0;
    const clients = await Promise.all(
      [0, 1, 2].map(async () => {
        const ws = new WebSocket(url, { perMessageDeflate: false });
        const got: Buffer[] = [];
        ws.on('message', (data: Buffer) => got.push(data));
        await new Promise((r) => ws.once('open', r));
        return { ws, got };
      }),
    );
    await until(() => sockets.length === 3, 'three upgraded sockets');
    const targets = sockets.map(targetOf);
    // The first reader stops reading: its socket's buffers fill and the kernel takes frames in part.
    clients[0]!.ws.pause();
    const before = { ...directWriteStats };
    const count = 1_500;
    // In batches with turns of the event loop between them, so Node's queue drains into the kernel
    // while later frames are sent: a direct send must never overtake bytes Node still holds.
    for (let i = 0; i < count; i++) {
      sendToAll(targets, binaryFrame(payload(i)), i % 10 === 0 ? targets[2] : undefined);
      if (i === 500) {
        if (directWritesAvailable) {
          expect(directWriteStats.direct).toBeGreaterThan(before.direct);
          // About 11 MB to a reader that does not read: the kernel cannot have taken all of it.
          expect(directWriteStats.rest).toBeGreaterThan(before.rest);
        }
        if (!direct) expect(directWriteStats.direct).toBe(before.direct);
        clients[0]!.ws.resume();
      }
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const expected = (skipSender: boolean) => Array.from({ length: count }, (_, i) => i).filter((i) => !(skipSender && i % 10 === 0));
    await until(() => clients.every((c, k) => c.got.length === expected(k === 2).length), 'every frame at every reader');
    clients.forEach((c, k) => {
      const numbers = c.got.map((m) => m.readUInt32BE(0));
      expect(numbers).toEqual(expected(k === 2));
      for (const m of c.got) expect(Buffer.compare(m, payload(m.readUInt32BE(0)))).toBe(0);
    });
    for (const c of clients) c.ws.terminate();
    useDirectWrites(true);
  });

  it('goes on past a reader that is gone, and that socket is closed as Node would close it', async () => {
    sockets.length = 0;
    const gone = new WebSocket(url, { perMessageDeflate: false });
    const stays = new WebSocket(url, { perMessageDeflate: false });
    const got: Buffer[] = [];
    stays.on('message', (data: Buffer) => got.push(data));
    await Promise.all([gone, stays].map((ws) => new Promise((r) => ws.once('open', r))));
    await until(() => sockets.length === 2, 'two upgraded sockets');
    const targets = sockets.map(targetOf);
    const goneSocket = sockets[0]!;
    const closed = new Promise((r) => goneSocket.once('close', r));
    (gone as unknown as { _socket: { resetAndDestroy(): void } })._socket.resetAndDestroy();
    for (let i = 0; i < 50; i++) sendToAll(targets, binaryFrame(payload(i)));
    await closed;
    await until(() => got.length === 50, 'the other reader gets all 50');
    expect(got.map((m) => m.readUInt32BE(0))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    stays.terminate();
  });
});
