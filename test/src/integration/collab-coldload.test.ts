/**
 * Cold load of a large note while another room edits (issue 21, "cold load"): opening a note of
 * 120,000 single-character edits at scattered positions (1.2 MB), stored in SQLite, must not stop the
 * node's other rooms for the time Yjs needs to integrate it (about 0.3 s of CPU in one call before the
 * change, and over a second of wall time on a busy machine). The node decodes it in a worker and
 * builds the live document in slices.
 *
 * The node runs in this process, so anything that stops the server's event loop stops this test's
 * clients too: the other room's receiver sees it as a gap between deliveries. The opener and the
 * client editing during the load are raw sockets that only collect bytes (a y-websocket client would
 * integrate the note here, in the same thread, and the gap would be the test's own).
 *
 * Two bounds, both missed by a load done in one call: the other room's longest delivery gap, relative
 * to how long the load took (a slow machine slows both; one call shows a gap as long as the load);
 * and the main thread's own CPU time between two ticks of a 2 ms timer (Linux schedstat), which does
 * not count waiting for a core, so it holds on a machine busy with other suites.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { startHuntroom } from '@huntroom/server';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, rawSocket, synced, type Client } from '../helpers/yjs.js';
import { DEMO_ACCOUNTS, GENEROUS_LIMITS } from '../helpers/server.js';

const EDITS = 120_000;
/**
 * Main-thread CPU between two timer ticks at most. The build before (one call) took 276 ms of it for this
 * note; sliced, 24 to 28 ms on a quiet machine (2026-11-30). The longer stretches this bound once allowed
 * (130 to 297 ms, then unexplained) were the edit made during the load, when it came from a client
 * that had nothing: Yjs' conflict scan of that one insert walked the whole note (a CPU profile showed
 * it in Item.integrate, under the connection's drain after the load).
 */
const MAX_TURN_CPU_MS = 100;

type Node = Awaited<ReturnType<typeof startHuntroom>>;

function start(dataDir: string): Promise<Node> {
  return startHuntroom({
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...DEMO_ACCOUNTS, ...GENEROUS_LIMITS },
    collab: { unloadDelayMs: 200 },
  });
}

/** A note as people make it: one client's single-character edits at scattered positions. */
function scatteredNote(edits: number): Uint8Array {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const doc = new Y.Doc();
  doc.clientID = 1;
  const text = doc.getText('t');
  for (let i = 0; i < edits; i++) text.insert(Math.floor(rand() * (text.length + 1)), 'etaoin shrdlu'[Math.floor(rand() * 13)]!);
  return Y.encodeStateAsUpdate(doc);
}

const syncMessage = (sub: number, payload: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
};

/** The Yjs payloads of the sync step 2 and updates a raw socket received, in order. */
function received(messages: Uint8Array[]): { step2: Uint8Array | undefined; updates: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  let step2: Uint8Array | undefined;
  for (const m of messages) {
    const d = decoding.createDecoder(m);
    if (decoding.readVarUint(d) !== 0) continue;
    const sub = decoding.readVarUint(d);
    if (sub === 0) continue;
    const payload = decoding.readVarUint8Array(d);
    if (sub === 1) step2 ??= payload;
    updates.push(payload);
  }
  return { step2, updates };
}

/** This thread's CPU time in ms (Linux), or undefined where the OS does not tell it. */
const SCHEDSTAT = '/proc/thread-self/schedstat';
const threadCpuMs = (): number | undefined => (existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'latin1').split(' ', 1)[0]) / 1e6 : undefined);

/** The longest wall-clock gap and main-thread CPU time between two ticks of a 2 ms timer, from now to `stop()`. */
function turnWatch(): { stop(): { wallMs: number; cpuMs: number | undefined } } {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let wallMs = 0;
  let cpuMs: number | undefined;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    wallMs = Math.max(wallMs, now - last);
    if (cpu !== undefined && lastCpu !== undefined) cpuMs = Math.max(cpuMs ?? 0, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  }, 2);
  return {
    stop() {
      clearInterval(timer);
      return { wallMs, cpuMs };
    },
  };
}

