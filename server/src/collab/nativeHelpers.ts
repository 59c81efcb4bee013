/**
 * Loads one of the server's C helpers (server/native, compiled by `npm run build` into dist/native):
 * direct_write.node (directWrite.ts) and map_shared.node (updateJournal.ts). Each is optional: a
 * machine without a C compiler has neither, and the server then does without (slower, not less safe).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Found {
  path: string;
  exports: unknown;
}

const cache = new Map<string, Found | undefined>();

/** Where the helper was found and what it exports; looked up once per process. */
function find(file: string): Found | undefined {
  if (cache.has(file)) return cache.get(file);
  const require = createRequire(import.meta.url);
  let found: Found | undefined;
  // dist/collab/*.js and dist/bundle/*.js find dist/native one folder up; sources (tests) find the build's.
  for (const place of [`../native/${file}`, `../../dist/native/${file}`]) {
    const path = fileURLToPath(new URL(place, import.meta.url));
    try {
      found = { path, exports: require(path) };
      break;
    } catch {
      // not there: the next place, then without it
    }
  }
  cache.set(file, found);
  return found;
}

/** The helper's exports, or undefined when it was not built here. */
export function loadNativeHelper<T>(file: string): T | undefined {
  return find(file)?.exports as T | undefined;
}

/** The helper's file, for a child process that loads it itself (tests); undefined when not built here. */
export function nativeHelperPath(file: string): string | undefined {
  return find(file)?.path;
}
