/**
 * Fan-out ramp (DESIGN.md section 10, first row): `rooms` rooms, each with one writer at
 * `editsPerSecond` and N thin receivers, N stepping up. Per point: a fresh server, connect, warm up,
 * then record for `measureMs`: latency percentiles over every delivery, deliveries per second, server
 * CPU per delivery (/proc of the server over the same window), server RSS at the end, and the load
 * generator's own CPU share, how late its writers sent their edits and (native receivers) how far
 * its reads were behind.
 *
 * When a point is INVALID (the generator, not the server, may have been measured; `validityRule`
 * and `invalidBecause` in the point say which rule and what failed):
 *   - lean and ws receivers timestamp an arrival in JavaScript when they read it, so a busy generator
 *     adds its own delay to every latency: INVALID when its CPU passes `maxGeneratorCpu` (0.7).
 *   - native receivers take the kernel's receive stamp, so the generator's delay in reading is in no
 *     latency. What a generator that does not keep up still changes is the load it offers (writers
 *     sending late: fewer, bunched edits) and, if its reads fall far behind, the server's socket
 *     buffers (filling, they hold the server back). INVALID when the writers' lateness p99 passes
 *     `maxWriterLateMs` (5), the read lag p99 passes `maxReadLagMs` (20), or the generator's CPU
 *     passes `maxGeneratorCpuNative` (0.9) of its cores: saturated, whatever the two say.
 */
import { Rooms } from './rooms.mjs';
import { SpreadRooms } from './spread.mjs';
import { percentile, sleep } from '../stats.mjs';
import { config } from '../config.mjs';
import { coreMeter, generatorMeter, serverMeter } from '../proc.mjs';
import { SERVER_CORE } from '../servers/spawn.mjs';
import { GENERATOR_CORE } from '../pinning.mjs';
import { THIN } from '../thin.mjs';

/**
 * `generatorProcs` > 1: the receivers live in that many processes (spread.mjs) pinned to
 * `generatorCores`; the generator's CPU is then the sum over all its processes, and its CPU limits are
 * shares of the cores they may use. The limits default to config.mjs's.
 */
export async function fanoutPoint(
  server,
  {
    rooms,
    clientsPerRoom,
    writersPerRoom = 1,
    editsPerSecond,
    warmupMs,
    measureMs,
    maxGeneratorCpu = config.maxGeneratorCpu,
    maxGeneratorCpuNative = config.maxGeneratorCpuNative,
    maxWriterLateMs = config.maxWriterLateMs,
    maxReadLagMs = config.maxReadLagMs,
    generatorProcs = 1,
    generatorCores = GENERATOR_CORE,
  },
) {
  const inst = await server.start();
  try {
    const targets = await inst.docs(rooms);
    // The native receivers always live in a receivers process (with their C child), so the CPU of both counts.
    const spread = generatorProcs > 1 || THIN === 'native';
    const set = spread
      ? new SpreadRooms(targets, clientsPerRoom, writersPerRoom, { procs: generatorProcs, cores: generatorCores })
      : new Rooms(targets, clientsPerRoom, writersPerRoom);
    await set.connect();
    set.startEditing(editsPerSecond);
    await sleep(warmupMs);
    const serverCpu = serverMeter(inst.pid);
    const genCpu = spread ? set.generatorCpu() : generatorMeter();
    const serverCore = coreMeter(SERVER_CORE);
    const generatorCore = coreMeter(GENERATOR_CORE);
    const t0 = performance.now();
    const sent0 = set.editsSent;
    set.record();
    await sleep(measureMs);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = serverCpu();
    const genShares = genCpu();
    if (spread) await set.stopRecording();
    else set.recording = false;
    const gen = spread ? genShares.total : genShares;
    const generatorCoreCount = spread ? generatorCores.split(',').length : 1;
    const serverCoreBusy = serverCore();
    const generatorCoreBusy = generatorCore();
    const edits = set.editsSent - sent0;
    const lat = set.latencies;
    const writerLate = { p50: percentile(set.writerLate, 50), p99: percentile(set.writerLate, 99), max: percentile(set.writerLate, 100), n: set.writerLate.length };
    const readLag = set.readLag;
    const genShare = gen / generatorCoreCount;
    const { validityRule, invalidBecause } =
      THIN === 'native'
        ? {
            validityRule: 'kept-up',
            invalidBecause: [
              !writerLate.n && 'no edit sent in the window',
              // With under 100 edits in the window (hot room, 1 writer: 12) the p99 is the one latest edit,
              // which a plain timer on a busy machine can be; the median then says whether the load came late.
              writerLate.n >= 100
                ? writerLate.p99 > maxWriterLateMs && `writers late p99 ${writerLate.p99.toFixed(1)} ms > ${maxWriterLateMs}`
                : writerLate.p50 > maxWriterLateMs && `writers late p50 ${writerLate.p50.toFixed(1)} ms > ${maxWriterLateMs} (${writerLate.n} edits)`,
              // No stamped update read (a server that sent nothing): no read lag to judge.
              readLag?.p99 > maxReadLagMs && `read lag p99 ${readLag.p99.toFixed(1)} ms > ${maxReadLagMs}`,
              genShare > maxGeneratorCpuNative && `generator CPU ${Math.round(genShare * 100)}% > ${Math.round(maxGeneratorCpuNative * 100)}%`,
            ].filter(Boolean),
          }
        : {
            validityRule: 'cpu',
            invalidBecause: genShare > maxGeneratorCpu ? [`generator CPU ${Math.round(genShare * 100)}% > ${Math.round(maxGeneratorCpu * 100)}%`] : [],
          };
    const point = {
      clientsPerRoom,
      writersPerRoom,
      connected: set.receivers.length - set.failed,
      failed: set.failed,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      max: percentile(lat, 100),
      deliveriesPerSec: set.deliveries / seconds,
      // What should have arrived: every edit of the window to every connected receiver of its room.
      expectedPerSec: (edits * (clientsPerRoom - set.failed / rooms)) / seconds,
      editsPerSec: edits / seconds,
      serverCpuShare: cpu / seconds,
      cpuPerDeliveryUs: set.deliveries ? (cpu * 1e6) / set.deliveries : NaN,
      rssMiB: inst.rssBytes() / 2 ** 20,
      generatorCpu: gen,
      generatorProcs,
      // Which receivers ran: lean, ws or native (native falls back to lean without a C compiler).
      thin: THIN,
      // native: receivers' sockets closed by the server, protocol errors, updates without a kernel stamp.
      native: set.native,
      // Per process (the main one with the writers first), when spread.
      generatorCpuPerProc: spread ? genShares.shares : undefined,
      // Whole-core busy shares (softirq and steal included), to tell which side ran out of CPU.
      serverCoreBusy,
      generatorCoreBusy,
      // Did the generator keep up (ms): its writers' lateness after each edit's due time, and (native)
      // how far the C receivers' reads were behind the kernel's stamps, over the measured window.
      writerLate,
      readLag,
      // Which rule decides INVALID: `kept-up` (native: writers late, read lag, generator CPU against
      // maxGeneratorCpuNative) or `cpu` (lean, ws: generator CPU against maxGeneratorCpu); what failed.
      validityRule,
      invalidBecause,
      invalid: invalidBecause.length > 0,
    };
    await set.close();
    return point;
  } finally {
    await inst.stop();
  }
}
