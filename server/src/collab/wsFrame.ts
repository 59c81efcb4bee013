/**
 * One server-to-client websocket frame (RFC 6455 section 5.2: FIN, binary opcode, unmasked) holding a
 * whole message, built once and written as is to every socket of a room. `ws.send` frames the same
 * bytes again for each socket (header, cork, two-buffer writev, a callback); the profile of the
 * fan-out scenario showed that path as the largest share of the server's time (docs/performance.md).
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const headerBytes = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + n);
  frame[0] = 0x82;
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(payload, headerBytes);
  return frame;
}
