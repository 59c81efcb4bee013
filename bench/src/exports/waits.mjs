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

/** `warmupMs`: how long both loops run before the first window opens. */
export async function otherClients({ healthUrl, notes, intervalMs = 10, timeoutMs = 30_000, warmupMs = 1_000 }) {
  const worker = new Worker(new URL('./waits-thread.mjs', import.meta.url), { workerData: { healthUrl, notes, intervalMs, timeoutMs } });
  const next = () =>
    new Promise((resolve, reject) => {
      const off = () => (worker.off('message', onMessage), worker.off('error', onError));
      const onMessage = (m) => (off(), resolve(m));
      const onError = (err) => (off(), reject(err));
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
  await next();
  await sleep(warmupMs);
  const summary = (waits, failed) => ({ p50: percentile(waits, 50), p99: percentile(waits, 99), max: percentile(waits, 100), n: waits.length, failed });
  const closeWindow = async (message) => {
    const answer = next();
    worker.postMessage(message);
    const w = await answer;
    return { health: summary(w.health, w.healthFailed), note: summary(w.note, w.noteFailed), clientsLoopDelayMaxMs: w.ownDelayMaxMs, slow: w.slow };
  };
  return {
    /** Opens a window (the waits since the last one are dropped); the function it answers closes it and answers its waits. */
    async window() {
      await closeWindow('mark');
      return () => closeWindow('mark');
    },
    async close() {
      await closeWindow('stop');
      await worker.terminate();
    },
  };
}