describe('collab: cold load of a large note', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-coldload-'));
  const nodes: Node[] = [];
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const n of nodes) await n.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens it whole, keeps an edit made during the load, and the other rooms keep flowing meanwhile', { timeout: 240_000 }, async () => {
    const state = scatteredNote(EDITS);
    expect(state.byteLength).toBeGreaterThan(400_000);
    // The edit a second client makes while the note loads: a client that holds the note from its
    // offline copy (y-indexeddb in the web client) and types in the middle of it. Its update names
    // items of the note as its neighbours, as a reconnecting client's does. (Not a client that had
    // nothing: its edit would be concurrent with every item of the note, and Yjs' conflict scan of
    // one such insert walks the whole text, 250-300 ms of CPU for this note on a slow machine; that is
    // Yjs' cost of the edit, charged to the sender's budget, not the load's, which this test bounds.)
    const during = new Y.Doc();
    during.clientID = 4242;
    Y.applyUpdate(during, state);
    const noteVector = Y.encodeStateVector(during);
    during.getText('t').insert(Math.floor(EDITS / 2), '[edited during the load]');
    const edit = Y.encodeStateAsUpdate(during, noteVector);
    const want = during.getText('t').toString();
    // Not kept: the heap this process collects during the open is the node's and the test's together.
    during.destroy();

    // 1. The note stored as one row (as compaction leaves it), then a fresh node: it is only in SQLite.
    let node = await start(dataDir);
    nodes.push(node);
    let alice: ApiClient = await loginAs(node.url, 'alice');
    const workspaceId = node.demo!.workspaceId;
    const big = (await alice.post(`/api/workspaces/${workspaceId}/notes`, { title: 'large note' })).body.docId as string;
    const other = (await alice.post(`/api/workspaces/${workspaceId}/notes`, { title: 'other room' })).body.docId as string;
    await node.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [big, Buffer.from(state)]);
    await node.close();
    node = await start(dataDir);
    nodes.push(node);
    alice = await loginAs(node.url, 'alice');

    // 2. Another room edits every 20 ms and is watched.
    const writer = connect(node, other, alice);
    const watcher = connect(node, other, alice);
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    const arrivals: number[] = [];
    watcher.doc.on('update', () => arrivals.push(performance.now()));
    let n = 0;
    const typing = setInterval(() => writer.text.insert(writer.text.length, String(n++ % 10)), 20);
    try {
      await eventually(() => expect(arrivals.length).toBeGreaterThan(20), 30_000);

      // 3. Open the note cold; a second client edits while it loads (its edit waits in its queue).
      const turns = turnWatch();
      const openedAt = performance.now();
      const opener = rawSocket(node, big, alice.cookie);
      const editor = rawSocket(node, big, alice.cookie);
      await Promise.all([opener.opened, editor.opened]);
      opener.ws.send(syncMessage(0, new Uint8Array([0])));
      editor.ws.send(syncMessage(2, edit));
      await eventually(() => expect(received(opener.messages).step2).toBeDefined(), 120_000, 5);
      const openMs = performance.now() - openedAt;
      // Other rooms' deliveries until a moment after the load.
      const until = performance.now() + 300;
      await eventually(() => expect(performance.now()).toBeGreaterThan(until), 5_000, 10);
      const turn = turns.stop();
      const window = arrivals.filter((t) => t >= openedAt && t <= until);
      const gaps = window.slice(1).map((t, i) => t - window[i]!);
      const maxGap = Math.max(...gaps, window.length ? window[0]! - openedAt : Infinity);

      // (a) The opener got the whole note, and then the edit made during the load.
      await eventually(() => {
        const got = new Y.Doc();
        for (const u of received(opener.messages).updates) Y.applyUpdate(got, u);
        expect(got.getText('t').toString()).toBe(want);
      }, 30_000);
      const first = new Y.Doc();
      Y.applyUpdate(first, received(opener.messages).step2!);
      // Its sync step 2 alone was complete: never a part of the note presented as all of it.
      expect(first.getText('t').length).toBeGreaterThanOrEqual(EDITS);

      // (c) The other room kept flowing, and the main thread never worked long without yielding.
      console.log(
        `cold open of ${state.byteLength} bytes: ${openMs.toFixed(0)} ms; other room: ${window.length} deliveries, longest gap ${maxGap.toFixed(0)} ms; ` +
          `longest timer gap ${turn.wallMs.toFixed(0)} ms, main-thread CPU between ticks at most ${turn.cpuMs?.toFixed(0) ?? 'n/a'} ms`,
      );
      expect(window.length).toBeGreaterThan(5);
      expect(maxGap).toBeLessThan(Math.max(150, openMs / 3));
      if (turn.cpuMs !== undefined) expect(turn.cpuMs).toBeLessThan(MAX_TURN_CPU_MS);

      opener.ws.close();
      editor.ws.close();
    } finally {
      clearInterval(typing);
    }

    // (b) The edit made during the load was stored: it survives a restart, with the whole note.
    for (const c of clients.splice(0)) c.destroy();
    await node.close();
    node = await start(dataDir);
    nodes.push(node);
    alice = await loginAs(node.url, 'alice');
    const after = connect(node, big, alice);
    clients.push(after);
    await synced(after, 60_000);
    expect(after.text.toString()).toBe(want);
  });
});
