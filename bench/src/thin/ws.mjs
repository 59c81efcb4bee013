/**
 * The thin simulated client on the `ws` library (`--thin=ws`; the default is the lean one, lean.mjs,
 * which has the same interface and callbacks): a raw `ws` socket that does the sync handshake (sync step 1 with an empty
 * state vector, and, for Hocuspocus, the auth message first) and then only timestamps what arrives.
 * It never answers the server's step 1 and keeps no Y.Doc, so thousands of them fit in one process
 * on one core and the load generator measures the server, not itself.
 *
 * Callbacks (all optional, times from performance.now() of this one process):
 *   onSynced(now, bytes)  the server's sync step 2 arrived (the whole document, `bytes` long)
 *   onMarker(seq, now, isUpdate)  an edit's marker was seen (in an update, or in the step 2)
 *   onMessage(now)  any sync update arrived (for delivery-gap measurements)
 *   onAwarenessMarker(seq, now)  a marker was seen in an awareness message
 */
import WebSocket from 'ws';
import { hello, readHead, MESSAGE_AWARENESS, SYNC_STEP2, SYNC_UPDATE } from '../protocol.mjs';
import { scanMarkers } from '../markers.mjs';

const SOCKET_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 15_000 };

export class WsThinClient {
  constructor(target, callbacks = {}) {
    this.target = target;
    this.cb = callbacks;
    this.synced = false;
    /** The state vector sent in the next connect's sync step 1 (undefined: empty, the whole document). */
    this.stateVector = undefined;
    this.ws = undefined;
  }

  /** Opens the socket and resolves once the server's sync step 2 arrived. */
  connect() {
    this.synced = false;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.target.url, SOCKET_OPTIONS);
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      let done = false;
      const fail = (err) => {
        if (done) return;
        done = true;
        ws.terminate();
        reject(err);
      };
      ws.on('open', () => {
        for (const m of hello(this.target, this.stateVector)) ws.send(m);
      });
      ws.on('message', (data) => {
        const now = performance.now();
        let head;
        try {
          head = readHead(this.target, data);
        } catch {
          return;
        }
        if (!head.sync) {
          if (head.type === MESSAGE_AWARENESS && this.cb.onAwarenessMarker) scanMarkers(data, (seq) => this.cb.onAwarenessMarker(seq, now));
          return; // auth answers, sync status: not what is measured
        }
        if (head.sub === SYNC_UPDATE) {
          this.cb.onMessage?.(now);
          if (this.cb.onMarker) scanMarkers(data, (seq) => this.cb.onMarker(seq, now, true));
        } else if (head.sub === SYNC_STEP2 && !this.synced) {
          this.synced = true;
          if (this.cb.onMarker) scanMarkers(data, (seq) => this.cb.onMarker(seq, now, false));
          this.cb.onSynced?.(now, data.length);
          done = true;
          resolve(this);
        }
      });
      ws.on('error', fail);
      ws.on('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.on('close', (code, reason) => fail(new Error(`closed before sync: ${code} ${reason}`)));
    });
  }

  /** Resolves with "<code> <reason>" once the open socket closes (the cold load's uploader watches this). */
  closed() {
    return new Promise((resolve) => this.ws.once('close', (code, reason) => resolve(`${code} ${reason}`)));
  }

  send(message) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(message);
  }

  /** Drops the socket at once, as a lost network would (no close handshake). */
  drop() {
    this.ws?.removeAllListeners('close');
    this.ws?.terminate();
  }

  close() {
    if (!this.ws) return Promise.resolve();
    const ws = this.ws;
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', resolve);
      ws.close();
      // A server slow to answer the close handshake must not hold the benchmark.
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2000).unref();
    });
  }
}
