/**
 * Mass reconnect (DESIGN.md section 10, fourth row: "1,000 clients reconnect within 1 s: all
 * re-synced, zero lost updates"). `clients` thin receivers over `rooms` rooms, writers editing
 * throughout. Each receiver's socket is dropped (terminated, as a lost network would) at a random
 * moment within `windowMs` and reconnected at once with an empty state vector. Every receiver
 * remembers which edits it saw, from live updates and from its sync step 2s; after the writers stop
 * and a drain, an edit any receiver never saw is a lost update.
 */
import { Writer, driveEdits } from '../writer.mjs';
import { ThinClient, connectAll, closeAll } from '../thin.mjs';
import { percentile, sleep } from '../stats.mjs';
import { generatorMeter } from '../proc.mjs';

const MAX_SEQ = 1 << 16;

export async function reconnectPoint(server, { clients, rooms, windowMs, editsPerSecond, maxGeneratorCpu }) {
  const inst = await server.start();
  try {
    const targets = await inst.docs(rooms);
    const writers = targets.map((t) => new Writer(t));
    await Promise.all(writers.map((w) => w.connect()));
    const receivers = Array.from({ length: clients }, (_, i) => {
      const room = i % rooms;
      const seen = new Uint8Array(MAX_SEQ);
      const c = new ThinClient(targets[room], { onMarker: (seq) => seq < MAX_SEQ && (seen[seq] = 1) });
      return Object.assign(c, { room, seen });
    });
    const initial = await connectAll(receivers);
    const stop = driveEdits(writers, editsPerSecond);
    await sleep(2000);

    const gen = generatorMeter();
    const t0 = performance.now();
    const resync = [];
    let failed = 0;
    let lastSynced = t0;
    await Promise.all(
      initial.connected.map(
        (c) =>
          new Promise((resolve) =>
            setTimeout(async () => {
              c.drop();
              const started = performance.now();
              for (let attempt = 0; attempt < 3; attempt++) {
                try {
                  await c.connect();
                  const now = performance.now();
                  resync.push(now - started);
                  lastSynced = Math.max(lastSynced, now);
                  return resolve();
                } catch {
                  await sleep(100 * (attempt + 1));
                }
              }
              failed++;
              resolve();
            }, Math.random() * windowMs),
          ),
      ),
    );
    const generatorCpu = gen();
    await sleep(2000);
    stop();
    await sleep(1500); // drain: the last edits reach every receiver
    let lost = 0;
    let affected = 0;
    for (const c of initial.connected) {
      const sent = writers[c.room].sentAt.length;
      let missing = 0;
      for (let s = 0; s < sent; s++) if (!c.seen[s]) missing++;
      lost += missing;
      if (missing) affected++;
    }
    const point = {
      clients: initial.connected.length,
      initialFailed: initial.failed,
      reconnectFailed: failed,
      resyncP50Ms: percentile(resync, 50),
      resyncP99Ms: percentile(resync, 99),
      resyncMaxMs: percentile(resync, 100),
      // From the first drop to the last client's step 2: the whole wave, window included.
      allResyncedMs: lastSynced - t0,
      editsSent: writers.reduce((n, w) => n + w.sentAt.length, 0),
      lostUpdates: lost,
      clientsMissingUpdates: affected,
      writersClosed: writers.filter((w) => w.closedWith).length,
      generatorCpu,
      invalid: generatorCpu > maxGeneratorCpu,
    };
    for (const w of writers) w.close();
    await closeAll(receivers);
    return point;
  } finally {
    await inst.stop();
  }
}
