import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { upgradedSockets, type UpgradedSockets } from './upgradedSockets.testkit.js';
import { binaryFrame } from './wsFrame.js';

/**
 * As the document server does: a ws server upgrades the socket, frames are written to the raw TCP
 * socket underneath it, and a real ws client must read each as one binary message.
 */
describe('binaryFrame', () => {
  let server: UpgradedSockets;
  let sockets: Duplex[];
  let url: string;

  beforeAll(async () => {
    server = await upgradedSockets();
    ({ sockets, url } = server);
  });
  afterAll(() => server.close());

  it('frames messages of every length class so a ws client reads them back whole and in order', async () => {
    sockets.length = 0;
    const client = new WebSocket(url, { perMessageDeflate: false });
    const received: Buffer[] = [];
    const sizes = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const all = new Promise<void>((resolve, reject) => {
      client.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) reject(new Error('text frame'));
        received.push(data);
        if (received.length === sizes.length) resolve();
      });
      client.on('error', reject);
    });
    await new Promise((r) => client.once('open', r));
    const payloads = sizes.map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff));
    for (const p of payloads) sockets[0]!.write(binaryFrame(p));
    await all;
    expect(received.map((b) => b.byteLength)).toEqual(sizes);
    received.forEach((b, i) => expect(b.equals(Buffer.from(payloads[i]!))).toBe(true));
    client.close();
  });
});
