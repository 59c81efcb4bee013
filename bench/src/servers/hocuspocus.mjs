/**
 * Hocuspocus 4.x, default configuration (servers/hocuspocus-main.mjs). Every socket is addressed
 * by document name inside each message (see protocol.mjs); the URL path does not matter. Without a
 * persistence extension a document is dropped when its last connection leaves.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { freePort, spawnPinned } from './spawn.mjs';

const require = createRequire(import.meta.url);
const main = require.resolve('@hocuspocus/server');
const pkgDir = join(dirname(main), '..');
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;

let counter = 0;

export default {
  id: 'hocuspocus',
  label: `Hocuspocus ${version}`,
  version,
  async start() {
    const port = await freePort();
    const proc = await spawnPinned([fileURLToPath(new URL('./hocuspocus-main.mjs', import.meta.url))], {
      env: { PORT: String(port) },
      ready: /READY/,
    });
    return {
      ...proc,
      async docs(n) {
        return Array.from({ length: n }, () => {
          const name = `bench-${process.pid}-${++counter}`;
          return { url: `ws://127.0.0.1:${port}`, name, dialect: 'hocuspocus' };
        });
      },
      async waitUnloaded() {
        return false;
      },
    };
  },
};
