/**
 * An import's reading step in a worker thread of the pool (workers/pool.ts): a 10 MB paste takes a
 * second or more of regular expressions, which on the main thread would freeze every socket of the
 * node. The body arrives transferred; the task says on `port` when it starts (the route's time budget
 * runs from then, not from the queue) and how far it got, and returns the candidates or a refusal.
 */
import type { MessagePort } from 'node:worker_threads';
import { readImport, type ImportRead, type ImportRefusal } from './read.js';
import type { BudgetedTaskMessage } from '../../workers/budget.js';

export interface ImportTaskInput {
  bytes: Uint8Array;
  contentType: string;
  port: MessagePort;
}

/** Messages on the port: `started` once, then progress through the content. */
export type ImportTaskMessage = BudgetedTaskMessage;

export async function importParseTask({ bytes, contentType, port }: ImportTaskInput): Promise<ImportRead | ImportRefusal> {
  port.postMessage({ started: true } satisfies ImportTaskMessage);
  try {
    return await readImport(bytes, contentType, (done, total) => port.postMessage({ done, total } satisfies ImportTaskMessage));
  } finally {
    port.close();
  }
}
