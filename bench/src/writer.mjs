/**
 * A real writing client: one Y.Doc per room, synced like a y-websocket / Hocuspocus provider would
 * (answers the server's step 1, applies its step 2), whose local edits go out as update messages.
 * Each edit appends a marker `~M<seq>~` to a Y.Text and records when it was sent, so receivers can
 * compute latency on the same clock. Only a few of these exist (one per room), so their Y.Doc cost
 * stays small next to the thousands of thin receivers.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { begin, hello, readHead, updateMessage, MESSAGE_SYNC } from './protocol.mjs';
import { marker } from './markers.mjs';

const REMOTE = Symbol('remote');

export class Writer {
  /**
   * `sentAt` may be shared by the writers of one room, so their markers never collide. `ignoreRemote`:
   * what the server sends is not applied (a room holding a 3.4 MB note would cost the generator seconds
   * per writer); the writer's own edits still integrate on the server after its own earlier ones.
   */
  constructor(target, sentAt = [], { ignoreRemote = false } = {}) {
    this.target = target;
    this.ignoreRemote = ignoreRemote;
    this.doc = new Y.Doc();
    // Not applying the server's state, its edits go into a text of their own: inserted into the note's
    // text, each would be integrated after the writer's first edit with no known right neighbour, and
    // Yjs would scan the whole note (260,000 items) to place it.
    this.text = this.doc.getText(ignoreRemote ? 'bench-markers' : 'bench');
    /** sentAt[seq] = performance.now() when edit `seq` left this process. */
    this.sentAt = sentAt;
    this.edits = 0;
    this.closedWith = undefined;
    this.doc.on('update', (update, origin) => {
      if (origin !== REMOTE && this.ws?.readyState === WebSocket.OPEN) this.ws.send(updateMessage(this.target, update));
    });
  }

  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.target.url, { perMessageDeflate: false });
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      let synced = false;
      ws.on('open', () => {
        for (const m of hello(this.target)) ws.send(m);
      });
      ws.on('message', (data) => {
        const head = readHead(this.target, data);
        if (!head.sync) return;
        if (this.ignoreRemote && head.sub !== 0) {
          if (head.sub === 1 && !synced) {
            synced = true;
            resolve(this);
          }
          return;
        }
        // Re-read the sync sub-message with y-protocols, which answers a step 1 into `reply`.
        const reply = begin(this.target, MESSAGE_SYNC);
        const empty = encoding.length(reply);
        head.decoder.pos -= 1; // back to the sub-type (a single byte: 0, 1 or 2)
        syncProtocol.readSyncMessage(head.decoder, reply, this.doc, REMOTE);
        if (encoding.length(reply) > empty) ws.send(encoding.toUint8Array(reply));
        if (head.sub === 1 && !synced) {
          synced = true;
          resolve(this);
        }
      });
      ws.on('error', reject);
      ws.on('unexpected-response', (_req, res) => reject(new Error(`writer upgrade refused: HTTP ${res.statusCode}`)));
      ws.on('close', (code, reason) => {
        this.closedWith = `${code} ${reason}`;
        if (!synced) reject(new Error(`writer closed before sync: ${code} ${reason}`));
      });
    });
  }

  /** One edit: append the next marker. Returns its sequence number. */
  edit() {
    const seq = this.sentAt.length;
    this.sentAt.push(performance.now());
    this.edits++;
    // Several writers of one room insert at their own end of the text; where does not matter here.
    this.text.insert(this.text.length, marker(seq));
    return seq;
  }

  close() {
    this.ws?.close();
    this.doc.destroy();
  }
}

/**
 * An `onSent` for driveEdits that keeps each edit's lateness in `set.writerLate` while
 * `set.recording` is true (the fan-out's Rooms and SpreadRooms both record the window this way).
 */
export const latenessWhileRecording = (set) => (late) => {
  if (set.recording) set.writerLate.push(late);
};

/**
 * Drives the writers at `perSecond` edits each, the rooms staggered evenly over the interval so the
 * server sees a steady stream rather than 20 edits at once. One timer for all rooms; if this process
 * falls behind, due edits are sent late. `onSent(lateMs)`, if given, is called after each edit with
 * how long after its due time it was sent (its send time as the writer recorded it): the fan-out
 * reports that lateness, since a generator that falls behind offers the server less load than the
 * point says (scenarios/validity.mjs says when that makes the point INVALID).
 */
export function driveEdits(writers, perSecond, { onSent } = {}) {
  const interval = 1000 / perSecond;
  const start = performance.now();
  const due = writers.map((_, i) => start + (i * interval) / writers.length);
  let stopped = false;
  let timer;
  const tick = () => {
    if (stopped) return;
    const now = performance.now();
    let soonest = Infinity;
    writers.forEach((w, i) => {
      while (due[i] <= now) {
        const seq = w.edit();
        onSent?.(w.sentAt[seq] - due[i]);
        due[i] += interval;
      }
      soonest = Math.min(soonest, due[i]);
    });
    timer = setTimeout(tick, Math.max(0, soonest - performance.now()));
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
