/**
 * A room's relay writes one prebuilt frame (wsFrame.ts) to every socket of the room. Through Node,
 * each of those writes goes through a Writable's bookkeeping, a write request object, a callback and a
 * tick, which measured about as much CPU per delivery as the kernel's send itself. Here a native
 * helper (native/directWrite.c, built by `npm run build` into dist/native) takes the frame and the
 * room's file descriptors in one call and sends to each without blocking.
 *
 * Order is kept by writing straight to a socket only while Node holds nothing queued for it
 * (`writableLength` 0): then no earlier byte is waiting anywhere but in the kernel. What the kernel
 * did not take (a full send buffer: a slow reader) goes to `socket.write` and Node's queue from then
 * on, so the next frame for that socket goes through Node too until the queue has drained. A send
 * that failed (a reset peer) is handed to `socket.write` as well, so Node sees the error and closes
 * the socket as it would have.
 *
 * Only plain TCP sockets are written directly (TLS must encrypt in Node). Without the helper (not
 * built, another system) or with HUNTROOM_DIRECT_WRITES=off (config.ts), every write goes through Node
 * as before.
 */
import type { Duplex } from 'node:stream';
import { loadNativeHelper } from './nativeHelpers.js';

interface NativeWriter {
  writeMany(fds: Int32Array, frame: Uint8Array, written: Int32Array): void;
}

/** A receiver of a room's frames; without `directFd` it is always written through `sendFrame`. */
export interface FrameTarget {
  sendFrame(frame: Buffer): void;
  /** A file descriptor to send to now; `undefined` to use `sendFrame`; `null` when it takes no frames. */
  directFd?(): number | null | undefined;
  /** Whatever the direct send did not write (from `written` on; all of it after an error). */
  sendRest?(frame: Buffer, written: number): void;
}

/** Counts of the two paths, for tests and probes (never reset by the server). */
export const directWriteStats = { direct: 0, throughNode: 0, rest: 0 };

const loadNative = (): NativeWriter | undefined => loadNativeHelper<NativeWriter>('direct_write.node');

/** On unless HUNTROOM_DIRECT_WRITES=off (config.ts); process-wide, set by each CollabServer at start. */
let native: NativeWriter | undefined = loadNative();

/** Turns direct writes on (if the helper could be loaded) or off; says whether they are on. */
export function useDirectWrites(on: boolean): boolean {
  native = on ? loadNative() : undefined;
  return native !== undefined;
}

/** Whether the native helper was built and could be loaded here. */
export function directWritesBuilt(): boolean {
  return loadNative() !== undefined;
}

/** The socket's descriptor when a frame may be sent to it directly now (see the top of this file). */
export function directFdOf(socket: Duplex): number | undefined {
  if (!native) return undefined;
  const s = socket as Duplex & { encrypted?: boolean; _handle?: { fd?: number } | null };
  if (s.writableLength !== 0 || s.writableCorked || s.encrypted || s.destroyed) return undefined;
  const fd = s._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** Hands what the kernel did not take to Node, which keeps it in order ahead of later writes. */
export function writeRest(socket: Duplex, frame: Buffer, written: number): void {
  directWriteStats.rest++;
  socket.write(written > 0 ? frame.subarray(written) : frame);
}

// Reused between calls: a relay is synchronous, and rooms are relayed one after another.
let fds: Int32Array = new Int32Array(1024);
let written: Int32Array = new Int32Array(1024);
const targets: FrameTarget[] = [];

/** Sends `frame` to every target but `except` (or those `except` holds), in one native call where possible. */
export function sendToAll(peers: Iterable<FrameTarget>, frame: Buffer, except?: FrameTarget | ReadonlySet<unknown>): void {
  const skip = except instanceof Set ? except : undefined;
  let n = 0;
  for (const peer of peers) {
    if (peer === except || skip?.has(peer)) continue;
    const fd = native && peer.directFd ? peer.directFd() : undefined;
    if (fd === null) continue;
    if (fd === undefined) {
      directWriteStats.throughNode++;
      peer.sendFrame(frame);
      continue;
    }
    if (n === fds.length) {
      fds = grow(fds);
      written = new Int32Array(fds.length);
    }
    fds[n] = fd;
    targets[n++] = peer;
  }
  if (!n || !native) return;
  native.writeMany(fds.subarray(0, n), frame, written);
  directWriteStats.direct += n;
  for (let i = 0; i < n; i++) {
    const took = written[i]!;
    if (took === frame.byteLength) continue;
    const target = targets[i]!;
    if (target.sendRest) target.sendRest(frame, took);
    else target.sendFrame(took > 0 ? frame.subarray(took) : frame);
  }
  targets.length = 0;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
