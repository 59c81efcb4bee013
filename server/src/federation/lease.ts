/**
 * One node per link (docs/federation.md section 4, "Cluster mode"). Every node writes messages for a
 * link into the shared outbox; only the node holding the link's lease keeps its socket: it dials (when
 * this instance is the dialer) or accepts, sends the outbox and applies what arrives. Applying goes through
 * the record plane and the document server, whose Redis fan-out reaches the other nodes' clients.
 *
 * A lease is a row with an expiry, renewed by its holder every poll; a node that dies stops renewing and
 * another takes the link over after `ttlMs`. Expiries are the nodes' own clocks: nodes of one cluster
 * share a time source, and a skew of seconds only delays a take-over (peers' clocks never matter here).
 * With one node (SQLite) the lease is always this node's.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/db.js';

export class LinkLeases {
  readonly node = randomUUID();

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease of `link`; true when this node holds it now. */
  async hold(link: string): Promise<boolean> {
    const now = new Date();
    const until = new Date(now.getTime() + this.ttlMs).toISOString();
    await this.db.run(
      `INSERT INTO federation_leases (link, node, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (link) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at
       WHERE federation_leases.node = excluded.node OR federation_leases.expires_at < ?`,
      [link, this.node, until, now.toISOString()],
    );
    const row = await this.db.get<{ node: string }>('SELECT node FROM federation_leases WHERE link = ?', [link]);
    return row?.node === this.node;
  }

  /** Gives up the leases this node holds (a clean stop: another node can take over at once). */
  async releaseAll(): Promise<void> {
    await this.db.run('DELETE FROM federation_leases WHERE node = ?', [this.node]);
  }

  async release(link: string): Promise<void> {
    await this.db.run('DELETE FROM federation_leases WHERE link = ? AND node = ?', [link, this.node]);
  }
}
