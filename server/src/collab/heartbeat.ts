/**
 * Pings every connection once per interval and terminates one that has not answered its ping.
 *
 * The pings are spread over the interval, a slice of the connections per tick, instead of all in one
 * turn: each ping is a write to its socket, so at 10,000 sockets one turn of them held every room's
 * relays for as long as those writes took: 231 ms median at 10,000 sockets on the bench machine
 * (bench/src/heartbeatCost.mjs, docs/performance.md).
 *
 * A round walks the live set with its own iterator, not a copy: a connection that leaves is never
 * visited, and nothing here keeps it from being collected (HeapRelief's full collection after a mass
 * departure comes well within an interval). A connection is checked a round after its ping, at about
 * the same place in the round; when a mass departure moved it far forward, it may come round sooner,
 * so a missing pong counts only once the ping is half an interval old (a slow network's pong is not
 * taken for a dead peer).
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
  /** Ticks per round (interval). */
  readonly slices: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Iterator<T> | undefined;
  /** Connections in the set when the round began, and how many of them the round has visited. */
  private roundSize = 0;
  private visited = 0;
  private tick = 0;
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
    this.tick = 0;
  }

  /** One tick: the next slice of this round (the last tick takes whatever the round has left). */
  beat(): void {
    if (this.tick === 0) {
      this.round = this.connections.values();
      this.roundSize = this.connections.size;
      this.visited = 0;
    }
    this.tick = (this.tick + 1) % this.slices;
    const last = this.tick === 0;
    const ticksLeft = last ? 1 : this.slices - this.tick + 1;
    let take = last ? Infinity : Math.ceil(Math.max(0, this.roundSize - this.visited) / ticksLeft);
    for (; take > 0; take--) {
      const next = this.round!.next();
      if (next.done) break;
      this.visited++;
      this.check(next.value);
    }
    if (last) this.round = undefined;
  }

  private check(conn: T): void {
    if (conn.closed) return;
    const now = performance.now();
    if (!conn.alive) {
      // Pinged too recently to call it dead (see the top): it is looked at again next round.
      if (now - (this.pingedAt.get(conn) ?? -Infinity) < this.intervalMs / 2) return;
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
