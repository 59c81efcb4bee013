/**
 * Pings every connection about once per interval and terminates one that has not answered its ping.
 *
 * The pings are spread over the interval, a slice of the connections per tick, instead of all in one
 * turn: each ping is a write to its socket, so at 10,000 sockets one turn of them held every room's
 * relays for as long as those writes took: 286 ms median at 10,000 sockets on the bench machine
 * (bench/src/heartbeatCost.mjs, docs/performance.md).
 *
 * A round walks the live set with its own iterator, not a copy: a connection that leaves is never
 * visited and nothing here keeps it from being collected (HeapRelief's full collection after a mass
 * departure comes well within an interval), and one that joins is visited in the round under way.
 * Each tick visits the set's current size over the ticks of an interval (a share that carries over
 * between ticks), so a round lasts about an interval however the set grows or shrinks, and a burst of
 * joins (a restart's reconnects) is pinged over the interval too, not at a round's end. When
 * departures moved a connection far forward in the set it may come round early, so a connection
 * pinged less than half an interval ago is neither pinged again nor, without its pong yet, taken for
 * dead (a slow network's pong is not a dead peer).
 */

/** What the heartbeat needs of a connection. */
export interface Beating {
  /** Cleared before each ping, set again by the pong. */
  alive: boolean;
  /** Closed meanwhile: neither pinged nor terminated (its close is under way). */
  readonly closed: boolean;
  readonly ws: { ping(): void; terminate(): void };
}

/** About how often a slice is pinged: at the default 30 s interval, 300 ticks (34 pings a tick at 10,000 sockets). */
export const HEARTBEAT_TICK_MS = 100;

export class Heartbeat<T extends Beating> {
  /** Ticks per interval. */
  readonly slices: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Iterator<T> | undefined;
  /** Visits owed: each tick adds the set's size over `slices` and visits the whole part of it. */
  private share = 0;
  private readonly pingedAt = new WeakMap<T, number>();

  constructor(
    private readonly connections: ReadonlySet<T>,
    private readonly intervalMs: number,
    /** Called before a connection that did not answer is terminated (to log it). */
    private readonly onDead: (conn: T) => void = () => undefined,
  ) {
    this.slices = Math.max(1, Math.round(intervalMs / HEARTBEAT_TICK_MS));
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.beat(), this.intervalMs / this.slices);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.round = undefined;
    this.share = 0;
  }

  /** One tick: the next slice of the round; a new round begins where the last one ended. */
  beat(): void {
    // The epsilon: 300 additions of 10,000 / 300 must make 10,000, not 9,999.999.
    this.share += this.connections.size / this.slices + 1e-9;
    let take = Math.floor(this.share);
    this.share -= take;
    while (take > 0) {
      const fresh = !this.round;
      this.round ??= this.connections.values();
      const next = this.round.next();
      if (next.done) {
        this.round = undefined;
        if (fresh) break; // the set is empty
        continue;
      }
      take--;
      this.check(next.value);
    }
    if (!this.connections.size) this.share = 0;
  }

  private check(conn: T): void {
    if (conn.closed) return;
    const now = performance.now();
    // Come round early (see the top): looked at again next round.
    if (now - (this.pingedAt.get(conn) ?? -Infinity) < this.intervalMs / 2) return;
    if (!conn.alive) {
      this.onDead(conn);
      conn.ws.terminate();
      return;
    }
    conn.alive = false;
    this.pingedAt.set(conn, now);
    try {
      conn.ws.ping();
    } catch {
      conn.ws.terminate();
    }
  }
}
