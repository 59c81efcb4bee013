/**
 * Mostly idle sockets (DESIGN.md section 10, second row): `sockets` thin clients over `docs`
 * documents, each synced once and then silent. Reports the server's RSS growth per socket, and its
 * RSS `afterLeaveMs` after every socket left, next to the baseline read before they came (the target
 * is "back to baseline within 60 s"). RSS includes what V8 keeps for reuse after a collection, so a
 * server may hold memory it no longer uses; that is reported as it is.
 */
import { ThinClient, connectAll, closeAll } from '../thin.mjs';
import { sleep } from '../stats.mjs';

const MiB = 2 ** 20;

export async function idlePoint(server, { sockets, docs, settleMs, afterLeaveMs }) {
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
    await closeAll(connected);
    await sleep(afterLeaveMs);
    const after = inst.rssBytes();
    return {
      sockets: connected.length,
      failed,
      errors,
      connectPerSec: connected.length / connectSeconds,
      baseMiB: base / MiB,
      openMiB: open / MiB,
      perSocketKiB: (open - base) / connected.length / 1024,
      afterMiB: after / MiB,
      afterAboveBaseMiB: (after - base) / MiB,
      // Share of the growth still held after the wait: 0 is back to baseline, 1 is nothing returned.
      retained: (after - base) / (open - base),
      docsInMemoryAfter: inst.openDocuments ? await inst.openDocuments() : undefined,
    };
  } finally {
    await inst.stop();
  }
}
