/**
 * Markdown tables of the medians, the servers side by side (adjacent rows) in each scenario. Every
 * number comes from the results object of this run; a point marked INVALID (in at least one repeat:
 * the load generator over its CPU limit, or, for the native receivers, not keeping up) says so in its
 * row, with what failed where the point records it.
 */
const f = (v, digits = 1) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const pct = (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : 'n/a');
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
/** Fan-out and hot room: writers' lateness p99 / max and the native receivers' read lag p99 / max, ms. */
const keptUp = (p) => `${f(p.writerLate?.p99, 2)} / ${f(p.writerLate?.max, 1)}`;
const readLag = (p) => (p.readLag ? `${f(p.readLag.p99, 1)} / ${f(p.readLag.max, 1)}` : 'n/a');
/** The fan-out's and hot room's columns: what was delivered and what it cost the server. */
const DELIVERY_COLUMNS = ['p50 ms', 'p99 ms', 'max ms', 'deliveries/s', 'expected/s', 'server CPU µs/delivery', 'server CPU'];
/** Then whether the generator kept up, and the point's verdict (validity.mjs). */
const KEPT_UP_COLUMNS = [
  'writers late p99 / max ms',
  'read lag p99 / max ms',
  'server held back: window / buffer / receive drops',
  'resent: not reported back / reported as duplicates; backlog drops',
  'point',
];
/** heldBack.mjs: server sockets limited by a receiver's window, by their send buffer, receive-side drops; beside: the server's resent segments and backlog drops. */
const heldBack = (p) => (p.heldBack ? `${p.heldBack.rwndLimited} / ${p.heldBack.sndbufLimited} / ${p.heldBack.receiveDrops}` : 'n/a');
const resent = (p) => (p.heldBack ? `${p.heldBack.retransmits} / ${p.heldBack.duplicates}; ${p.heldBack.backlogDrops}` : 'n/a');

/** Which rule marks a fan-out or hot-room point INVALID in this run (scenarios/validity.mjs says why). */
const invalidRule = (config) =>
  config.thin === 'native'
    ? `A point is INVALID when the load generator did not keep up: its writers sent under ${pct(config.minEditRate)} of the edits due, or sent them late (p99 over ${pct(config.maxWriterLate)} of the interval between one writer's edits), ` +
      "the server waited on the receivers (on the server's side of its connections the kernel counted time limited by a receiver's window or by the send buffer, or it counted a segment dropped by a receiving socket), " +
      `the native receivers' read lag p99 passed ${config.maxReadLagMs === undefined ? 'the interval between two updates to one socket (100 ms at one writer and 10 edits/s)' : `${config.maxReadLagMs} ms`}, or its CPU passed ${pct(config.maxGeneratorCpuNative)} of its cores (saturated). The receivers take the kernel's receive stamps and an edit is timed from when it left, so the generator's own delays are in no latency; ` +
      'what a slow generator still changes is the load it offers and, through TCP, the server (bench/src/scenarios/validity.mjs, bench/src/heldBack.mjs). ' +
      "Writers late: each edit's send time after its due time; read lag: the time after the read that completed an update minus the kernel's stamp (includes any pause of the receivers between rounds of reads: none by default, NATIVE_PAUSE_US sets one); server held back: in the window, its sockets limited by a receiver's window / by their send buffer / segments dropped by receiving sockets (n/a: measured before the bench read them); resent: segments the server resent that the receiver did not report back as duplicates / that it did (D-SACK: TCP's loss probe went out before the receiver's delayed ACK), and segments dropped in the cores' backlog queues (on loopback the sending core's, the server's): reported, not judged (heldBack.mjs says why)."
    : `A point is INVALID when the load generator's CPU passed ${pct(config.maxGeneratorCpu)} of its cores: the ${config.thin} receivers timestamp an arrival when JavaScript reads it, so a busy generator adds its own delay to the latencies.`;
const validity = (p) => {
  if (p.error) return `failed: ${p.error}`;
  const notes = [];
  if (p.invalid) notes.push(`**INVALID**${p.invalidBecause?.length ? ` (${p.invalidBecause.join('; ')})` : ''}`);
  if (p.disturbed) notes.push('**DISTURBED**');
  if (p.excludedDisturbed) notes.push(`${p.used} of ${p.used + p.excludedDisturbed}`);
  return notes.join(', ') || (p.used ? `${p.used} runs` : 'ok');
};

