/**
 * Cold load of a large document while other rooms edit (DESIGN.md section 10, third row: "other
 * rooms on the node never stall more than 50 ms"). `rooms` rooms keep editing at `editsPerSecond`
 * with thin receivers; the stall is the longest gap between two deliveries to any receiver there,
 * minus the nominal edit interval, and the worst latency in the window.
 *
 * Two phases, each recorded on its own:
 *  1. upload: a client sends the ~3.4 MB document into an empty room (in <= 512 KiB updates); the
 *     server applies it (Huntroom also stores it before relaying).
 *  2. open: a fresh client opens it with an empty state vector and receives all of it. Huntroom loads
 *     it from SQLite: the uploader left and the benchmark waited until the document was unloaded. The
 *     peers run without persistence, so there is nothing to load from: for them the document stays in
 *     memory (the uploader stays connected, else Hocuspocus would drop it) and this phase is the
 *     encode and send only.
 */
import { Rooms } from './rooms.mjs';
import { ThinClient } from '../thin.mjs';
import { updateMessage } from '../protocol.mjs';
import { percentile, sleep } from '../stats.mjs';
import { noteFor } from './bigdoc.mjs';
import { marker } from '../markers.mjs';
import * as Y from 'yjs';

const SENTINEL = 999_000;

/** A one-edit update from a client of its own, so it never duplicates anything the server has. */
export function sentinel(seq) {
  const d = new Y.Doc();
  d.clientID = seq;
  d.getText('sentinel').insert(0, marker(seq));
  const u = Y.encodeStateAsUpdate(d);
  d.destroy();
  return u;
}

/** The run's large document (bigdoc.mjs: built once per run, or read from `--note-cache`). */
export function prepareBigDoc({ doc, edits, bytes, cacheDir }) {
  return noteFor({ doc, edits, bytes, cacheDir });
}

async function window(set, ms, action) {
  set.record();
  const t0 = performance.now();
  const result = await action();
  const elapsed = performance.now() - t0;
  await sleep(ms);
  set.recording = false;
  return { ...result, elapsedMs: elapsed, maxGapMs: set.maxGap, maxLatencyMs: percentile(set.latencies, 100), p99Ms: percentile(set.latencies, 99) };
}

export async function coldloadPoint(server, { doc: kind, edits, bytes, cacheDir, rooms, clientsPerRoom, editsPerSecond }) {
  const doc = prepareBigDoc({ doc: kind, edits, bytes, cacheDir });
  // A short unload delay so Huntroom's "cold" phase does not wait 10 s; it does not change the load itself.
  const inst = await server.start({ unloadDelayMs: 500 });
  try {
    const targets = await inst.docs(rooms + 1);
    // The uploader and the reader are another user than the rooms' writers where the server has users
    // (Huntroom): a cut-off for cost must not close the other rooms' sockets through a shared account budget.
    const bigTarget = inst.asOtherUser ? await inst.asOtherUser(targets.pop()) : targets.pop();
    const set = new Rooms(targets, clientsPerRoom);
    await set.connect();
    set.startEditing(editsPerSecond);
    await sleep(1500);

    const baseline = await window(set, 2000, async () => ({}));

    // A watcher in the big room sees, in order, what the server relays. After the chunks the uploader
    // sends a small sentinel edit; once the watcher sees it, the server has applied everything before
    // it. If the server cuts the uploader off instead (Huntroom's per-connection CPU budget), the
    // uploader reconnects and sends the document again, as a y-websocket provider's sync step 2 after
    // a reconnect would (Yjs skips what the server already has). Each cut-off is reported.
    const seen = new Set();
    let onSeen = () => {};
    const watcher = new ThinClient(bigTarget, { onMarker: (seq) => (seen.add(seq), onSeen()) });
    await watcher.connect();
    let uploader;
    const uploaderCloses = [];
    const upload = await window(set, 1500, async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        uploader = new ThinClient(bigTarget);
        await uploader.connect();
        const closed = uploader.closed();
        const seq = SENTINEL + attempt;
        const stored = new Promise((r) => {
          onSeen = () => seen.has(seq) && r('stored');
          onSeen();
        });
        for (const chunk of doc.chunks) uploader.send(updateMessage(bigTarget, chunk));
        uploader.send(updateMessage(bigTarget, sentinel(seq)));
        const outcome = await Promise.race([closed, stored]);
        if (outcome === 'stored') return {};
        uploaderCloses.push(outcome);
      }
      return { error: 'upload never completed' };
    });
    await watcher.close();

    let cold = false;
    let storedDirectly = false;
    if (inst.openDocuments) {
      await uploader.close();
      cold = await waitFor(async () => (await inst.openDocuments()) <= rooms, 30_000);
      // An upload cut off for its cost (Huntroom's per-connection CPU budget) left part of the note
      // stored; the open must load all of it, so the rest goes straight into storage while no socket
      // has the document open (rows that repeat what is stored are harmless: Yjs skips known items).
      if (cold && upload.error && inst.storeDocument) {
        inst.storeDocument(bigTarget, doc.chunks);
        storedDirectly = true;
      }
    }
    await sleep(1000);

    const reader = new ThinClient(bigTarget);
    const open = await window(set, 1500, async () => {
      let received = 0;
      reader.cb.onSynced = (_now, n) => (received = n);
      const t = performance.now();
      try {
        await reader.connect();
        return { loadMs: performance.now() - t, receivedBytes: received };
      } catch (err) {
        return { loadMs: NaN, receivedBytes: 0, error: err.message };
      }
    });
    await reader.close();
    await uploader.close();
    const nominal = 1000 / editsPerSecond;
    const point = {
      docBytes: doc.size,
      baselineGapMs: baseline.maxGapMs,
      uploadGapMs: upload.maxGapMs,
      uploadStallMs: upload.maxGapMs - nominal,
      uploadMaxLatencyMs: upload.maxLatencyMs,
      openCold: cold,
      openStoredDirectly: storedDirectly,
      openLoadMs: open.loadMs,
      openReceivedBytes: open.receivedBytes,
      openGapMs: open.maxGapMs,
      openStallMs: open.maxGapMs - nominal,
      openMaxLatencyMs: open.maxLatencyMs,
      uploaderCutOff: uploaderCloses.length,
      uploaderCloseReasons: uploaderCloses.join('; ') || undefined,
      openError: open.error,
      uploadError: upload.error,
    };
    await set.close();
    return point;
  } finally {
    await inst.stop();
  }
}

async function waitFor(check, timeoutMs) {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}
