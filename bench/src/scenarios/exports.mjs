/**
 * Exports at hunt scale, Huntroom only (the peers have no exports): issue 21's target is that during
 * an export of 100,000 indicators no other client of the node waits over 50 ms. One node, pinned to
 * the server core like every server here, gets `indicators` indicators and 5,000 sightings
 * (exports/seed.mjs); then each export in `formats` is downloaded as `recipient` while the other
 * clients (exports/waits.mjs, a thread of this process on the generator core) ask /healthz and send a
 * note edit from one y-websocket connection to another every 10 ms. The same waits are measured for
 * `idleMs` with no export running first, so what the machine alone costs is in the same point.
 *
 * The download is read and dropped as it arrives (node:http, no buffering of 150 MB), so the
 * generator core stays free for the clients whose waits are measured. It asks for gzip as a browser
 * does (`--export-plain`: not), so the size is the bytes sent.
 */
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { session } from '../hunt/session.mjs';
import { seedIndicators, noteTargets } from '../exports/seed.mjs';
import { otherClients } from '../exports/waits.mjs';
import { generatorMeter, serverMeter } from '../proc.mjs';
import { sleep } from '../stats.mjs';

/** The window names of a point: `idle` (no export running), then one per format. */
export const IDLE = 'idle';

export async function exportsPoint(huntroom, { indicators, formats, recipient, gzip, idleMs, intervalMs, settleMs, maxGeneratorCpu }) {
  // Three exports a point and more in a quick succession of points: the per-account limit raised.
  const node = await huntroom.start({ env: { EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' } });
  let others;
  try {
    const url = node.wsBase.replace(/^ws/, 'http');
    const alice = await session(url, 'alice');
    const res = await fetch(`${url}/api/workspaces`, { headers: alice });
    const workspaceId = (await res.json()).workspaces[0].id;
    const seeded = await seedIndicators(url, alice, workspaceId, indicators);
    others = await otherClients({ healthUrl: `${url}/healthz`, notes: await noteTargets(url, alice, workspaceId), intervalMs, serverPid: node.pid });
    const point = { indicators, sightings: seeded.sightings, seedSeconds: seeded.seconds, invalid: false };
    const windows = [IDLE, ...formats];
    for (const name of windows) {
      // Each export starts from a node at rest (the one before may leave a collection or a checkpoint).
      await sleep(settleMs);
      const stop = await others.window();
      const server = serverMeter(node.pid);
      const mainThread = schedMeter(node.pid);
      const generator = generatorMeter();
      const t = performance.now();
      const { bytes } =
        name === IDLE
          ? await sleep(idleMs).then(() => ({ bytes: NaN }))
          : await download(`${url}/api/workspaces/${workspaceId}/export/${name}?recipient=${recipient}`, alice, gzip);
      const ms = performance.now() - t;
      const generatorCpu = generator();
      const serverCpu = server() / (ms / 1000);
      const main = mainThread();
      const waits = await stop();
      Object.assign(point, {
        [`${name}.ms`]: ms,
        [`${name}.bytes`]: bytes,
        [`${name}.serverCpu`]: serverCpu,
        [`${name}.mainCpuMs`]: main.cpuMs,
        [`${name}.mainRunqueueMs`]: main.waitMs,
        [`${name}.generatorCpu`]: generatorCpu,
        [`${name}.loadAverage`]: loadavg()[0],
        [`${name}.clientsLoopDelayMaxMs`]: waits.clientsLoopDelayMaxMs,
        [`${name}.mainStretchMs`]: waits.serverMain.ms,
        [`${name}.mainStretchCpuMs`]: waits.serverMain.cpuMs,
        [`${name}.mainStretchWaitMs`]: waits.serverMain.waitMs,
        [`${name}.mainStretchBlockedMs`]: waits.serverMain.blockedMs,
        [`${name}.mainStretchStolenMs`]: waits.serverMain.stolenMs,
        [`${name}.serverCoreStolenMs`]: waits.serverMain.windowStolenMs,
        [`${name}.watcherGapMs`]: waits.serverMain.watcherGapMs,
        // Raw data only (not a number, so not in the medians): when the waits over 20 ms started.
        [`${name}.slow`]: waits.slow.join('; '),
      });
      for (const kind of ['health', 'note']) {
        for (const [k, v] of Object.entries(waits[kind])) point[`${name}.${kind}.${k}`] = v;
      }
      if (generatorCpu > maxGeneratorCpu) point.invalid = true;
    }
    // The longest wait of another client during any export, and with none running (the target's row).
    point.worstMs = Math.max(...formats.flatMap((f) => [point[`${f}.health.max`], point[`${f}.note.max`]]));
    point.idleWorstMs = Math.max(point[`${IDLE}.health.max`], point[`${IDLE}.note.max`]);
    // How long the clients' own thread was held up in the same windows: a wait up to that long may be theirs.
    point.clientsHeldMs = Math.max(...formats.map((f) => point[`${f}.clientsLoopDelayMaxMs`]));
    point.otherClientsFailed = windows.reduce((n, w) => n + point[`${w}.health.failed`] + point[`${w}.note.failed`], 0);
    return point;
  } finally {
    await others?.close();
    await node.stop();
  }
}

/**
 * GETs `url`, counting the body's bytes as sent (gzipped ones are not unpacked: the bench measures the
 * server, not the unpacking) and dropping them; rejects unless 200.
 */
function download(url, headers, gzip) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { cookie: headers.cookie, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ bytes }) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * The node's main thread (its tid is the pid) over an interval, from /proc/<pid>/task/<pid>/schedstat:
 * its CPU time and its time runnable but waiting for the core (the export's thread, GC threads and any
 * other process on the server core take turns with it there), in ms.
 */
function schedMeter(pid) {
  const read = () => readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1').split(' ').map(Number);
  const [cpu0, wait0] = read();
  return () => {
    const [cpu, wait] = read();
    return { cpuMs: (cpu - cpu0) / 1e6, waitMs: (wait - wait0) / 1e6 };
  };
}
