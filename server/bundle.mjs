#!/usr/bin/env node
/**
 * The bundled server build (issue 21, start-up): `node bundle.mjs` writes dist/bundle/, which `npm start`
 * and the Docker image run. Node 20 loads some 500 ES modules to start the unbundled server (dist/main.js)
 * and pays per file (resolve, read, compile, link); loading those took about 60% of start-up
 * (docs/performance.md, "Start-up, 2026-11-29 (evening)"). One file per entry, with code splitting so the
 * lazy imports (TAXII router, PostgreSQL driver, zip) stay lazy as chunks of their own.
 *
 * Where the paths come from:
 * - The output folder sits at the same depth as dist's domain folders (dist/http, dist/attack), so the
 *   import.meta.url-relative paths written for them hold unchanged: ../../../client/dist (http/app.ts)
 *   and ../../data/attack (attack/catalog.ts).
 * - The two worker files are entries of this bundle, beside the chunks, so walCheckpointer.ts's
 *   ./walCheckpointWorker.js and pool.ts's ./tasks.js find them wherever esbuild put the code that
 *   names them. Bundled, a pool thread loads a handful of files instead of the unbundled tasks.js's
 *   several hundred.
 * Chunks therefore never go into sub-folders (chunkNames below).
 *
 * External (loaded from node_modules at run time, as before):
 * - native addons: better-sqlite3 and argon2 find their .node files from their own folder;
 * - piscina: it starts its own worker file by its path (and is imported lazily anyway);
 * - optional native helpers that ws and pg try to require and do without (bufferutil, utf-8-validate,
 *   pg-native).
 * ioredis and the socket.io Redis adapter stay out without being named: collab/redisModules.ts requires
 * them through its own createRequire, which esbuild leaves alone, so a single node never loads them.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist', 'bundle');
const directDependencies = new Set(Object.keys(JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies));

/** The package a file in node_modules belongs to, and the file's path inside it (pnpm's layout or npm's). */
function packageOf(file) {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  const scoped = parts[at + 1]?.startsWith('@');
  const name = parts.slice(at + 1, at + (scoped ? 3 : 2)).join('/');
  return { name, inside: parts.slice(at + (scoped ? 3 : 2)).join('/') };
}

/**
 * CommonJS files read __dirname and __filename, which ES modules do not have: bundled as they are, the
 * first use throws a ReferenceError. socket.io serves its browser client (GET /socket.io/socket.io.js,
 * no log-in needed) from ../client-dist beside its own file, so that request killed the process. Each such
 * file gets the two names back, pointing where the file really is, found at run time the way Node would
 * find it: from the bundle's folder through the server's own dependency, then package by package down
 * the chain that imported the file (pino -> thread-stream). That works wherever node_modules was
 * installed, the Docker image's too. If a package cannot be found at run time, the names point to a relative
 * path that does not exist, so a use fails as a missing file would, not at start.
 */
function commonJsPaths() {
  const importerOf = new Map();
  return {
    name: 'commonjs-paths',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.pluginData?.resolving) return undefined;
        return b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } }).then((r) => {
          if (r.errors.length) return undefined; // esbuild's own handling (a require inside try/catch stays)
          if (r.path && !importerOf.has(r.path)) importerOf.set(r.path, args.importer);
          return r;
        });
      });
      b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
        // The packages from a direct dependency of the server down to this file's.
        const chain = [];
        for (let file = args.path; file?.includes(`${sep}node_modules${sep}`); file = importerOf.get(file)) {
          const { name } = packageOf(file);
          if (chain[0] !== name) chain.unshift(name);
          if (directDependencies.has(name)) break;
        }
        const { name, inside } = packageOf(args.path);
        const json = (p) => JSON.stringify(`${p}/package.json`);
        let pkg = `require.resolve(${json(chain[0])})`;
        for (const next of chain.slice(1)) pkg = `require('node:module').createRequire(${pkg}).resolve(${json(next)})`;
        const prelude =
          `var __filename = (() => { const path = require('node:path'); ` +
          `try { return path.join(path.dirname(${pkg}), ${JSON.stringify(inside)}); } ` +
          `catch { return ${JSON.stringify(`unresolved/${name}/${inside}`)}; } })(), ` +
          `__dirname = require('node:path').dirname(__filename);\n`;
        return { contents: prelude + source, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

// CommonJS packages bundled into ES modules call require() for Node's built-ins; ESM has no require.
const requireShim = "import { createRequire as __huntroomCreateRequire } from 'node:module';\nconst require = __huntroomCreateRequire(import.meta.url);";

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: {
    main: 'src/main.ts',
    cli: 'src/cli.ts',
    walCheckpointWorker: 'src/storage/walCheckpointWorker.ts',
    tasks: 'src/workers/tasks.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  external: ['better-sqlite3', 'argon2', 'piscina', 'bufferutil', 'utf-8-validate', 'pg-native'],
  banner: { js: requireShim },
  plugins: [commonJsPaths()],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(`server bundle: ${outputs.length} files, ${(bytes / 1e6).toFixed(2)} MB in dist/bundle`);