export function markdown(results) {
  const { machine, versions, labels } = results;
  const parts = [];
  parts.push(`# Document-server benchmark, ${results.date}`);
  parts.push(
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memGiB} GiB, Node ${machine.node}, ${machine.os}. ` +
      `Servers pinned to core 0, load generator to core 1 (thin receivers: the ${results.config.thin ?? 'ws'} client). Medians of ${results.config.repeats} repeats ` +
      `(idle sockets: ${results.config.idle.repeats}). Mode: ${results.config.quick ? 'quick' : 'default'}${results.config.scenarios.includes('cluster') ? ' --all' : ''}. ` +
      'A point with the machine over 25% busy just before it or the server core over 25% busy just after it (other work shares these cores) is run once more and left out of the median ("k of n" in the point column). ' +
      `Peers: ${Object.entries(versions.peers)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; Huntroom at ${versions.huntroom}.`,
  );

  const fo = results.fanout;
  if (fo) {
    parts.push(
      `## Fan-out ramp: ${results.config.fanout.rooms} rooms, ${results.config.fanout.editsPerSecond} edits/s per room, ${results.config.fanout.measureMs / 1000} s measured`,
    );
    const rows = [];
    for (const step of fo.steps) {
      for (const id of Object.keys(fo.median)) {
        const p = fo.median[id]?.[step];
        if (!p) continue;
        rows.push([
          step,
          labels[id],
          f(p.p50, 2),
          f(p.p99, 2),
          f(p.max, 1),
          f(p.deliveriesPerSec, 0),
          f(p.expectedPerSec, 0),
          f(p.cpuPerDeliveryUs, 1),
          pct(p.serverCpuShare),
          f(p.rssMiB, 0),
          pct(p.generatorCpu),
          p.generatorCpuPerProc ? `writers ${pct(p.generatorCpuPerProc[0])}; ${p.generatorProcs} × receivers ${p.generatorCpuPerProc.slice(1).map(pct).join(', ')}` : 'one process',
          `${pct(p.serverCoreBusy)} / ${pct(p.generatorCoreBusy)}`,
          keptUp(p),
          readLag(p),
          heldBack(p),
          resent(p),
          validity(p),
        ]);
      }
    }
    parts.push(
      table(
        ['clients/room', 'server', ...DELIVERY_COLUMNS, 'server RSS MiB', 'generator CPU', 'generator processes: CPU of each', 'core 0 / core 1 busy', ...KEPT_UP_COLUMNS],
        rows,
      ),
    );
    parts.push(
      "Server CPU and generator CPU are the processes' own time (generator: all its processes together, the writers' process first in the per-process list); core busy is the whole core from /proc/stat (kernel softirq for loopback TCP, other processes and steal included). " +
        `Receiver processes pinned to core(s) ${results.config.fanout.generatorCores}. A server is not run at the steps after its p99 passed 100 ms; the ramp stopped: ${fo.stoppedBecause ?? 'after the listed steps'}.`,
    );
    parts.push(invalidRule(results.config));
    parts.push(
      'Clients per room where p99 first passes 100 ms: ' +
        Object.entries(fo.p99Over100)
          .map(([id, step]) => `${labels[id]}: ${step ?? `not within the ramp (up to ${fo.steps.at(-1)})`}`)
          .join('; ') +
        '.',
    );
    parts.push('![p99 against clients per room](fanout-p99.svg)');
  }

  if (results.hotroom) {
    const c = results.config.hotroom;
    parts.push(`## Hot room: ${c.clients.toLocaleString('en-US')} clients in one room, each writer at ${c.editsPerSecond} edits/s`);
    const rows = [];
    for (const writers of results.hotroom.writers) {
      for (const [id, p] of Object.entries(results.hotroom.median[writers])) {
        rows.push([
          writers,
          labels[id],
          f(p.p50, 2),
          f(p.p99, 2),
          f(p.max, 1),
          f(p.deliveriesPerSec, 0),
          f(p.expectedPerSec, 0),
          f(p.cpuPerDeliveryUs, 1),
          pct(p.serverCpuShare),
          pct(p.generatorCpu),
          keptUp(p),
          readLag(p),
          heldBack(p),
          resent(p),
          validity(p),
        ]);
      }
    }
    parts.push(table(['writers', 'server', ...DELIVERY_COLUMNS, 'generator CPU', ...KEPT_UP_COLUMNS], rows));
    parts.push(invalidRule(results.config));
  }

  if (results.awareness) {
    const c = results.config.awareness;
    parts.push(`## Awareness: ${c.rooms} rooms × ${c.clientsPerRoom} clients, ${c.cursors} cursors per room at ${c.hz} Hz, no edits`);
    parts.push(
      table(
        ['server', 'p50 ms', 'p99 ms', 'max ms', 'deliveries/s', 'expected/s', 'server CPU µs/delivery', 'server CPU', 'generator CPU', 'point'],
        Object.entries(results.awareness.median).map(([id, p]) => [
          labels[id],
          f(p.p50, 2),
          f(p.p99, 2),
          f(p.max, 1),
          f(p.deliveriesPerSec, 0),
          f(p.expectedPerSec, 0),
          f(p.cpuPerDeliveryUs, 1),
          pct(p.serverCpuShare),
          pct(p.generatorCpu),
          validity(p),
        ]),
      ),
    );
  }

  if (results.idle) {
    const c = results.config.idle;
    parts.push(`## Idle sockets: ${c.sockets.toLocaleString('en-US')} sockets over ${c.docs.toLocaleString('en-US')} documents`);
    parts.push(
      table(
        [
          'server',
          'connected',
          'failed',
          'RSS before MiB',
          'RSS open MiB',
          'KiB per socket',
          `RSS ${c.afterLeaveMs / 1000} s after leaving MiB`,
          'above baseline MiB',
          'share of growth kept',
          'point',
        ],
        Object.entries(results.idle.median).map(([id, p]) => [
          labels[id],
          f(p.sockets, 0),
          f(p.failed, 0),
          f(p.baseMiB, 1),
          f(p.openMiB, 1),
          f(p.perSocketKiB, 1),
          f(p.afterMiB, 1),
          f(p.afterAboveBaseMiB, 1),
          pct(p.retained),
          validity(p),
        ]),
      ),
    );
  }

  if (results.coldload) {
    const c = results.config.coldload;
    parts.push(`## Cold load of a ${f(results.coldload.docBytes / 1e6, 2)} MB document while ${c.rooms} rooms × ${c.clientsPerRoom} clients edit at ${c.editsPerSecond}/s`);
    parts.push(
      `Stall = longest gap between two deliveries to one receiver in the other rooms, minus the ${1000 / c.editsPerSecond} ms edit interval. ` +
        'Upload: a client sends the document into an empty room. Open: a fresh client opens it (Huntroom: from SQLite after it was unloaded; the peers have no persistence, so from memory).',
    );
    parts.push(
      table(
        [
          'server',
          'baseline max gap ms',
          'upload stall ms',
          'upload max latency ms',
          'uploader cut off',
          'open: load ms',
          'open: from storage',
          'open stall ms',
          'open max latency ms',
          'point',
        ],
        Object.entries(results.coldload.median).map(([id, p]) => [
          labels[id],
          f(p.baselineGapMs, 0),
          f(p.uploadStallMs, 0),
          f(p.uploadMaxLatencyMs, 0),
          `${f(p.uploaderCutOff, 0)}${p.uploaderCloseReasons ? ` (${p.uploaderCloseReasons})` : ''}`,
          f(p.openLoadMs, 0),
          p.openCold ? (p.openStoredDirectly ? 'yes (rest of the cut-off upload stored directly)' : 'yes') : 'no',
          f(p.openStallMs, 0),
          f(p.openMaxLatencyMs, 0),
          validity(p),
        ]),
      ),
    );
  }

  for (const [key, held] of [
    ['reconnect', false],
    ['reconnectHeld', true],
  ]) {
    const r = results[key];
    if (!r) continue;
    const c = results.config.reconnect;
    const note = c.noteEdits ? `, every room holding a note of ${c.noteEdits.toLocaleString('en-US')} single-character edits` : '';
    const coming = held ? ', the clients holding the note (their sync step 1 sends its state vector)' : c.noteEdits ? ', the clients holding nothing (the whole note each)' : '';
    parts.push(
      `## Reconnect: ${c.clients.toLocaleString('en-US')} clients over ${c.rooms} rooms dropped and reconnected within ${c.windowMs / 1000} s, writers editing${note}${coming}`,
    );
    parts.push(
      table(
        [
          'server',
          'clients',
          'reconnect failures',
          'resync p50 ms',
          'resync p99 ms',
          'resync max ms',
          'all re-synced after ms',
          'smallest step 2 bytes',
          'server CPU ms per reconnect (all / less the edits)',
          'edits',
          'lost updates',
          'generator CPU',
          'load average',
          'point',
        ],
        Object.entries(r.median).map(([id, p]) => [
          labels[id],
          f(p.clients, 0),
          f(p.reconnectFailed, 0),
          f(p.resyncP50Ms, 1),
          f(p.resyncP99Ms, 1),
          f(p.resyncMaxMs, 1),
          f(p.allResyncedMs, 0),
          f(p.resyncMinBytes, 0),
          `${f(p.stormCpuPerReconnectMs, 2)} / ${f(p.serverCpuPerReconnectMs, 2)}`,
          f(p.editsSent, 0),
          `${f(p.lostUpdates, 0)} (total over repeats: ${f(r.lostTotal[id], 0)})${p.writersClosed ? `; ${f(p.writersClosed, 0)} writers closed by the server (${p.writerCloseReasons ?? '?'}), their later edits never sent` : ''}`,
          pct(p.generatorCpu),
          f(p.loadAverage, 1),
          validity(p),
        ]),
      ),
    );
    parts.push(
      "Server CPU per reconnect: the server process's CPU time from the first drop to the last resync divided by the reconnects; then the same less what the edits alone cost it over as long (measured in the second before the storm). A writer closed by the server keeps counting its edits as sent, so they show as lost." +
        (held
          ? " Held: each client comes back with the note's state vector, as a y-websocket provider that kept its document sends its own; it holds none of the writers' edits, so each server sends it every edit since the writers began, more than a real client that saw them before the drop would ask for."
          : ''),
    );
  }

  if (results.cluster) {
    const c = results.config.cluster;
    parts.push(`## Two Huntroom nodes (PostgreSQL + Redis): ${c.rooms} rooms × ${c.clientsPerRoom} clients, writer on node A, half the receivers on node B`);
    parts.push('Both nodes pinned to core 0 (they share it); PostgreSQL and Redis unpinned. Huntroom only.');
    parts.push(
      table(
        [
          'server',
          'same node p50 ms',
          'same node p99 ms',
          'other node p50 ms',
          'other node p99 ms',
          'other node max ms',
          'deliveries/s',
          'CPU of both nodes µs/delivery',
          'generator CPU',
          'point',
        ],
        Object.entries(results.cluster.median).map(([id, p]) => [
          labels[id],
          f(p.localP50, 2),
          f(p.localP99, 2),
          f(p.remoteP50, 2),
          f(p.remoteP99, 2),
          f(p.remoteMax, 1),
          f(p.deliveriesPerSec, 0),
          f(p.cpuPerDeliveryUs, 1),
          pct(p.generatorCpu),
          validity(p),
        ]),
      ),
    );
  }

  if (results.exports) parts.push(...exportsSection(results));

  parts.push(`Not measured in this run: ${results.notDone.join('; ')}.`);
  return parts.join('\n\n') + '\n';
}

