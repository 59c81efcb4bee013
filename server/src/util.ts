/** Small helpers used by several domains. */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();

/** A random secret for cookies, invites and tokens: 32 bytes, URL-safe. */
export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');

/** Secrets are stored only as their SHA-256, so a leaked database holds no usable token. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const addHours = (hours: number, from = Date.now()): string => new Date(from + hours * 3_600_000).toISOString();

/** Lets the event loop serve other sockets between slices of long work. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Node flags for a worker thread: ours, except --input-type (a server started with `node -e`), which
 * refuses the file a worker runs.
 */
export const workerExecArgv = (): string[] => process.execArgv.filter((a) => !a.startsWith('--input-type'));
