/**
 * For unit tests of what the document server writes to its raw sockets (wsFrame, directWrite): an HTTP
 * server whose ws server upgrades every request, as CollabServer does, and hands the test the TCP socket
 * under each websocket, in the order they connected. Not part of the build (tsconfig.build.json).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

export interface UpgradedSockets {
  /** ws://127.0.0.1:<port> */
  url: string;
  /** The upgraded sockets so far; a test may empty it (length = 0) before connecting its clients. */
  sockets: Duplex[];
  close(): Promise<void>;
}

export async function upgradedSockets(): Promise<UpgradedSockets> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer();
  const sockets: Duplex[] = [];
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A reader reset mid-stream (a test's) surfaces here; the test watches the socket itself.
      ws.on('error', () => undefined);
      sockets.push(socket);
    }),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    sockets,
    close: () => new Promise<void>((r) => http.close(() => r())),
  };
}
