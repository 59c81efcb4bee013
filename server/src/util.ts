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
 * Walks a table a page at a time with a turn of the event loop between pages (SQLite answers at once:
 * a walk read in one go holds every socket of the node). `read(cursor)` answers the page after `cursor`
 * (undefined: the first), `cursorOf` where the next one starts; a page shorter than `size` is the last.
 * Stops before the next page once `stopped()`.
 */
export async function eachPage<R, C>(
  read: (cursor: C | undefined) => Promise<R[]>,
  size: number,
  cursorOf: (last: R) => C,
  each: (page: R[]) => void | Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  for (let cursor: C | undefined; !stopped();) {
    const page = await read(cursor);
    await each(page);
    if (page.length < size) return;
    cursor = cursorOf(page.at(-1)!);
    await yieldToLoop();
  }
}

/**
 * Node flags for a worker thread. Undefined (the worker inherits the main thread's options, which Node
 * copies without parsing them again) unless the server was started with --input-type (`node -e`),
 * which refuses the file a worker runs: then our flags without it. An explicit list must not hold V8
 * flags (`--max-semi-space-size`, `--trace-gc`): Node refuses a worker given one
 * (ERR_WORKER_INVALID_EXEC_ARGV), and every pool task and the WAL checkpointer then fell back to the
 * main thread. V8 flags are process-wide, so a worker has them anyway.
 */
export const workerExecArgv = (): string[] | undefined => {
  if (!process.execArgv.some((a) => a.startsWith('--input-type'))) return undefined;
  return process.execArgv.filter((a) => !a.startsWith('--input-type'));
};
