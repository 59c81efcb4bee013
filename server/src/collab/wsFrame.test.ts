import { describe, expect, it } from 'vitest';
import { Receiver } from 'ws';
import { binaryFrame } from './wsFrame.js';

/** ws's own parser (client side: frames from a server are unmasked) reads back what we framed. */
function parse(frame: Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const r = new Receiver({ isServer: false, binaryType: 'nodebuffer' } as ConstructorParameters<typeof Receiver>[0]);
    r.on('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary }));
    r.on('error', reject);
    r.write(frame);
  });
}

describe('binaryFrame', () => {
  it.each([0, 1, 125, 126, 65_535, 65_536, 300_000])('frames %i bytes as one binary message ws reads back', async (n) => {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const { data, isBinary } = await parse(binaryFrame(payload));
    expect(isBinary).toBe(true);
    expect(data.equals(Buffer.from(payload))).toBe(true);
  });
});
