/**
 * A load-generator process holding a share of a fan-out point's thin receivers (scenarios/spread.mjs
 * starts it, pinned with taskset, and talks to it over IPC). The writers stay in the main process, so
 * a delivery's latency is computed here from arrival and send times on one clock across processes:
 * `performance.timeOrigin + performance.now()` (wall time at process start plus the monotonic clock
 * since, microseconds apart between processes of one machine). Arrivals are kept while recording;
 * the main process sends the send times of the window's edits once, when it stops recording.
 *
 * Messages in: connect {targets, perRoom}, record, stop {sentAt: per room, absolute send time by seq}, close.
 * Messages out: connected {failed, nativePid}, stopped {latencies, deliveries, maxGap; native: closed,
 * protocolErrors, unstamped, readLag (its histogram: thin/native/receivers.mjs)}.
 *
 * With `--thin=native` the receivers connect here and are then read by a C child process
 * (thin/native/receivers.mjs, `nativePid`, pinned as this one is): its CPU is the generator's too.
 */
import { THIN, ThinClient, connectAll } from './thin.mjs';
import { NativeReceivers } from './thin/native/receivers.mjs';

const now = () => performance.timeOrigin + performance.now();
let receivers = [];
let recording = false;
// Arrivals while recording: room, seq and absolute time, in three parallel arrays.
let arrRoom = [];
let arrSeq = [];
let arrAt = [];
let deliveries = 0;
let maxGap = 0;
// --thin=native: the C process reading the receivers, and the room of each of its sockets.
let native;
let socketRoom = [];

process.on('message', async (m) => {
  if (m.type === 'connect') {
    receivers = [];
    const rooms = [];
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
        rooms.push(room);
      }
    });
    const result = await connectAll(receivers);
    if (THIN === 'native') {
      const connected = receivers.filter((r) => !r.failed);
      const roomOf = new Map(receivers.map((r, i) => [r, rooms[i]]));
      native = new NativeReceivers(connected);
      await native.ready;
      socketRoom = native.clients.map((c) => roomOf.get(c));
      result.failed += native.notHandedOff;
      if (native.notHandedOff) result.errors['not handed off (mid-frame)'] = native.notHandedOff;
    }
    process.send({ type: 'connected', failed: result.failed, errors: result.errors, nativePid: native?.pid });
  } else if (m.type === 'record') {
    native?.record();
    arrRoom = [];
    arrSeq = [];
    arrAt = [];
    deliveries = 0;
    maxGap = 0;
    recording = true;
  } else if (m.type === 'stop') {
    recording = false;
    if (native) return void process.send(await nativeStopped(m.sentAt));
    const latencies = new Float64Array(arrAt.length);
    let n = 0;
    for (let i = 0; i < arrAt.length; i++) {
      const at = m.sentAt[arrRoom[i]][arrSeq[i]];
      if (at !== undefined) latencies[n++] = arrAt[i] - at;
    }
    process.send({ type: 'stopped', latencies: latencies.subarray(0, n), deliveries, maxGap });
  } else if (m.type === 'close') {
    native?.close();
    for (const r of receivers) r.drop();
    process.exit(0);
  }
});

/** The native receivers' report as a `stopped` message: the same latencies, from their arrivals. */
async function nativeStopped(sentAt) {
  const report = await native.stop();
  const { socket, seq, at } = report.arrivals;
  const latencies = new Float64Array(at.length);
  let n = 0;
  for (let i = 0; i < at.length; i++) {
    const sent = sentAt[socketRoom[socket[i]]][seq[i]];
    if (sent !== undefined) latencies[n++] = at[i] + performance.timeOrigin - sent;
  }
  return {
    type: 'stopped',
    latencies: latencies.subarray(0, n),
    deliveries: report.deliveries,
    maxGap: report.maxGap,
    closed: report.closed,
    protocolErrors: report.protocolErrors,
    unstamped: report.unstamped,
    readLag: report.readLag,
  };
}

process.send({ type: 'ready' });
