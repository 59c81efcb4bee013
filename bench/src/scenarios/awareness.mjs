/**
 * Awareness at 10 Hz: in each of `rooms` rooms, `cursors` clients send a cursor-sized awareness state
 * `hz` times a second (a moving caret), and `clientsPerRoom` thin receivers get them relayed. The
 * state carries a marker, so latency is measured like edits; awareness is not stored by any server,
 * so this is the relay path alone. No document edits meanwhile.
 */
import { ThinClient, connectAll, closeAll } from '../thin.mjs';
import { awarenessMessage } from '../protocol.mjs';
import { marker } from '../markers.mjs';
import { percentile, sleep } from '../stats.mjs';
import { generatorMeter, serverMeter } from '../proc.mjs';

export async function awarenessPoint(server, { rooms, clientsPerRoom, cursors, hz, warmupMs, measureMs, maxGeneratorCpu }) {
  const inst = await server.start();
  try {
    const targets = await inst.docs(rooms);
    let recording = false;
    const latencies = [];
    let deliveries = 0;
    const sentAt = targets.map(() => []);
    const receivers = targets.flatMap((t, room) =>
      Array.from(
        { length: clientsPerRoom },
        () =>
          new ThinClient(t, {
            onAwarenessMarker: (seq, now) => {
              if (!recording || sentAt[room][seq] === undefined) return;
              deliveries++;
              latencies.push(now - sentAt[room][seq]);
            },
          }),
      ),
    );
    const senders = targets.flatMap((t, room) =>
      Array.from({ length: cursors }, (_, i) => Object.assign(new ThinClient(t), { room, clientID: 1_000_000 + room * 100 + i, clock: 0 })),
    );
    const { failed } = await connectAll([...senders, ...receivers]);
    const interval = 1000 / hz;
    const timers = senders.map((s, i) =>
      setTimeout(
        () =>
          (s.timer = setInterval(() => {
            const seq = sentAt[s.room].length;
            sentAt[s.room].push(performance.now());
            const state = { user: { name: `analyst ${s.clientID}`, color: '#3b82f6' }, cursor: { anchor: seq % 500, head: (seq % 500) + 3, at: marker(seq) } };
            s.send(awarenessMessage(s.target, s.clientID, ++s.clock, state));
          }, interval)),
        (i * interval) / senders.length,
      ),
    );
    await sleep(warmupMs);
    const serverCpu = serverMeter(inst.pid);
    const genCpu = generatorMeter();
    const t0 = performance.now();
    recording = true;
    await sleep(measureMs);
    recording = false;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = serverCpu();
    const gen = genCpu();
    for (const t of timers) clearTimeout(t);
    for (const s of senders) clearInterval(s.timer);
    const point = {
      connected: receivers.length + senders.length - failed,
      failed,
      updatesPerSec: rooms * cursors * hz,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      deliveriesPerSec: deliveries / seconds,
      expectedPerSec: rooms * cursors * hz * clientsPerRoom,
      cpuPerDeliveryUs: deliveries ? (cpu * 1e6) / deliveries : NaN,
      serverCpuShare: cpu / seconds,
      generatorCpu: gen,
      invalid: gen > maxGeneratorCpu,
    };
    await closeAll([...senders, ...receivers]);
    return point;
  } finally {
    await inst.stop();
  }
}