/**
 * Exports (Huntroom only; the peers have none, so their rows say n/a): per export its time and size and
 * the other clients' waits meanwhile, beside the same with no export running, then the target row.
 */
function exportsSection(results) {
  const c = results.config.exports;
  const { labels } = results;
  const waits = (p, w, kind) => `${f(p[`${w}.${kind}.p50`], 1)} / ${f(p[`${w}.${kind}.p99`], 1)} / ${f(p[`${w}.${kind}.max`], 1)}`;
  const rows = [];
  for (const id of Object.keys(labels)) {
    const p = results.exports.median[id];
    if (!p) {
      rows.push([labels[id], 'n/a (no exports)', ...Array(10).fill('n/a')]);
      continue;
    }
    for (const w of ['idle', ...c.formats]) {
      rows.push([
        labels[id],
        w === 'idle' ? `none (${f(c.idleMs / 1000, 0)} s)` : w,
        w === 'idle' ? '' : f(p[`${w}.ms`] / 1000, 2),
        w === 'idle' ? '' : f(p[`${w}.bytes`] / 2 ** 20, 1),
        waits(p, w, 'health'),
        waits(p, w, 'note'),
        `${f(p[`${w}.clientsLoopDelayMaxMs`], 0)} / ${f(p[`${w}.watcherGapMs`], 0)}`,
        `${f(p[`${w}.mainStretchMs`], 0)} (${f(p[`${w}.mainStretchCpuMs`], 0)} + ${f(p[`${w}.mainStretchWaitMs`], 0)} + ${f(p[`${w}.mainStretchBlockedMs`], 0)}; stolen ${f(p[`${w}.mainStretchStolenMs`], 0)})`,
        f(p[`${w}.serverCoreStolenMs`], 0),
        `${pct(p[`${w}.serverCpu`])} (main thread ${f((p[`${w}.mainCpuMs`] / p[`${w}.ms`]) * 100, 0)}%, waiting for the core ${f(p[`${w}.mainRunqueueMs`], 0)} ms)`,
        pct(p[`${w}.generatorCpu`]),
        validity(p),
      ]);
    }
  }
  const parts = [
    `## Exports of ${c.indicators.toLocaleString('en-US')} indicators as ${c.recipient}: what another client waits meanwhile`,
    `One node with ${c.indicators.toLocaleString('en-US')} indicators and 5,000 sightings; each export downloaded (read and dropped; ${c.gzip === false ? 'asking for no compression' : 'asking for gzip as a browser does, so the size is the bytes sent'}) while another client (a thread of the generator process) ` +
      `asks /healthz (one keep-alive connection, TCP_NODELAY) and sends a note edit from one y-websocket connection to the other every ${c.intervalMs} ms; ` +
      "waits in ms from the request's start to its answer's last byte (the edit: until it arrives on the other connection). " +
      "The clients' own event-loop delay: their thread held up by itself or the generator core (a wait no longer than that may be theirs, not the server's). " +
      "The server's main thread's longest stretch awake: watched from outside by another thread of the generator (its schedstat read every millisecond or so; " +
      "a gap over 5 ms between two readings, the watcher's own, ends a stretch), the longest time it did not sleep; not a bound of how long it read no request " +
      '(working through many short turns it does not sleep either, and asleep on a lock, e.g. a collection waiting for its helper threads, it is not counted); its CPU in that stretch (its own work), its time waiting for the server core (kept off it) and asleep in the kernel (state D: disk, writeback). ' +
      "Stolen: the server core's steal time (/proc/stat, 10 ms ticks), when the hypervisor ran something else; the guest counts it as CPU or waiting of whatever was on the core. " +
      "The server's main thread's CPU share and its time runnable but waiting for the server core (shared with the export's thread and anything else on that core) come from its schedstat. Huntroom only: the peers have no exports.",
    table(
      [
        'server',
        'export',
        'time s',
        'size sent MiB',
        '/healthz p50 / p99 / max ms',
        'note edit p50 / p99 / max ms',
        "clients' own loop delay max / watcher's longest gap ms",
        "server main thread's longest stretch awake ms (CPU + waiting for the core + blocked in the kernel; of it stolen by the hypervisor)",
        'server core stolen in the window ms',
        'server CPU (its main thread: CPU, time waiting for the core)',
        'generator CPU',
        'point',
      ],
      rows,
    ),
  ];
  const target = Object.entries(results.exports.median).map(([id, p]) => {
    // A wait the clients' own thread may have caused (held up half the target or more) does not show a miss of the server's.
    const verdict = p.worstMs <= 50 ? 'met' : p.clientsHeldMs >= 25 ? `missed, but the clients' own thread was held up to ${f(p.clientsHeldMs, 0)} ms` : 'missed';
    return `${labels[id]}: ${f(p.worstMs, 1)} ms during an export (no export: ${f(p.idleWorstMs, 1)} ms), target <= 50 ms: **${verdict}**`;
  });
  parts.push(`Target (issue 21), the longest wait of another client during an export: ${target.join('; ')}.`);
  return parts;
}
