/**
 * Typed options of the document server, merged over exported defaults (Hocuspocus's
 * `defaultConfiguration`). Tests shorten the timers; operators rarely need to touch any of it.
 */
import { LIMITS } from '@huntroom/shared';
import { DEFAULT_HEAP_RELIEF, type HeapReliefOptions } from './heapRelief.js';

export interface CollabOptions {
  /** Largest websocket frame accepted (ws maxPayload); bigger frames close the socket with 1009. */
  maxFrameBytes: number;
  /** A document whose stored size would pass this refuses further updates (4413). */
  maxDocumentBytes: number;
  /** Token bucket for sync messages per connection: sustained rate and burst. Over it: 4529. */
  updatesPerSecond: number;
  updateBurst: number;
  /**
   * Server CPU spent applying one connection's updates, per window. A client whose updates are
   * expensive to integrate (crafted or garbage) is cut off before it can stall the other rooms.
   */
  cpuBudgetMs: number;
  cpuWindowMs: number;
  /**
   * The same, for all of one account's connections on this node together (accountBudget.ts): more
   * sockets do not buy more server time. A connection over either budget is closed (4529).
   */
  accountCpuBudgetMs: number;
  /** Large updates of one account on trial at once (trial.ts); one more closes its socket (4529). */
  maxTrialsPerAccount: number;
  /** Updates larger than this are first integrated into a copy in a worker thread (trial.ts). */
  trialAboveBytes: number;
  /** A trial integration slower than this refuses the update (4529) before the live document sees it. */
  trialBudgetMs: number;
  /**
   * Awareness messages: larger ones are dropped; a connection's own states over the rate are dropped
   * (presence is lossy by design, clients resend every 15 s).
   */
  maxAwarenessBytes: number;
  awarenessPerSecond: number;
  awarenessBurst: number;
  /**
   * Sustained awareness abuse closes the socket (4529), as an update flood does: awareness, query
   * and auth messages per second, and awareness bytes per second, each with a burst. Set far above
   * an honest client, which echoes every state it receives back (y-websocket does), so a busy room's
   * traffic passes; a flood of large or many messages does not.
   */
  awarenessCutoffPerSecond: number;
  awarenessCutoffBurst: number;
  awarenessBytesPerSecond: number;
  awarenessBytesBurst: number;
  /** Open sockets per account on this node; the next upgrade gets HTTP 429. */
  maxConnectionsPerAccount: number;
  /** Distinct documents per account on this node (y-websocket opens one socket per document). */
  maxDocumentsPerAccount: number;
  /** Messages queued while a document loads; more closes the socket (4529). */
  maxQueuedMessages: number;
  /** Missing-dependency structs a document may hold before the sender is cut off (garbage guard). */
  maxPendingBytes: number;
  /** Ping every interval; a peer that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** Unload a document from memory this long after its last client left. */
  unloadDelayMs: number;
  /** A full collection after a mass departure gives the memory back (heapRelief.ts); 0 departures: never. */
  heapRelief: HeapReliefOptions;
  /** Fold the update log into a snapshot after this many appended updates (in the background). */
  compactAfterUpdates: number;
  /** Lifetime of a ticket from POST /api/docs/:docId/ticket. */
  ticketTtlMs: number;
  /**
   * A ticket opens one connection (a replay is refused on every node). Only the benchmark turns this
   * off, because its clients open every socket of a room with one URL.
   */
  singleUseTickets: boolean;
  /**
   * How long an upgrade may reuse the grant authorizeDoc gave the same account for the same document
   * (grantCache.ts: dropped at once by any write that could change it; SQLite only). 0: never.
   */
  grantCacheMs: number;
  /** Named versions a note may keep; one more is refused with 409 (each holds a copy of the note). */
  maxVersionsPerNote: number;
  /** Named versions one account may save per minute, over all notes; over it: 429. */
  versionsPerAccountPerMinute: number;
}

export const DEFAULT_COLLAB_OPTIONS: Readonly<CollabOptions> = {
  maxFrameBytes: LIMITS.collabMaxFrameBytes,
  maxDocumentBytes: LIMITS.collabMaxDocumentBytes,
  // People type at well under 20 updates/s; the burst absorbs a reconnect's queued edits.
  updatesPerSecond: 60,
  updateBurst: 300,
  cpuBudgetMs: 1_000,
  cpuWindowMs: 10_000,
  // Two connections' worth: a person with a few documents open never comes near it.
  accountCpuBudgetMs: 2_000,
  maxTrialsPerAccount: 2,
  trialAboveBytes: 32 * 1024,
  trialBudgetMs: 250,
  maxAwarenessBytes: 16 * 1024,
  awarenessPerSecond: 20,
  awarenessBurst: 60,
  awarenessCutoffPerSecond: 500,
  awarenessCutoffBurst: 2_000,
  awarenessBytesPerSecond: 1024 * 1024,
  awarenessBytesBurst: 4 * 1024 * 1024,
  maxConnectionsPerAccount: 64,
  maxDocumentsPerAccount: 32,
  maxQueuedMessages: 500,
  maxPendingBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  unloadDelayMs: 10_000,
  heapRelief: DEFAULT_HEAP_RELIEF,
  compactAfterUpdates: 500,
  ticketTtlMs: 60_000,
  singleUseTickets: true,
  grantCacheMs: 5_000,
  maxVersionsPerNote: 100,
  versionsPerAccountPerMinute: 10,
};

export const collabOptions = (over: Partial<CollabOptions> = {}): CollabOptions => ({ ...DEFAULT_COLLAB_OPTIONS, ...over });
