/**
 * Mass reconnect (DESIGN.md section 10, fourth row: "1,000 clients reconnect within 1 s: all
 * re-synced, zero lost updates"). `clients` thin receivers over `rooms` rooms, writers editing
 * throughout. Each receiver's socket is dropped (terminated, as a lost network would) at a random
 * moment within `windowMs` and reconnected at once, with an empty state vector (a client that holds
 * nothing: the whole note again) or, with `held`, the note's state vector (a client that holds the note
 * but none of the writers' edits: the diff a y-websocket provider asks for when it comes back, larger
 * than a real one, since a real client also holds the edits it saw before the drop). Every receiver
 * remembers which edits it saw, from live updates and from its sync step 2s; after the writers stop
 * and a drain, an edit any receiver never saw is a lost update.
 *
 * With `noteEdits` (issue 21: documents as people make them) every room holds, before the storm, the
 * note of that many single-character edits at scattered positions (bigdoc.mjs, built once per run):
 * Huntroom has it as each document's stored log (loaded by the first socket), the peers, which keep
 * nothing, get it uploaded over a socket. Every reconnect then resyncs the whole note while the
 * writers keep changing it. Server CPU is reported per reconnect: the server's CPU time from the first
 * drop to the last resync, less what the edits alone cost over as long (measured just before).
 */
import { loadavg } from 'node:os';
import * as Y from 'yjs';
import { Writer, driveEdits } from '../writer.mjs';
import { ThinClient, connectAll, closeAll } from '../thin.mjs';
import { updateMessage } from '../protocol.mjs';
import { percentile, sleep } from '../stats.mjs';
import { generatorMeter, serverMeter } from '../proc.mjs';
import { noteFor } from './bigdoc.mjs';
import { sentinel } from './coldload.mjs';

const MAX_SEQ = 1 << 16;
const SENTINEL = 998_000;

export async function reconnectPoint(server, { clients, rooms, windowMs, editsPerSecond, noteEdits, cacheDir, maxGeneratorCpu, held = false }) {
  const note = noteEdits ? noteFor({ doc: 'edits', edits: noteEdits, cacheDir }) : undefined;
  if (held && !note) throw new Error('reconnect: clients can only come back holding the note when the rooms hold one (--reconnect-edits > 0)');
  // The same for every room: the note's updates carry their own client ids, on every server.
  if (held) note.stateVector ??= Y.encodeStateVectorFromUpdate(Y.mergeUpdates(note.chunks));
  const inst = await server.start();
  try {
    const targets = await inst.docs(rooms);
    // Huntroom: the note as each document's stored log, before any socket opens it.
    const stored = !!note && !!inst.storeDocument;
    if (stored) for (const t of targets) inst.storeDocument(t, note.chunks);
    const writers = targets.map((t) => new Writer(t, [], { ignoreRemote: !!note }));
    await Promise.all(writers.map((w) => w.connect()));
    const resyncBytes = [];
    const receivers = Array.from({ length: clients }, (_, i) => {
      const room = i % rooms;
      const seen = new Uint8Array(MAX_SEQ);
      const c = new ThinClient(targets[room], { onMarker: (seq) => seq < MAX_SEQ && (seen[seq] = 1), onSynced: (_now, bytes) => resyncBytes.push(bytes) });
      return Object.assign(c, { room, seen });
    });
    const initial = await connectAll(receivers);
    // The peers: uploaded now, relayed to the receivers already there (cheaper for them than a
    // thousand first syncs of the whole note).
    if (note && !stored) for (const t of targets) await upload(t, note.chunks);
    const stop = driveEdits(writers, editsPerSecond);
    await sleep(1000);
    // What the edits alone cost the server, per second, just before the storm.
    const editsOnly = serverMeter(inst.pid);
    const e0 = performance.now();
    await sleep(1000);
    const editsCpuPerMs = editsOnly() / (performance.now() - e0);
    resyncBytes.length = 0;

    if (held) for (const c of receivers) c.stateVector = note.stateVector;

    const load = loadavg()[0];
    const gen = generatorMeter();
    const serverCpu = serverMeter(inst.pid);
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
    const stormCpuS = serverCpu();
    const stormMs = performance.now() - t0;
    const reconnects = resync.length;
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
      held,
      noteBytes: note?.size ?? 0,
      // The smallest sync step 2 of the storm: shows that every room held the note (or, held, the diff's size).
      resyncMinBytes: percentile(resyncBytes, 0),
      loadAverage: load,
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
      writerCloseReasons: [...new Set(writers.map((w) => w.closedWith).filter(Boolean))].join('; ') || undefined,
      generatorCpu,
      stormServerCpuMs: stormCpuS * 1000,
      stormMs,
      editsServerCpuMsPerS: editsCpuPerMs * 1e6,
      // All of the server's CPU in the storm per reconnect, and the same less the edits' share (which,
      // measured over one second before the storm, is only an estimate when the storm lasts long).
      stormCpuPerReconnectMs: reconnects ? (stormCpuS * 1000) / reconnects : NaN,
      serverCpuPerReconnectMs: reconnects ? Math.max(0, stormCpuS * 1000 - editsCpuPerMs * 1000 * stormMs) / reconnects : NaN,
      invalid: generatorCpu > maxGeneratorCpu,
    };
    for (const w of writers) w.close();
    await closeAll(receivers);
    return point;
  } finally {
    await inst.stop();
  }
}

/**
 * Sends the note into an empty room over a socket, then a sentinel edit; returns once a watcher in the
 * room saw the sentinel relayed (the server has applied everything before it).
 */
async function upload(target, chunks) {
  let seen = () => {};
  const arrived = new Promise((resolve) => (seen = (seq) => seq === SENTINEL && resolve()));
  const watcher = new ThinClient(target, { onMarker: (seq) => seen(seq) });
  const uploader = new ThinClient(target);
  await Promise.all([watcher.connect(), uploader.connect()]);
  for (const chunk of chunks) uploader.send(updateMessage(target, chunk));
  uploader.send(updateMessage(target, sentinel(SENTINEL)));
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('note upload not relayed within 300 s')), 300_000)));
  try {
    await Promise.race([arrived, timeout]);
  } finally {
    clearTimeout(timer);
    await Promise.all([watcher.close(), uploader.close()]);
  }
}
