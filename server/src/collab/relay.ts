/**
 * The relay of a document's committed updates to its peers, one sweep over the peers at a time, in
 * slices that let the event loop read in between.
 *
 * Why sweeps and not one loop per commit: in a room of 1,000 sockets one loop of writes takes about
 * 11 ms of a core (the kernel's loopback write is most of it). A second writer's update that arrives
 * meanwhile used to wait for the end of that loop, be committed, then start a loop of its own: its last
 * reader waited up to two loops. Now the sweep yields every SLICE_MS; the new update is read and
 * committed in the gap and joins the sweep, so the peers not yet written get both updates in one write,
 * and a second sweep takes it to the peers written before it came. Its last reader waits about one
 * loop, and every peer gets one write fewer (docs/performance.md, "Hot room: one sweep").
 *
 * Order and completeness: every peer keeps the sequence number of the last entry written to it, so it
 * gets each entry once, in commit order, never its own. A peer joining gets only entries committed
 * after it joined, as before: the ones before are in the document its sync answer reads.
 *
 * Fairness between documents: one queue for the process. The document at its head sweeps until its
 * peers have everything, across slices; documents whose updates commit meanwhile wait behind it, as
 * they did behind one synchronous loop. So a slice adds a short gap for reading, not a round robin
 * between rooms (which would raise every room's tail).
 */
import type { DocPeer } from './LiveDocument.js';

/** How long a sweep writes before it lets the event loop read (and commit) what arrived. */
const SLICE_MS = 2;
/** performance.now() is read once per this many writes. */
const CHECK_EVERY = 16;

interface Entry {
  frame: Buffer;
  origin: unknown;
}

/** Documents with entries not yet at every peer, in the order they had them. */
class RelayQueue {
  private readonly queue: DocRelay[] = [];
  private scheduled = false;
  private running = false;

  add(relay: DocRelay): void {
    this.queue.push(relay);
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // Still in the commit's microtasks: the updates of one commit reach each socket in one write.
    queueMicrotask(() => this.run());
  }

  remove(relay: DocRelay): void {
    const i = this.queue.indexOf(relay);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private run(): void {
    this.scheduled = false;
    this.running = true;
    const deadline = performance.now() + SLICE_MS;
    try {
      while (this.queue.length) {
        const head = this.queue[0]!;
        if (!head.sweep(deadline)) break;
        // A document stopped during its own sweep has already left the queue.
        if (this.queue[0] === head) this.queue.shift();
      }
    } finally {
      this.running = false;
    }
    if (this.queue.length && !this.scheduled) {
      this.scheduled = true;
      // After the poll phase: the sockets that have data are read, and their updates committed, first.
      setImmediate(() => this.run());
    }
  }
}

const relays = new RelayQueue();

export class DocRelay {
  /** Committed entries some peer may not have yet; entries[i] has sequence number `first + i`. */
  private entries: Entry[] = [];
  private first = 1;
  /** The sequence number of the last committed entry. */
  private last = 0;
  /** Per peer, the last sequence number written to it. */
  private readonly sent = new Map<DocPeer, number>();
  /** The sweep under way: the peers when it began, how far it got, and `last` when it began. */
  private current: { peers: DocPeer[]; at: number; upTo: number } | undefined;
  private queued = false;
  private stopped = false;
  /** What each peer not among the entries' senders gets, by where it is: built once per sweep. */
  private shared = new Map<number, Buffer>();
  private origins = new Set<unknown>();

  constructor(private readonly peers: ReadonlySet<DocPeer>) {}

  /** A peer that joins now gets what is committed from now on. */
  join(peer: DocPeer): void {
    this.sent.set(peer, this.last);
  }

  leave(peer: DocPeer): void {
    this.sent.delete(peer);
  }

  /** Entries of one commit, in order: they go to every peer but their own sender. */
  push(committed: Entry[]): void {
    if (this.stopped) return;
    for (const e of committed) {
      this.entries.push(e);
      this.origins.add(e.origin);
    }
    this.last += committed.length;
    this.shared.clear();
    if (!this.queued) {
      this.queued = true;
      relays.add(this);
    }
  }

  /** Nothing more goes out (the document failed or closed). */
  stop(): void {
    this.stopped = true;
    this.entries = [];
    this.first = this.last + 1;
    this.current = undefined;
    this.origins.clear();
    this.shared.clear();
    if (this.queued) relays.remove(this);
    this.queued = false;
  }

  /** Writes until every peer has every entry (true) or `deadline` passes (false). */
  sweep(deadline: number): boolean {
    for (;;) {
      if (this.stopped) return true;
      const sweep = (this.current ??= { peers: [...this.peers], at: 0, upTo: this.last });
      const { peers } = sweep;
      while (sweep.at < peers.length) {
        const peer = peers[sweep.at++]!;
        this.write(peer);
        if (sweep.at % CHECK_EVERY === 0 && sweep.at < peers.length && performance.now() > deadline) return false;
      }
      this.current = undefined;
      // Entries committed during the sweep reached only the peers after the sweep's position then.
      if (this.last > sweep.upTo) continue;
      this.entries = [];
      this.first = this.last + 1;
      this.origins.clear();
      this.shared.clear();
      this.queued = false;
      return true;
    }
  }

  private write(peer: DocPeer): void {
    const from = this.sent.get(peer);
    // Left since the sweep began, or already has everything.
    if (from === undefined || from >= this.last) return;
    this.sent.set(peer, this.last);
    // Never before the first kept entry: those reached every peer there was (defensive).
    const start = Math.max(0, from + 1 - this.first);
    if (!this.origins.has(peer)) {
      let frames = this.shared.get(start);
      if (!frames) {
        frames = start === this.entries.length - 1 ? this.entries[start]!.frame : Buffer.concat(this.entries.slice(start).map((e) => e.frame));
        this.shared.set(start, frames);
      }
      peer.sendFrame(frames);
      return;
    }
    // A sender does not get its own updates back: the others' frames, in the same order.
    const others = this.entries.slice(start).filter((e) => e.origin !== peer);
    if (others.length) peer.sendFrame(others.length === 1 ? others[0]!.frame : Buffer.concat(others.map((e) => e.frame)));
  }
}
