/**
 * Fan-out ramp (DESIGN.md section 10, first row): `rooms` rooms, each with one writer at
 * `editsPerSecond` and N thin receivers, N stepping up. Per point: a fresh server, connect, warm up,
 * then record for `measureMs`: latency percentiles over every delivery, deliveries per second, server
 * CPU per delivery (/proc of the server over the same window), server RSS at the end, and the load
 * generator's own CPU share, how late its writers sent their edits and (native receivers) how far
 * its reads were behind.
 *
 * When a point is INVALID (the generator, not the server, may have been measured): validity.mjs;
 * `validityRule` and `invalidBecause` in the point say which rule applied and what failed.
 */
import { Rooms } from './rooms.mjs';
import { SpreadRooms } from './spread.mjs';
import { percentile, sleep } from '../stats.mjs';
import { config } from '../config.mjs';
import { coreMeter, generatorMeter, serverMeter } from '../proc.mjs';
import { SERVER_CORE } from '../servers/spawn.mjs';
import { GENERATOR_CORE } from '../pinning.mjs';
import { THIN } from '../thin.mjs';
import { judge, limitsOf } from './validity.mjs';
import { dropsBetween, heldBackBetween, kernelDrops, portOf, serverSockets } from '../heldBack.mjs';

/** After the first snapshot of the server's sockets, before the window: the generator's reads catch up. */
const SETTLE_AFTER_SNAPSHOT_MS = 500;

/**
 * `generatorProcs` > 1: the receivers live in that many processes (spread.mjs) pinned to
 * `generatorCores`; the generator's CPU is then the sum over all its processes, and its CPU limits are
 * shares of the cores they may use. The limits default to config.mjs's.
 */
export async function fanoutPoint(
  server,
  { rooms, clientsPerRoom, writersPerRoom = 1, editsPerSecond, warmupMs, measureMs, limits = limitsOf(config), generatorProcs = 1, generatorCores = GENERATOR_CORE },
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
    // The server's side of its connections before the window (heldBack.mjs); the snapshot's own CPU
    // on the generator's core is spent before the window starts.
    const port = portOf(targets[0].url);
    const socketsBefore = await serverSockets(port);
    await sleep(SETTLE_AFTER_SNAPSHOT_MS);
    const drops0 = kernelDrops();
    const serverCpu = serverMeter(inst.pid);
    const genCpu = spread ? set.generatorCpu() : generatorMeter();
    const serverCore = coreMeter(SERVER_CORE);
    const generatorCore = coreMeter(GENERATOR_CORE);
    const t0 = performance.now();
    const sent0 = set.editsSent;
    set.record();
    await sleep(measureMs);
    const seconds = (performance.now() - t0) / 1000;
    // The window's edits, counted at its end: stopping the recording below takes a while (the C
    // receivers write every arrival), and edits sent meanwhile are not in the window's deliveries.
    const edits = set.editsSent - sent0;
    const drops = dropsBetween(drops0, kernelDrops());
    const cpu = serverCpu();
    const genShares = genCpu();
    if (spread) await set.stopRecording();
    else set.recording = false;
    const gen = spread ? genShares.total : genShares;
    const generatorCoreCount = spread ? generatorCores.split(',').length : 1;
    const serverCoreBusy = serverCore();
    const generatorCoreBusy = generatorCore();
    const heldBack = { ...heldBackBetween(socketsBefore, await serverSockets(port)), receiveDrops: drops.receive, backlogDrops: drops.backlog };
    const lat = set.latencies;
    const writerLate = { p50: percentile(set.writerLate, 50), p99: percentile(set.writerLate, 99), max: percentile(set.writerLate, 100), n: set.writerLate.length };
    const readLag = set.readLag;
    const due = {
      cores: generatorCoreCount,
      dueEditsPerSec: rooms * writersPerRoom * editsPerSecond,
      editIntervalMs: 1000 / editsPerSecond,
      writers: rooms * writersPerRoom,
      windowSeconds: seconds,
    };
    const { validityRule, invalidBecause } = judge({ thin: THIN, generatorCpu: gen, editsPerSec: edits / seconds, writerLate, readLag, heldBack }, due, limits);
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
      // What the point's validity is judged against (validity.mjs): the generator's cores, the writers' due rate.
      ...due,
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
      // Whether the server waited on the receivers in the window: its sockets' TCP_INFO and the kernel's
      // drop counters (heldBack.mjs); resent segments and backlog drops beside, not judged.
      heldBack,
      // Which rule decided INVALID, `kept-up` (native) or `cpu` (lean, ws), and what failed (validity.mjs).
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
