/**
 * The reference server: y-websocket 2.x's own `bin/server.cjs`, unchanged, started with HOST/PORT.
 * No persistence configured (YPERSISTENCE unset), as it ships. It has no authentication; the
 * document name is the URL path.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { freePort, spawnPinned } from './spawn.mjs';

const require = createRequire(import.meta.url);
const binDir = dirname(require.resolve('y-websocket/bin/utils'));
const version = JSON.parse(readFileSync(join(binDir, '..', 'package.json'), 'utf8')).version;

let counter = 0;

export default {
  id: 'y-websocket',
  label: `y-websocket ${version}`,
  version,
  async start() {
    const port = await freePort();
    const proc = await spawnPinned([join(binDir, 'server.cjs')], {
      env: { HOST: '127.0.0.1', PORT: String(port) },
      ready: /running at/,
    });
    return {
      ...proc,
      /** Fresh document names: any name is a document. */
      async docs(n) {
        return Array.from({ length: n }, () => {
          const name = `bench-${process.pid}-${++counter}`;
          return { url: `ws://127.0.0.1:${port}/${name}`, name, dialect: 'y-websocket' };
        });
      },
      /** Nothing is loaded from storage: with no persistence a document lives only in memory. */
      async waitUnloaded() {
        return false;
      },
    };
  },
};
