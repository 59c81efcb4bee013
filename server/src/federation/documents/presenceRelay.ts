/**
 * Presence across a link in cluster mode (docs/federation.md section 4, "Cluster mode"). One node holds
 * each link (lease.ts), but a document's editors may be connected to any node. Updates reach the peer
 * through the shared outbox; presence is a signal, sent only by the node whose socket it is. So a node
 * that does not hold the link publishes its own clients' presence on one Redis channel of the cluster
 * (`<prefix>:fed-presence`), and the node holding the link signals it to the peer. The other way, the
 * holder republishes the peer's presence through the document fan-out (collab/redisFanout.ts), which
 * reaches the nodes that have the document open (incoming.ts).
 *
 * Presence is lossy by design (clients resend it every 15 s): nothing here is queued or retried.
 *
 * The same channel carries one more cluster-wide notice: a replica repaired after its home refused an
 * update (refused.ts). Only the node holding the link repairs, but every node that has the document
 * open must close its editors and drop its copy (their clients hold the refused text), so the repairing
 * node publishes `{node, repaired: docId}` and every other node does that for its own editors.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { Db } from '../../storage/db.js';
import type { Logger } from '../../log.js';
import { loadIoRedis } from '../../collab/redisModules.js';
import type { FederationBus } from '../channel.js';

const relayed = z.object({ node: z.string().max(40), link: z.string().max(200), docId: z.string().max(64), update: z.string().max(300_000) });
const repaired = z.object({ node: z.string().max(40), repaired: z.string().max(64) });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** How often the node looks whether any link exists at all (no link: no presence is encoded for one). */
const LINKS_POLL_MS = 2_000;

export class PresenceRelay {
  private readonly node = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly poll: NodeJS.Timeout;
  /** Some federation link exists on this instance (read every LINKS_POLL_MS). */
  linksExist = false;
  /** What this node does when another node repaired a replica (refused.ts: closes its editors here). */
  onRepaired: ((docId: string) => void) | undefined;

  constructor(
    url: string,
    prefix: string,
    private readonly deps: { db: Db; bus: FederationBus; log: Logger },
  ) {
    const { Redis } = loadIoRedis();
    this.channel = `${prefix}:fed-presence`;
    this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 200, 2_000) });
    this.sub = new Redis(url, { retryStrategy: (n) => Math.min(n * 200, 2_000) });
    for (const client of [this.pub, this.sub]) client.on('error', (err: Error) => deps.log.debug({ err }, 'federation presence relay: redis error'));
    this.sub.subscribe(this.channel).catch((err: unknown) => deps.log.debug({ err }, 'federation presence relay: subscribe deferred until redis is back'));
    this.sub.on('message', (_channel: string, message: string) => this.received(message));
    const look = () =>
      void deps.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM federation_links').then(
        (r) => (this.linksExist = Number(r?.n ?? 0) > 0),
        () => undefined,
      );
    look();
    this.poll = setInterval(look, LINKS_POLL_MS);
    this.poll.unref();
  }

  /** Presence of this node's clients for `link`, which this node does not hold: to the node that does. */
  send(link: string, docId: string, update: string): void {
    this.pub.publish(this.channel, JSON.stringify({ node: this.node, link, docId, update })).catch(() => undefined);
  }

  /** Tells the other nodes that this node replaced `docId`'s replica with its home's state. */
  publishRepaired(docId: string): void {
    this.pub
      .publish(this.channel, JSON.stringify({ node: this.node, repaired: docId }))
      .catch((err: unknown) => this.deps.log.warn({ err, docId }, 'federation: could not tell the other nodes of a repaired replica'));
  }

  private received(message: string): void {
    const parsed = parseJson(message);
    const r = repaired.safeParse(parsed);
    if (r.success) {
      if (r.data.node !== this.node) this.onRepaired?.(r.data.repaired);
      return;
    }
    const m = relayed.safeParse(parsed);
    // Every node gets it; only the one holding the link can send it (signal is a no-op elsewhere).
    if (m.success && m.data.node !== this.node) this.deps.bus.signal(m.data.link, 'doc.awareness', { docId: m.data.docId, update: m.data.update });
  }

  close(): void {
    clearInterval(this.poll);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
