/**
 * The lean thin client (`--thin=lean`, the default): the same interface and callbacks as the `ws`
 * one (ws.mjs), on a bare TCP socket with the WebSocket protocol written by hand (frames.mjs).
 *
 * Why by hand: the load generator has one core, and with the `ws` client it spent about as much CPU per
 * delivery as the server it measured (a Receiver stream, events and a Buffer per message), so fan-out
 * and hot-room tails measured the generator too and the ramp saturated it before any server passed
 * 100 ms. Here a read lands in one buffer reused by every socket of the process (net's `onread`
 * option: no Readable stream, no Buffer per read), frames are parsed in place and a message is
 * read at its offsets; bytes are copied only for a frame split across reads (into a buffer of the
 * frame's size) and for fragmented messages. Callbacks get times and lengths, never views into the
 * reused buffer, so nothing they keep can change under them. Measured side by side (thin/cost.mjs,
 * Huntroom, 20 rooms x 50 receivers each, loaded machine): onread 9.7 µs of generator CPU per
 * delivery, the same parser on socket.on('data') 12.9.
 *
 * Server frames (RFC 6455 section 5): binary and text messages, continuation frames, ping (answered
 * with a masked pong carrying its payload), pong (ignored) and close (answered with a close frame,
 * then the socket is treated as closed). A masked server frame is a protocol error (section 5.1).
 */
import { connect as netConnect } from 'node:net';
import { scanMarkersAt } from '../markers.mjs';
import { headAt, hello, HEAD_AWARENESS, SYNC_STEP2, SYNC_UPDATE } from '../protocol.mjs';
import { clientFrame, closePayload, parseResponseHead, upgradeRequest, OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT } from './frames.mjs';
import { StreamedMessage } from './streamed.mjs';

/** As the `ws` client's handshakeTimeout: an upgrade not answered within this fails the attempt. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * One read buffer for every socket of the process: libuv reads into it and the callback parses the
 * bytes before the event loop runs the next read, so sockets never see each other's data. 64 KiB is
 * what a stream socket reads at a time anyway.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

const HANDSHAKE = 0;
const OPEN = 1;
const CLOSING = 2; // our close frame sent, the server's awaited
const CLOSED = 3;

export class LeanThinClient {
  constructor(target, callbacks = {}) {
    this.target = target;
    this.cb = callbacks;
    this.synced = false;
    /** The state vector sent in the next connect's sync step 1 (undefined: empty, the whole document). */
    this.stateVector = undefined;
    /** The connection of the last connect() (each connect makes a new one). */
    this.conn = undefined;
  }

  /** Opens the socket and resolves once the server's sync step 2 arrived. */
  connect() {
    this.synced = false;
    return new Promise((resolve, reject) => {
      this.conn = new Connection(this, resolve, reject);
    });
  }

  /** Resolves with "<code> <reason>" once the open socket closes (the cold load's uploader watches this). */
  closed() {
    const conn = this.conn;
    if (!conn || conn.state === CLOSED) return Promise.resolve(conn?.closeReason ?? '1006 ');
    return new Promise((resolve) => conn.closeWaiters.push(resolve));
  }

  send(message) {
    if (this.conn?.state === OPEN) this.conn.sock.write(clientFrame(OP_BINARY, message));
  }

  /** Drops the socket at once, as a lost network would (no close handshake). */
  drop() {
    this.conn?.drop();
  }

  /**
   * For the native receivers (native/receivers.mjs): the open socket, to be read by another process
   * from now on, or undefined when it is not open or its parser holds part of a frame or message (the
   * other reader would start in the middle of it). Node stops reading it when it is handed to a child
   * process (child_process.spawn pauses a socket given in `stdio`).
   */
  handOff() {
    const c = this.conn;
    if (c?.state !== OPEN || c.pending || c.headCarry || c.stream || c.fragments) return undefined;
    c.handedOff = true;
    return c.sock;
  }

  close() {
    const conn = this.conn;
    if (!conn || conn.state === CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      conn.closeWaiters.push(resolve);
      if (conn.state === OPEN) {
        conn.state = CLOSING;
        conn.sock.write(clientFrame(OP_CLOSE, closePayload(1000)));
      } else if (conn.state === HANDSHAKE) {
        conn.sock.destroy();
      }
      // A server slow to answer the close handshake must not hold the benchmark.
      setTimeout(() => conn.sock.destroy(), 2000).unref();
    });
  }
}

