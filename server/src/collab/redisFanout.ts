/**
 * Cross-node fan-out of Yjs updates and awareness through Redis pub/sub, one channel per document
 * (`<prefix>:doc:<docId>`), shaped like Hocuspocus's extension-redis. Every node persists an update
 * before it publishes it, so the database stays the source of truth: a node that receives an update
 * from Redis applies it with origin REMOTE (relayed to its own clients, not stored again, not
 * re-published), and a node that was cut off from Redis catches up from the database when Redis is
 * back. Redis trouble never stops a node from serving its own clients.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadIoRedis } from './redisModules.js';
import type { Logger } from '../log.js';

/** Origin of changes that came from another node through Redis. */
export const REMOTE = Symbol('redis-fanout');

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const NODE_ID_BYTES = 8;

export interface DocChannelHandler {
  update(update: Uint8Array): void;
  awareness(update: Uint8Array): void;
}

export class RedisFanout {
  /** Lets a node ignore its own messages, which Redis echoes back to it. */
  private readonly nodeId = randomBytes(NODE_ID_BYTES);
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, DocChannelHandler>();
  private wasDown = false;
  up = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: Logger,
    /** Called when Redis is back after an outage: reload what the other nodes stored meanwhile. */
    private readonly onReconnect: () => void,
  ) {
    // Publishes fail fast while Redis is down instead of piling up: the database has every update,
    // and the reconnect catch-up brings the other nodes up to date.
    const { Redis } = loadIoRedis();
    this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 200, 2_000) });
    this.sub = new Redis(url, { retryStrategy: (n) => Math.min(n * 200, 2_000) });
    for (const [name, client] of [
      ['pub', this.pub],
      ['sub', this.sub],
    ] as const) {
      client.on('error', (err: Error) => this.log.debug({ err, client: name }, 'redis error'));
    }
    // Up when both connections are: a catch-up published before the publisher is back would be lost.
    const ready = () => {
      if (this.pub.status !== 'ready' || this.sub.status !== 'ready' || this.up) return;
      this.up = true;
      if (this.wasDown) {
        this.wasDown = false;
        this.log.info('redis is back: catching up documents from the database');
        this.onReconnect();
      }
    };
    const lost = () => {
      if (this.up) this.log.warn('redis connection lost: serving local clients only until it is back');
      this.up = false;
      this.wasDown = true;
    };
    for (const client of [this.pub, this.sub]) {
      client.on('ready', ready);
      client.on('close', lost);
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message));
  }

  private channel(docId: string): string {
    return `${this.prefix}:doc:${docId}`;
  }

  private onMessage(channel: string, message: Buffer): void {
    if (message.length < 1 + NODE_ID_BYTES || message.subarray(1, 1 + NODE_ID_BYTES).equals(this.nodeId)) return;
    const handler = this.handlers.get(channel.slice(this.prefix.length + 5));
    if (!handler) return;
    // A copy with its own buffer: lib0 decoders must not read past this message (see Connection.ts).
    const data = new Uint8Array(message.subarray(1 + NODE_ID_BYTES));
    try {
      if (message[0] === KIND_UPDATE) handler.update(data);
      else if (message[0] === KIND_AWARENESS) handler.awareness(data);
    } catch (err) {
      this.log.warn({ err, channel }, 'bad document message from redis ignored');
    }
  }

  /** Starts receiving a document's changes; call before loading it from the database. */
  async subscribe(docId: string, handler: DocChannelHandler): Promise<void> {
    this.handlers.set(docId, handler);
    try {
      await this.sub.subscribe(this.channel(docId));
    } catch (err) {
      // Down: ioredis re-subscribes on reconnect, and the catch-up covers the gap.
      this.log.debug({ err, docId }, 'subscribe deferred until redis is back');
    }
  }

  unsubscribe(docId: string): void {
    this.handlers.delete(docId);
    this.sub.unsubscribe(this.channel(docId)).catch(() => undefined);
  }

  private publish(kind: number, docId: string, data: Uint8Array): void {
    if (!this.up) return;
    const message = Buffer.concat([Buffer.from([kind]), this.nodeId, data]);
    this.pub.publish(this.channel(docId), message).catch((err: unknown) => this.log.debug({ err, docId }, 'publish failed'));
  }

  publishUpdate(docId: string, update: Uint8Array): void {
    this.publish(KIND_UPDATE, docId, update);
  }

  publishAwareness(docId: string, update: Uint8Array): void {
    this.publish(KIND_AWARENESS, docId, update);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([closeRedis(this.pub), closeRedis(this.sub)]);
  }
}

/**
 * Ends a Redis connection without waiting on a Redis that is down: QUIT would sit in the reconnect
 * queue forever and hold the node's shutdown.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') return void client.disconnect();
  await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
  client.disconnect();
}
