/**
 * Mostly idle sockets (DESIGN.md section 10, second row): `sockets` thin clients over `docs`
 * documents, each synced once and then silent. Reports the server's RSS growth per socket, and its
 * RSS `afterLeaveMs` after every socket left, next to the baseline read before they came (the target
 * is "back to baseline within 60 s"). RSS includes what V8 keeps for reuse after a collection, so a
 * server may hold memory it no longer uses; that is reported as it is.
 *
 * One round does every server: each in turn is started, filled, measured and emptied, and then left
 * running while the next one is measured, so the 60 s waits overlap instead of adding up. Memory is
 * not disturbed by another process sharing the core, and the connect phase of the next server is
 * the only thing that could be slowed by it (its rate is reported, not judged).
 */
import { ThinClient, connectAll } from '../thin.mjs';
import { sleep } from '../stats.mjs';

const MiB = 2 ** 20;

async function fill(server, { sockets, docs, settleMs }) {
  const inst = await server.start();
  try {
    const targets = await inst.docs(docs);
    await sleep(2000);
    const base = inst.rssBytes();
    const clients = Array.from({ length: sockets }, (_, i) => new ThinClient(targets[i % targets.length]));
    const t0 = performance.now();
    const { connected, failed, errors } = await connectAll(clients);
    const connectSeconds = (performance.now() - t0) / 1000;
    await sleep(settleMs);
    const open = inst.rssBytes();
    // A normal close handshake, as clients leaving a page would do.
    await Promise.all(connected.map((c) => c.close()));
    return { inst, leftAt: performance.now(), base, open, connected: connected.length, failed, errors, connectSeconds };
  } catch (err) {
    await inst.stop();
    throw err;
  }
}

/** One round over all servers; returns { [serverId]: point }. */
export async function idleRound(servers, cfg, log = () => {}) {
  const filled = {};
  const points = {};
  try {
    for (const s of servers) {
      try {
        filled[s.id] = await fill(s, cfg);
        log(`idle ${s.id}: ${filled[s.id].connected} sockets open, waiting for the after-leave reading`);
      } catch (err) {
        points[s.id] = { error: String(err.message ?? err).slice(0, 300) };
      }
    }
    for (const [id, f] of Object.entries(filled)) {
      await sleep(Math.max(0, f.leftAt + cfg.afterLeaveMs - performance.now()));
      const after = f.inst.rssBytes();
      points[id] = {
        sockets: f.connected,
        failed: f.failed,
        errors: f.errors,
        connectPerSec: f.connected / f.connectSeconds,
        baseMiB: f.base / MiB,
        openMiB: f.open / MiB,
        perSocketKiB: (f.open - f.base) / f.connected / 1024,
        afterMiB: after / MiB,
        afterAboveBaseMiB: (after - f.base) / MiB,
        // Share of the growth still held after the wait: 0 is back to baseline, 1 is nothing returned.
        retained: (after - f.base) / (f.open - f.base),
        docsInMemoryAfter: f.inst.openDocuments ? await f.inst.openDocuments() : undefined,
      };
    }
  } finally {
    await Promise.all(Object.values(filled).map((f) => f.inst.stop()));
  }
  return points;
}
