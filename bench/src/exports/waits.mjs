/**
 * Starts the other clients of an exports benchmark in a worker thread of their own (waits-thread.mjs
 * says what they do): their own event loop, so the bench's download on its main thread does not
 * delay them, and their first requests (connections, JIT) are over before anything is measured.
 *
 *   const others = await otherClients({ healthUrl, notes });   // notes: two targets of one note
 *   const stop = await others.window(); ...; const waits = await stop();
 *   // waits.health and waits.note: p50, p99, max, n, failed (ms); waits.clientsLoopDelayMaxMs: their thread's own
 *   await others.close();
 */
import { Worker } from 'node:worker_threads';
import { percentile, sleep } from '../stats.mjs';

/**
 * `warmupMs`: how long both loops run before the first window opens. `serverPid`: also watch that
 * node's main thread from a thread of its own (server-thread.mjs); each window then answers
 * `serverMain`, its longest stretch without sleeping (ms, of which cpuMs and waitMs for the core).
 */
export async function otherClients({ healthUrl, notes, intervalMs = 10, timeoutMs = 30_000, warmupMs = 1_000, serverPid }) {
  const worker = new Worker(new URL('./waits-thread.mjs', import.meta.url), { workerData: { healthUrl, notes, intervalMs, timeoutMs } });
  const watcher = serverPid ? new Worker(new URL('./server-thread.mjs', import.meta.url), { workerData: { pid: serverPid } }) : undefined;
  const next = (w = worker) =>
    new Promise((resolve, reject) => {
      const off = () => (w.off('message', onMessage), w.off('error', onError));
      const onMessage = (m) => (off(), resolve(m));
      const onError = (err) => (off(), reject(err));
      w.on('message', onMessage);
      w.on('error', onError);
    });
  await next();
  await sleep(warmupMs);
  const summary = (waits, failed) => ({ p50: percentile(waits, 50), p99: percentile(waits, 99), max: percentile(waits, 100), n: waits.length, failed });
  const closeWindow = async (message) => {
    const answer = next();
    const watched = watcher && next(watcher);
    worker.postMessage(message);
    watcher?.postMessage(message);
    const w = await answer;
    return {
      health: summary(w.health, w.healthFailed),
      note: summary(w.note, w.noteFailed),
      clientsLoopDelayMaxMs: w.ownDelayMaxMs,
      slow: w.slow,
      serverMain: await watched,
    };
  };
  return {
    /** Opens a window (the waits since the last one are dropped); the function it answers closes it and answers its waits. */
    async window() {
      await closeWindow('mark');
      return () => closeWindow('mark');
    },
    async close() {
      await closeWindow('stop');
      await Promise.all([worker.terminate(), watcher?.terminate()]);
    },
  };
}
