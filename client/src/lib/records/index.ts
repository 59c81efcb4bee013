/** The record plane on the client: outbox, seq tracking and their socket wiring. */
export { Outbox, MemoryOutboxStore, type OutboxStore, type QueuedCommand, type Transport } from './outbox.js';
export { IdbOutboxStore, hasIndexedDb } from './idbStore.js';
export { SeqTracker, type Projection } from './sync.js';
export { RecordClient, RECORD_EVENTS, type RecordClientOptions } from './recordClient.js';
