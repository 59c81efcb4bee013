/**
 * The thin receivers every scenario uses, and the helpers to connect and close many of them. Two
 * clients with one interface (constructor(target, callbacks), connect, send, closed, drop, close;
 * callbacks onSynced, onMarker, onMessage, onAwarenessMarker: thin/ws.mjs describes them):
 *   - `lean`: WebSocket frames parsed by hand from one reused read buffer (thin/lean.mjs);
 *   - `ws`: the `ws` library's client (thin/ws.mjs), the generator of earlier runs, kept to compare.
 * `--thin=native|lean|ws` (or BENCH_THIN) chooses; spread.mjs hands the choice to its receivers
 * processes. `native` (the default) is not a third client: the fan-out's receivers connect with the
 * lean one and are then read by a C process (thin/native/receivers.mjs); every other use of ThinClient
 * gets the lean client. Where no C compiler builds it, `native` falls back to `lean` and says so;
 * THIN (and config.thin, which the results record) is what runs.
 */
import { config } from './config.mjs';
import { LeanThinClient } from './thin/lean.mjs';
import { WsThinClient } from './thin/ws.mjs';
import { nativeBinary } from './thin/native/build.mjs';

export const THIN_CLIENTS = { lean: LeanThinClient, ws: WsThinClient };

function resolveThin() {
  if (config.thin !== 'native') return config.thin;
  const { path, why } = nativeBinary();
  if (path) return 'native';
  console.error(`native receivers: ${why}; the lean Node receivers run instead`);
  return 'lean';
}

/** The generator that runs: `lean`, `ws` or `native` (native asked for and compiled). */
export const THIN = resolveThin();
// The results record the configuration: let it say what ran, and receivers processes run the same.
config.thin = THIN;
export const ThinClient = THIN === 'ws' ? WsThinClient : LeanThinClient;

/**
 * Connects many clients with a bounded number of handshakes in flight, retrying a refused or dropped
 * handshake a few times. Returns the connected clients and how many could not be connected.
 */
export async function connectAll(clients, { concurrency = 100, attempts = 3 } = {}) {
  let failed = 0;
  let next = 0;
  const errors = new Map();
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++];
      for (let a = 1; a <= attempts; a++) {
        try {
          await c.connect();
          break;
        } catch (err) {
          if (a === attempts) {
            failed++;
            c.failed = true;
            errors.set(err.message, (errors.get(err.message) ?? 0) + 1);
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
  return { connected: clients.filter((c) => !c.failed), failed, errors: Object.fromEntries(errors) };
}

export async function closeAll(clients) {
  await Promise.all(clients.map((c) => c.close()));
}
