/**
 * A message longer than what one read holds (a sync step 2 of a whole note: 2.7 MB, a thousand of them
 * in a reconnect storm), as the lean client (lean.mjs) reads it: as it streams in, never assembled, since
 * only its head, its markers and its length are wanted. A marker split between two reads is found in
 * the last MARKER_WINDOW bytes before the split joined to the first after it (markers are `~M<seq>~`,
 * far shorter).
 */
import { scanMarkerSpans, scanMarkersAt } from '../markers.mjs';

const MARKER_WINDOW = 24;

export class StreamedMessage {
  /** `length` bytes in all; `sub` is its head as headAt (protocol.mjs) read it from the first read. */
  constructor(length, sub) {
    this.length = length;
    this.left = length;
    this.sub = sub;
    /** The markers seen so far. */
    this.seqs = [];
    // The last bytes of the previous read (a copy: the read buffer is reused).
    this.tail = undefined;
  }

  /** The next bytes `buf[s..e]` (at most `left`); true once the whole message has been read. */
  add(buf, s, e) {
    const seqs = this.seqs;
    const tail = this.tail;
    if (tail) {
      // Markers that began in the last read and close in this one.
      const joined = Buffer.allocUnsafe(tail.length + Math.min(e - s, MARKER_WINDOW));
      tail.copy(joined, 0);
      buf.copy(joined, tail.length, s, s + joined.length - tail.length);
      scanMarkerSpans(joined, 0, joined.length, (seq, at, close) => at < tail.length && close >= tail.length && seqs.push(seq));
    }
    scanMarkersAt(buf, s, e, (seq) => seqs.push(seq));
    if (e - s >= MARKER_WINDOW) {
      this.tail = Buffer.from(buf.subarray(e - MARKER_WINDOW, e));
    } else {
      const joined = Buffer.concat([tail ?? Buffer.alloc(0), buf.subarray(s, e)]);
      this.tail = joined.subarray(Math.max(0, joined.length - MARKER_WINDOW));
    }
    this.left -= e - s;
    if (this.left) return false;
    this.tail = undefined;
    return true;
  }
}
