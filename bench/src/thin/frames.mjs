/**
 * The parts of RFC 6455 the lean thin client (lean.mjs) needs, written out by hand:
 *   - the opening handshake (section 4.1): a GET with Upgrade, Connection, Sec-WebSocket-Key and
 *     Sec-WebSocket-Version 13; the answer must be 101 with Sec-WebSocket-Accept = base64(SHA-1(key +
 *     the section 1.3 GUID));
 *   - the base framing (section 5.2): FIN, opcode, MASK bit, 7-bit length or 126 + 16-bit or 127 +
 *     64-bit, big-endian;
 *   - client-to-server masking (section 5.3): every client frame is masked with a fresh 4-byte key.
 * Not covered, as no server here uses them: extensions (permessage-deflate is never offered, so RSV bits
 * stay 0), subprotocols, and UTF-8 validation of text frames (the thin client only scans bytes).
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The upgrade request for a ws:// URL (path and query kept: Huntroom's `?ticket=`), and the accept value the 101 must carry. */
export function upgradeRequest(url) {
  const u = new URL(url);
  const key = randomBytes(16).toString('base64');
  const head =
    `GET ${u.pathname}${u.search} HTTP/1.1\r\n` +
    `Host: ${u.host}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n\r\n';
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  return { host: u.hostname, port: Number(u.port) || 80, head, accept };
}

/**
 * Reads an HTTP response head (everything before "\r\n\r\n", latin1): `{ status, accept }`, `accept`
 * being the Sec-WebSocket-Accept header or undefined.
 */
export function parseResponseHead(text) {
  const lines = text.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? NaN);
  let accept;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'sec-websocket-accept') accept = line.slice(colon + 1).trim();
  }
  return { status, accept };
}

// Masking keys come from a pool of random bytes refilled when used up: one getrandom call per 2,048
// frames rather than one per frame.
const pool = Buffer.alloc(8192);
let poolAt = pool.length;

/** A client frame with FIN set, masked (section 5.3) with a fresh key. */
export function clientFrame(opcode, payload) {
  const len = payload.length;
  const headLength = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headLength + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) {
    out[1] = 0x80 | len;
  } else if (len < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    out.writeUInt32BE(len >>> 0, 6);
  }
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool.copy(out, headLength, poolAt, poolAt + 4);
  poolAt += 4;
  const body = headLength + 4;
  for (let i = 0; i < len; i++) out[body + i] = payload[i] ^ out[headLength + (i & 3)];
  return out;
}

/** A close frame's payload (section 5.5.1): the status code, big-endian, then the reason (none here). */
export function closePayload(code) {
  const p = Buffer.allocUnsafe(2);
  p.writeUInt16BE(code, 0);
  return p;
}
