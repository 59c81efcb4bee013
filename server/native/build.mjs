#!/usr/bin/env node
/**
 * Compiles directWrite.c into dist/native/direct_write.node (part of `npm run build`). Node-API only, so
 * the one file works with every Node version from 20 on; it needs a C compiler and Node's headers,
 * which a machine that builds better-sqlite3 from source has (Node's own include/node folder). If it
 * cannot be built (no compiler, no headers, not a POSIX system), the build says so and goes on: the
 * server then writes through Node's sockets as before (collab/directWrite.ts), only slower.
 *
 * Written by hand, not with node-gyp: node-gyp fetches headers from the network unless told where
 * they are, and one file with one compiler call needs none of its machinery.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileC } from './compileC.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'directWrite.c');
const outDir = join(here, '..', 'dist', 'native');
const out = join(outDir, 'direct_write.node');

/** Node's headers: beside the running binary (official builds, Docker images) or under its install prefix. */
function nodeIncludeDir() {
  const prefix = process.config.variables.node_prefix;
  const candidates = [join(dirname(process.execPath), '..', 'include', 'node'), ...(typeof prefix === 'string' ? [join(prefix, 'include', 'node')] : [])];
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function build() {
  if (process.platform === 'win32') return 'not built on Windows (the server writes through Node there)';
  const include = nodeIncludeDir();
  if (!include) return "Node's headers (node_api.h) were not found beside node or under its prefix";
  mkdirSync(outDir, { recursive: true });
  const flags = ['-O2', '-Wall', '-std=gnu11', '-shared', '-fPIC', `-I${include}`, ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [])];
  return compileC({ source, out, flags });
}

const why = build();
if (why) console.warn(`native/build.mjs: direct socket writes not built: ${why}. The server will write through Node's sockets.`);
else console.log(`native/build.mjs: built ${out}`);
