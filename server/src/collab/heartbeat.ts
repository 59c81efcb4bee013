/**
 * Pings every connection once per interval and terminates one that has not answered the ping before.
 *
 * The pings are spread over the interval, a slice of the connections per tick, instead of all in one
 * turn: each ping is a write to its socket, so at 10,000 sockets one turn of them held every room's
 * relays for as long as those writes took: 252 ms at 10,000 sockets on the bench machine
 * (bench/src/heartbeatCost.mjs, docs/performance.md). A
 * connection is seen once per round, at about the same place in each round (a Set keeps insertion
 * order), so the time between its ping and the check of its pong stays about one interval.
 */

/** What the heartbeat needs of a connection. */
export interface Beating {
  /** Cleared before each ping, set again by the pong. */
  alive: boolean;
  /** Closed meanwhile: neither pinged nor terminated (its close is under way). */
  readonly closed: boolean;
  readonly ws: { ping(): void; terminate(): void };
}

/** About how often a slice is pinged: at the default 30 s interval, 300 slices (34 pings at 10,000 sockets). */
export const HEARTBEAT_TICK_MS = 100;

export class Heartbeat<T extends Beating> {
  private timer: NodeJS.Timeout | undefined;
  private round: T[] = [];
  private next = 0;
  private tick = 0;
  /** Ticks per round (interval). */
  readonly slices: number;

  constructor(
    private readonly connections: () => Iterable<T>,
    private readonly intervalMs: number,
    /** Called before a connection that did not answer is terminated (to log it). */
    private readonly onDead: (conn: T) => void = () => undefined,
  ) {
    this.slices = Math.max(1, Math.round(intervalMs / HEARTBEAT_TICK_MS));
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.beat(), Math.max(1, this.intervalMs / this.slices));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.round = [];
    this.next = 0;
    this.tick = 0;
  }

  /** One tick: the next slice of this round's connections (a round starts with the connections then open). */
  beat(): void {
    if (this.tick === 0) {
      this.round = [...this.connections()];
      this.next = 0;
    }
    this.tick = (this.tick + 1) % this.slices;
    // What is left shared over the ticks left, so the round ends with its last tick.
    const ticksLeft = this.tick === 0 ? 1 : this.slices - this.tick + 1;
    const end = Math.min(this.round.length, this.next + Math.ceil((this.round.length - this.next) / ticksLeft));
    for (; this.next < end; this.next++) this.check(this.round[this.next]!);
    if (this.tick === 0) this.round = [];
  }

  private check(conn: T): void {
    if (conn.closed) return;
    if (!conn.alive) {
      this.onDead(conn);
      conn.ws.terminate();
      return;
    }
    conn.alive = false;
    try {
      conn.ws.ping();
    } catch {
      conn.ws.terminate();
    }
  }
}
