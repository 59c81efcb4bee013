/**
 * Loads one of the server's C helpers (server/native, compiled by `npm run build` into dist/native):
 * direct_write.node (directWrite.ts) and map_shared.node (updateJournal.ts). Each is optional: a
 * machine without a C compiler has neither, and the server then does without (slower, not less safe).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, unknown>();

/** The helper's exports, or undefined when it was not built here; looked up once per process. */
export function loadNativeHelper<T>(file: string): T | undefined {
  if (cache.has(file)) return cache.get(file) as T | undefined;
  const require = createRequire(import.meta.url);
  let found: T | undefined;
  // dist/collab/*.js and dist/bundle/*.js find dist/native one folder up; sources (tests) find the build's.
  for (const path of [`../native/${file}`, `../../dist/native/${file}`]) {
    try {
      found = require(fileURLToPath(new URL(path, import.meta.url))) as T;
      break;
    } catch {
      // not there: the next place, then without it
    }
  }
  cache.set(file, found);
  return found;
}
