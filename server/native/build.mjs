#!/usr/bin/env node
/**
 * Compiles the server's two C helpers into dist/native (part of `npm run build`): directWrite.c into
 * direct_write.node and mapShared.c into map_shared.node. Node-API only, so each file works with every
 * Node version from 20 on; they need a C compiler and Node's headers, which a machine that builds
 * better-sqlite3 from source has (Node's own include/node folder). If one cannot be built (no compiler,
 * no headers, not a POSIX system), the build says so and goes on: the server then does without it, as
 * before, only slower (collab/directWrite.ts writes through Node's sockets; without the mapping the
 * update log commits before relaying, collab/UpdateLog.ts).
 *
 * Written by hand, not with node-gyp: node-gyp fetches headers from the network unless told where
 * they are, and one file with one compiler call needs none of its machinery.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileC } from './compileC.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'dist', 'native');
const HELPERS = [
  { source: 'directWrite.c', out: 'direct_write.node', without: "direct socket writes not built: {why}. The server will write through Node's sockets." },
  { source: 'mapShared.c', out: 'map_shared.node', without: 'the update journal not built: {why}. The server will commit each update before relaying it.' },
];

/** Node's headers: beside the running binary (official builds, Docker images) or under its install prefix. */
function nodeIncludeDir() {
  const prefix = process.config.variables.node_prefix;
  const candidates = [join(dirname(process.execPath), '..', 'include', 'node'), ...(typeof prefix === 'string' ? [join(prefix, 'include', 'node')] : [])];
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function build(source, out) {
  if (process.platform === 'win32') return 'not built on Windows';
  const include = nodeIncludeDir();
  if (!include) return "Node's headers (node_api.h) were not found beside node or under its prefix";
  mkdirSync(outDir, { recursive: true });
  const flags = ['-O2', '-Wall', '-std=gnu11', '-shared', '-fPIC', `-I${include}`, ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [])];
  return compileC({ source, out, flags });
}

for (const helper of HELPERS) {
  const out = join(outDir, helper.out);
  const why = build(join(here, helper.source), out);
  if (why) console.warn(`native/build.mjs: ${helper.without.replace('{why}', why)}`);
  else console.log(`native/build.mjs: built ${out}`);
}
