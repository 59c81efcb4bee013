/**
 * When a fan-out or hot-room point is INVALID: the generator, not the server, may have been measured.
 * One function for the point as it is measured (fanout.mjs) and for a stored run judged again
 * (rejudge.mjs), so the rule a report states is the rule its verdicts used.
 *
 *   - lean and ws receivers timestamp an arrival in JavaScript when they read it, so a busy generator
 *     adds its own delay to every latency: INVALID when its CPU passes `maxGeneratorCpu` (0.7).
 *   - native receivers take the kernel's receive stamp, so the generator's delay in reading is in no
 *     latency. What a generator that does not keep up still changes is the load it offers and, through
 *     TCP, the server. So:
 *       - the writers sent fewer edits than due (under `minEditRate`, 98%, of their rate): less load;
 *       - the writers' lateness p99 passes `maxWriterLate` (0.1) of the interval between one writer's
 *         edits (10 ms at 10 edits/s, 25 ms at 4/s): edits leaving outside their slot. A late edit is
 *         timed from when it left, so lateness is in no latency; within a tenth of the interval the
 *         load is the one intended. (An absolute 5 ms was tried first: at 20 x 400 on a quiet machine
 *         the writers' process, sharing its core with the C readers, woke 4-9 ms late with the
 *         generator at 40% of its core, for every server alike; the load it offered was the due one.)
 *       - the server waited on the receivers in the window (`heldBack`, heldBack.mjs): on the server's
 *         side of its connections the kernel counted time limited by a receiver's window or by the
 *         send buffer, or it counted a segment dropped by a receiving socket. That is how a reader
 *         that falls behind reaches a server, read off the server's sockets for every server alike;
 *       - the read lag p99 passes the interval between two updates to one socket (100 ms for a room
 *         with one writer at 10 edits/s, 25 ms for 10 writers at 4/s): a reader that falls further
 *         behind than that leaves updates queued in its sockets. `maxReadLagMs` sets a fixed bound
 *         instead. Until 2026-12-01 that was 20 ms for every point, a stand-in for the server being
 *         held back before the bench read that off the server's sockets: at 20 x 500-600 points were
 *         INVALID at read lag p99 33-43 ms that held no server socket back (docs/performance.md,
 *         "The ramp's validity rule, read off the server's sockets"). A stored point without
 *         `heldBack` (before then) is judged on the read lag alone, with the same bounds;
 *       - or the generator's CPU passes `maxGeneratorCpuNative` (0.9) of its cores: saturated, its
 *         reads could fall behind without bound.
 */

/**
 * `limits` from config.mjs; `point` needs thin, generatorCpu, editsPerSec, writerLate, readLag,
 * writersPerRoom and (measured since 2026-12-01) heldBack; the second argument: the generator's
 * cores, the edits due per second (all writers), the interval between one writer's edits (ms), the
 * number of writers and the window's length (s).
 */
export function judge(point, { cores, dueEditsPerSec, editIntervalMs, writers, windowSeconds }, limits) {
  const share = point.generatorCpu / cores;
  if (point.thin !== 'native') {
    return { validityRule: 'cpu', invalidBecause: share > limits.maxGeneratorCpu ? [`generator CPU ${pct(share)} > ${pct(limits.maxGeneratorCpu)}`] : [] };
  }
  const lateLimit = limits.maxWriterLate * editIntervalMs;
  const { writerLate, readLag, heldBack } = point;
  // One update per writer of the room per edit interval reaches each socket.
  const lagLimit = limits.maxReadLagMs ?? editIntervalMs / (point.writersPerRoom ?? 1);
  return {
    validityRule: heldBack ? 'held-back' : 'kept-up',
    invalidBecause: [
      !writerLate?.n && 'no edit sent in the window',
      // Each writer may be one edit short by where the window cut its timer (12 or 13 edits in 3 s at 4/s).
      point.editsPerSec < limits.minEditRate * dueEditsPerSec - writers / windowSeconds && `writers sent ${point.editsPerSec.toFixed(0)} edits/s of ${dueEditsPerSec} due`,
      writerLate?.p99 > lateLimit && `writers late p99 ${writerLate.p99.toFixed(1)} ms > ${lateLimit.toFixed(0)}`,
      // No stamped update read (a server that sent nothing): no read lag to judge.
      readLag?.p99 > lagLimit && `read lag p99 ${readLag.p99.toFixed(1)} ms > ${+lagLimit.toFixed(1)}`,
      heldBack?.rwndLimited > 0 && `${heldBack.rwndLimited} server sockets limited by the receiver's window`,
      heldBack?.sndbufLimited > 0 && `${heldBack.sndbufLimited} server sockets limited by their send buffer`,
      heldBack?.receiveDrops > 0 && `${heldBack.receiveDrops} segments dropped by receiving sockets`,
      share > limits.maxGeneratorCpuNative && `generator CPU ${pct(share)} > ${pct(limits.maxGeneratorCpuNative)}`,
    ].filter(Boolean),
  };
}

const pct = (x) => `${Math.round(x * 100)}%`;

/** The limits of a run, from its config (config.mjs, or a stored run's `config`). */
export const limitsOf = (config) => ({
  maxGeneratorCpu: config.maxGeneratorCpu,
  maxGeneratorCpuNative: config.maxGeneratorCpuNative,
  maxWriterLate: config.maxWriterLate,
  minEditRate: config.minEditRate,
  maxReadLagMs: config.maxReadLagMs,
});
