/**
 * Did the load generator hold a server back? Read off the server's own side of its connections, by
 * the kernel, the same way for every server however it is written: `ss -ti` (iproute2's sock_diag
 * query, TCP_INFO of each socket) for the established sockets whose local port is the server's.
 *
 * The receivers' arrival times are the kernel's receive stamps and an edit is timed from when it left,
 * so a receiver that reads late is in no latency (validity.mjs). What a late reader can still do to a
 * server is through TCP itself, and the kernel counts each way for each socket:
 *   - `rwnd_limited`: the server had data to send and the receiver's window was full (unread data);
 *   - `sndbuf_limited`: the server's send buffer was full (data not yet taken or acknowledged);
 *   - a segment dropped by a receiving socket (its queue or backlog full, the machine's TCP memory
 *     short): the kernel's own counters (/proc/net/netstat), machine-wide, so while a point runs
 *     only the bench's sockets move them. A dropped segment is resent after 200 ms or more.
 * Reported beside, not judged on: segments the server resent (TCP_INFO), split into those the
 * receiver reported back as duplicates (D-SACK: TCP's loss probe went out before the receiver's
 * delayed ACK, with one segment in flight after 200 ms; at 20 x 500 a few hundred a point for every
 * server, the receivers 2-20 ms behind) and the rest; and segments dropped in each core's backlog
 * queue (/proc/net/softnet_stat): on loopback a send is queued on the sending core, the server's, and
 * dropped when over 1,000 wait there for that core's softirq: the server's core, not the receivers.
 * The rest are not judged either: in the 2026-12-01 run up to a few hundred a point came with no
 * receive drop (and, but at one point, no backlog drop), so they are not segments a receiver failed
 * to take; the kernel counts retransmissions in segments and D-SACKs by the ranges they report, so
 * the two counts need not match.
 * A snapshot before the measured window and one after it; any growth between them means the server
 * waited on the generator in the window (the second snapshot is later than the window's end, so a
 * point can only be judged stricter by it, not more leniently).
 *
 * ss prints the two times in whole ms, and only when not zero: a socket is counted as held back when
 * a field is there after the window and either was not there before or grew.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Per socket of the server's (keyed by its two addresses): `{ rwndMs, sndbufMs, retrans }`, times null when absent. */
export async function serverSockets(port) {
  const { stdout } = await run('ss', ['-tinH', 'state', 'established', `( sport = :${port} )`], { maxBuffer: 256 * 1024 * 1024 }).catch((err) => {
    // Without it no point could be judged: say what is missing rather than "spawn ss ENOENT".
    if (err.code === 'ENOENT') throw new Error('bench: `ss` (iproute2) is needed to judge the fan-out and hot-room points (heldBack.mjs)');
    throw err;
  });
  const sockets = new Map();
  let key;
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    // The addresses on one line, the info on the next (indented).
    if (!/^\s/.test(line)) {
      key = line.trim().split(/\s+/).slice(-2).join(' ');
      continue;
    }
    if (key === undefined) continue;
    sockets.set(key, {
      rwndMs: field(line, /\brwnd_limited:(\d+)ms/),
      sndbufMs: field(line, /\bsndbuf_limited:(\d+)ms/),
      // `retrans:<now>/<total>`, printed when either is not zero.
      retrans: field(line, /\bretrans:\d+\/(\d+)/) ?? 0,
      // Retransmissions the receiver reported as duplicates (D-SACK): the first copy had arrived.
      dsackDups: field(line, /\bdsack_dups:(\d+)/) ?? 0,
    });
    key = undefined;
  }
  return sockets;
}

const field = (line, re) => {
  const m = re.exec(line);
  return m ? Number(m[1]) : null;
};

/**
 * What changed between two snapshots of the same server: sockets held back by the receiver's window
 * or by the send buffer, retransmissions of lost segments, retransmissions the receiver reported as
 * duplicates, and how many sockets both snapshots saw.
 */
export function heldBackBetween(before, after) {
  let rwndLimited = 0;
  let sndbufLimited = 0;
  let retransmits = 0;
  let duplicates = 0;
  let sockets = 0;
  const grew = (a, b) => a !== null && (b === null || a > b);
  for (const [key, a] of after) {
    const b = before.get(key) ?? { rwndMs: null, sndbufMs: null, retrans: 0, dsackDups: 0 };
    if (before.has(key)) sockets++;
    if (grew(a.rwndMs, b.rwndMs)) rwndLimited++;
    if (grew(a.sndbufMs, b.sndbufMs)) sndbufLimited++;
    const resent = Math.max(0, a.retrans - b.retrans);
    const dup = Math.min(resent, Math.max(0, a.dsackDups - b.dsackDups));
    retransmits += resent - dup;
    duplicates += dup;
  }
  return { sockets, rwndLimited, sndbufLimited, retransmits, duplicates };
}

/** The port of a target's URL (every socket of one server instance goes to the same one). */
export const portOf = (url) => Number(new URL(url).port);

/** Receive-side drop counters of TcpExt (/proc/net/netstat): a receiving socket that could not take a segment. */
const RECEIVE_DROPS = ['TCPBacklogDrop', 'TCPRcvQDrop', 'TCPZeroWindowDrop', 'PruneCalled', 'RcvPruned', 'OfoPruned', 'TCPOFODrop', 'PFMemallocDrop'];

/** The machine's drop counters now: receive-side drops (summed) and each core's backlog drops. */
export function kernelDrops() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  let receive = 0;
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (!lines[i].startsWith('TcpExt:')) continue;
    const names = lines[i].split(/\s+/);
    const values = lines[i + 1].split(/\s+/);
    names.forEach((name, k) => {
      if (RECEIVE_DROPS.includes(name)) receive += Number(values[k]);
    });
  }
  // One line per core, hexadecimal: packets processed, dropped (backlog full), ...
  const backlog = readFileSync('/proc/net/softnet_stat', 'utf8')
    .trim()
    .split('\n')
    .map((line) => parseInt(line.split(/\s+/)[1], 16));
  return { receive, backlog };
}

/** Drops between two kernelDrops() readings: receive-side, and in the cores' backlog queues (all cores). */
export const dropsBetween = (before, after) => ({
  receive: after.receive - before.receive,
  backlog: after.backlog.reduce((sum, n, core) => sum + n - (before.backlog[core] ?? 0), 0),
});
