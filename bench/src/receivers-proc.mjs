/**
 * A load-generator process holding a share of a fan-out point's thin receivers (scenarios/spread.mjs
 * starts it, pinned with taskset, and talks to it over IPC). The writers stay in the main process, so
 * a delivery's latency is computed here from arrival and send times on one clock across processes:
 * `performance.timeOrigin + performance.now()` (wall time at process start plus the monotonic clock
 * since, microseconds apart between processes of one machine). Arrivals are kept while recording;
 * the main process sends the send times of the window's edits once, when it stops recording.
 *
 * Messages in: connect {targets, perRoom}, record, stop {sentAt: per room, absolute send time by seq}, close.
 * Messages out: connected {failed}, stopped {latencies, deliveries, maxGap}.
 */
import { ThinClient, connectAll } from './thin.mjs';

const now = () => performance.timeOrigin + performance.now();
let receivers = [];
let recording = false;
// Arrivals while recording: room, seq and absolute time, in three parallel arrays.
let arrRoom = [];
let arrSeq = [];
let arrAt = [];
let deliveries = 0;
let maxGap = 0;

process.on('message', async (m) => {
  if (m.type === 'connect') {
    receivers = [];
    m.targets.forEach((t, room) => {
      for (let i = 0; i < m.perRoom; i++) {
        let last = 0;
        receivers.push(
          new ThinClient(t, {
            onMarker: (seq, _t, isUpdate) => {
              if (!isUpdate || !recording) return;
              arrRoom.push(room);
              arrSeq.push(seq);
              arrAt.push(now());
            },
            onMessage: () => {
              const at = now();
              if (recording) {
                deliveries++;
                if (last) maxGap = Math.max(maxGap, at - last);
              }
              last = at;
            },
          }),
        );
      }
    });
    const result = await connectAll(receivers);
    process.send({ type: 'connected', failed: result.failed, errors: result.errors });
  } else if (m.type === 'record') {
    arrRoom = [];
    arrSeq = [];
    arrAt = [];
    deliveries = 0;
    maxGap = 0;
    recording = true;
  } else if (m.type === 'stop') {
    recording = false;
    const latencies = new Float64Array(arrAt.length);
    let n = 0;
    for (let i = 0; i < arrAt.length; i++) {
      const at = m.sentAt[arrRoom[i]][arrSeq[i]];
      if (at !== undefined) latencies[n++] = arrAt[i] - at;
    }
    process.send({ type: 'stopped', latencies: latencies.subarray(0, n), deliveries, maxGap });
  } else if (m.type === 'close') {
    for (const r of receivers) r.drop();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