/** One socket of a client, from the upgrade request to its close. */
class Connection {
  constructor(client, resolve, reject) {
    this.client = client;
    this.target = client.target;
    this.resolve = resolve;
    this.reject = reject;
    /** connect() has settled (or the socket was dropped): later errors and closes are not reported. */
    this.done = false;
    this.state = HANDSHAKE;
    this.closeReason = undefined;
    this.closeWaiters = [];
    // The response head, while the upgrade is answered (latin1: one character per byte).
    this.headText = '';
    // A frame split across reads: its header bytes so far, or its payload buffer and how much is filled.
    this.headCarry = undefined;
    this.pending = undefined;
    this.filled = 0;
    // The frame being read: FIN bit, opcode and payload length (set by header()).
    this.fin = false;
    this.op = 0;
    this.len = 0;
    // A fragmented message: its payloads so far (copies).
    this.fragments = undefined;
    // A message longer than one read, read as it streams in (streamed.mjs).
    this.stream = undefined;
    // What headAt needs to read a head: the Hocuspocus name's prefix, the type and the sync sub-type.
    this.headBytes = 8 + Buffer.byteLength(this.target.name ?? '');
    // Read by a native receivers process from now on (handOff()).
    this.handedOff = false;

    const req = upgradeRequest(this.target.url);
    this.accept = req.accept;
    this.sock = netConnect({
      host: req.host,
      port: req.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (nread, buf) => this.onRead(buf, nread) },
    });
    this.sock.write(req.head);
    this.timer = setTimeout(() => this.fail(new Error('Opening handshake has timed out')), HANDSHAKE_TIMEOUT_MS);
    this.timer.unref();
    this.sock.on('error', (err) => this.fail(err));
    this.sock.on('close', () => this.closed('1006 '));
  }

  /** Fails connect() (once) and drops the socket. */
  fail(err) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.sock.destroy();
    this.reject(err);
  }

  /** The socket is gone (or the server's close frame came): reported once. */
  closed(reason) {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.closeReason = reason;
    this.fail(new Error(`closed before sync: ${reason}`));
    for (const w of this.closeWaiters.splice(0)) w(reason);
  }

  drop() {
    this.done = true;
    clearTimeout(this.timer);
    this.state = CLOSED;
    this.closeReason = '1006 ';
    this.sock.destroy();
    for (const w of this.closeWaiters.splice(0)) w(this.closeReason);
  }

  onRead(buf, nread) {
    if (this.state === CLOSED || this.handedOff) return;
    if (this.state === HANDSHAKE) {
      const before = this.headText.length;
      this.headText += buf.toString('latin1', 0, nread);
      const end = this.headText.indexOf('\r\n\r\n');
      if (end === -1) return;
      // Bytes after the head are already frames (a server may send its step 1 with the 101).
      const frameStart = end + 4 - before;
      if (!this.upgraded(this.headText.slice(0, end))) return;
      this.feed(buf, frameStart, nread);
      return;
    }
    this.feed(buf, 0, nread);
  }

  /** Checks the 101 and sends the hello; false (and connect() failed) when the upgrade was refused. */
  upgraded(head) {
    this.headText = '';
    const { status, accept } = parseResponseHead(head);
    if (status !== 101) {
      this.fail(new Error(`upgrade refused: HTTP ${status}`));
      return false;
    }
    if (accept !== this.accept) {
      this.fail(new Error('Invalid Sec-WebSocket-Accept header'));
      return false;
    }
    clearTimeout(this.timer);
    this.state = OPEN;
    const frames = hello(this.target, this.client.stateVector).map((m) => clientFrame(OP_BINARY, m));
    this.sock.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    return true;
  }

  /** Parses the frames in `buf[pos..end]`, carrying a frame split at `end` over to the next read. */
  feed(buf, pos, end) {
    if (this.pending) {
      pos = this.fillPending(buf, pos, end);
      if (this.pending) return;
    }
    if (this.stream) {
      const n = Math.min(end - pos, this.stream.left);
      this.streamChunk(buf, pos, pos + n);
      pos += n;
      if (this.stream) return;
    }
    if (this.headCarry) {
      // The frame's header began in the last read: complete it from this one (14 bytes at most).
      const carry = this.headCarry;
      const take = Math.min(end - pos, 14 - carry.length);
      const joined = Buffer.allocUnsafe(carry.length + take);
      carry.copy(joined, 0);
      buf.copy(joined, carry.length, pos, pos + take);
      const h = this.header(joined, 0, joined.length);
      if (h < 0) return;
      if (h === 0) {
        this.headCarry = joined;
        return;
      }
      this.headCarry = undefined;
      pos = this.payload(buf, pos + h - carry.length, end);
    }
    while (pos < end && !this.pending && !this.stream && this.state !== CLOSED) {
      const h = this.header(buf, pos, end);
      if (h < 0) return;
      if (h === 0) {
        this.headCarry = Buffer.from(buf.subarray(pos, end)); // a copy: buf is reused
        return;
      }
      pos = this.payload(buf, pos + h, end);
    }
  }

  /**
   * Reads a frame header at `pos` into fin/op/len: its length in bytes, 0 when it is not all there
   * yet, -1 on a protocol error (the connection is then dropped).
   */
  header(buf, pos, end) {
    if (end - pos < 2) return 0;
    const b0 = buf[pos];
    const b1 = buf[pos + 1];
    if (b1 & 0x80) return this.protocolError('masked server frame');
    if (b0 & 0x70) return this.protocolError('RSV bits set without an extension');
    this.fin = (b0 & 0x80) !== 0;
    this.op = b0 & 0x0f;
    const len7 = b1 & 0x7f;
    if (len7 < 126) {
      this.len = len7;
      return 2;
    }
    if (len7 === 126) {
      if (end - pos < 4) return 0;
      this.len = buf.readUInt16BE(pos + 2);
      return 4;
    }
    if (end - pos < 10) return 0;
    const high = buf.readUInt32BE(pos + 2);
    if (high > 0x1fffff) return this.protocolError('frame longer than 2^53 bytes');
    this.len = high * 2 ** 32 + buf.readUInt32BE(pos + 6);
    return 10;
  }

  protocolError(why) {
    this.fail(new Error(`websocket protocol error: ${why}`));
    this.drop();
    return -1;
  }

  /** The payload of the frame whose header was just read, from `pos`: handled in place when whole, else copied to wait for the rest. */
  payload(buf, pos, end) {
    const len = this.len;
    if (end - pos >= len) {
      this.frame(buf, pos, pos + len);
      return pos + len;
    }
    if (this.fin && (this.op === OP_BINARY || this.op === OP_TEXT) && end - pos >= this.headBytes) {
      this.stream = new StreamedMessage(len, headAt(this.target, buf, pos, end));
      this.streamChunk(buf, pos, end);
      return end;
    }
    this.pending = Buffer.allocUnsafe(len);
    buf.copy(this.pending, 0, pos, end);
    this.filled = end - pos;
    return end;
  }

  fillPending(buf, pos, end) {
    const p = this.pending;
    const n = Math.min(end - pos, p.length - this.filled);
    buf.copy(p, this.filled, pos, pos + n);
    this.filled += n;
    if (this.filled === p.length) {
      this.pending = undefined;
      this.frame(p, 0, p.length);
    }
    return pos + n;
  }

  /** The next bytes `buf[s..e]` of the message being streamed; its end is dispatched as message() would. */
  streamChunk(buf, s, e) {
    if (!this.stream.add(buf, s, e)) return;
    const { seqs, sub, length } = this.stream;
    this.stream = undefined;
    // message()'s dispatch, with the head and markers gathered on the way.
    const now = performance.now();
    const cb = this.client.cb;
    if (sub === HEAD_AWARENESS) {
      if (cb.onAwarenessMarker) for (const seq of seqs) cb.onAwarenessMarker(seq, now);
    } else if (sub === SYNC_UPDATE) {
      cb.onMessage?.(now);
      if (cb.onMarker) for (const seq of seqs) cb.onMarker(seq, now, true);
    } else if (sub === SYNC_STEP2 && !this.client.synced && !this.done) {
      this.client.synced = true;
      if (cb.onMarker) for (const seq of seqs) cb.onMarker(seq, now, false);
      cb.onSynced?.(now, length);
      this.done = true;
      this.resolve(this.client);
    }
  }

  /** A whole frame's payload at `buf[start..end]`. */
  frame(buf, start, end) {
    const op = this.op;
    if (op === OP_BINARY || op === OP_TEXT) {
      if (this.fin) this.message(buf, start, end);
      else this.fragments = [Buffer.from(buf.subarray(start, end))];
    } else if (op === OP_CONTINUATION) {
      if (!this.fragments) return void this.protocolError('continuation without a first frame');
      this.fragments.push(Buffer.from(buf.subarray(start, end)));
      if (this.fin) {
        const whole = Buffer.concat(this.fragments);
        this.fragments = undefined;
        this.message(whole, 0, whole.length);
      }
    } else if (op === OP_PING) {
      if (this.state === OPEN) this.sock.write(clientFrame(OP_PONG, buf.subarray(start, end)));
    } else if (op === OP_CLOSE) {
      const code = end - start >= 2 ? buf.readUInt16BE(start) : 1005;
      const reason = end - start > 2 ? buf.toString('utf8', start + 2, end) : '';
      // Answer a close we did not start (section 5.5.1), then the connection is over either way.
      if (this.state === OPEN) this.sock.end(clientFrame(OP_CLOSE, end - start >= 2 ? closePayload(code) : Buffer.alloc(0)));
      else this.sock.end();
      this.closed(`${code} ${reason}`);
    }
    // OP_PONG: nothing to do (this client sends no pings).
  }

  /** A whole message at `buf[start..end]`: the same dispatch as the `ws` client's message handler. */
  message(buf, start, end) {
    const now = performance.now();
    const cb = this.client.cb;
    const sub = headAt(this.target, buf, start, end);
    if (sub < 0) {
      if (sub === HEAD_AWARENESS && cb.onAwarenessMarker) scanMarkersAt(buf, start, end, cb.onAwarenessMarker, now);
      return; // auth answers, sync status: not what is measured
    }
    if (sub === SYNC_UPDATE) {
      cb.onMessage?.(now);
      if (cb.onMarker) scanMarkersAt(buf, start, end, cb.onMarker, now, true);
    } else if (sub === SYNC_STEP2 && !this.client.synced && !this.done) {
      this.client.synced = true;
      if (cb.onMarker) scanMarkersAt(buf, start, end, cb.onMarker, now, false);
      cb.onSynced?.(now, end - start);
      this.done = true;
      this.resolve(this.client);
    }
  }
}
