/**
 * Abuse of the document socket (DESIGN.md section 9): malformed frames, thousands of random byte
 * strings sent as Yjs updates, oversized frames, floods and an over-size document. Each closes only
 * the offender, with its close code, while another client keeps editing and the process stays up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES } from '@huntroom/shared';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, rawSocket, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

/** A sync message (type 0) of sub-type `sub` carrying `payload` as its update. */
function syncMessage(payload: Uint8Array, sub = 2): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

describe('collab: abuse', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let docId: string;
  let witness: Client;
  let typed = 0;
  beforeAll(async () => {
    server = await startCollabServer({ maxFrameBytes: 256 * 1024, maxDocumentBytes: 512 * 1024, updatesPerSecond: 50, updateBurst: 100 });
    alice = await loginAs(server.url, 'alice');
    ben = await loginAs(server.url, 'ben');
    docId = (await alice.post(`/api/workspaces/${server.demo!.workspaceId}/notes`, { title: 'target' })).body.docId;
    witness = connect(server, docId, alice);
    await synced(witness);
  });
  afterAll(async () => {
    witness.destroy();
    await server.stop();
  });

  /** The witness types and a second honest client sees it: the room still works. */
  async function roomStillWorks(): Promise<void> {
    const marker = `ok${typed++};`;
    witness.text.insert(witness.text.length, marker);
    const reader = connect(server, docId, ben);
    await synced(reader);
    await eventually(() => expect(reader.text.toString()).toContain(marker));
    reader.destroy();
    expect(witness.provider.wsconnected).toBe(true);
  }

  it('closes a socket that sends malformed frames with 4400, and only that socket', async () => {
    const cases: (Uint8Array | string)[] = [
      new Uint8Array([]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      new Uint8Array([0, 2]), // update without payload
      new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0x7f, 1]), // payload length far past the frame
      new Uint8Array([0, 9, 0]), // unknown sync sub-type
      new Uint8Array([42]), // unknown message type
      new Uint8Array([1, 3, 1, 2, 3]), // awareness garbage
      'text frame',
    ];
    for (const frame of cases) {
      const raw = rawSocket(server, docId, alice.cookie);
      await raw.opened;
      raw.ws.send(frame);
      const closed = await raw.closed;
      expect(closed.code, `frame ${String(frame)}`).toBe(CLOSE_CODES.badMessage);
    }
    await roomStillWorks();
  });

  it('survives 3,000 random byte strings sent as Yjs updates, one socket each; the room keeps working', async () => {
    const codes = new Map<number, number>();
    const started = performance.now();
    /** One socket, one random update: the server either closes it (4400) or accepts harmless bytes. */
    const one = async (i: number) => {
      const raw = rawSocket(server, docId, alice.cookie);
      await raw.opened;
      raw.ws.send(syncMessage(randomBytes(1 + ((i * 7919) % 300))));
      const timer = setTimeout(() => raw.ws.close(1000), 300);
      const { code } = await raw.closed;
      clearTimeout(timer);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    };
    // 50 at a time: under the per-account socket limit (64), so every string reaches the receiver.
    for (let i = 0; i < 3_000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => one(i + k)));
    const ms = performance.now() - started;
    console.log(`3000 random updates, one socket each, in ${ms.toFixed(0)} ms; close codes`, Object.fromEntries(codes));
    expect([...codes.values()].reduce((a, b) => a + b)).toBe(3_000);
    expect([...codes.keys()].every((c) => c === CLOSE_CODES.badMessage || c === 1000)).toBe(true);
    expect(codes.get(CLOSE_CODES.badMessage) ?? 0).toBeGreaterThan(2_000);
    await roomStillWorks();
  });

  it('ignores whatever one socket sends after its first bad update', async () => {
    const raw = rawSocket(server, docId, alice.cookie);
    await raw.opened;
    for (let i = 0; i < 200; i++) raw.ws.send(syncMessage(randomBytes(64)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    await roomStillWorks();
  });

  it('closes an oversized frame with 1009 (ws maxPayload) and keeps the room', async () => {
    const raw = rawSocket(server, docId, alice.cookie);
    await raw.opened;
    raw.ws.send(syncMessage(new Uint8Array(300 * 1024)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.messageTooBig);
    await roomStillWorks();
  });

  it('closes a flood of updates with 4529', async () => {
    const raw = rawSocket(server, docId, alice.cookie);
    await raw.opened;
    const d = new Y.Doc();
    for (let i = 0; i < 400; i++) {
      const before = Y.encodeStateVector(d);
      d.getText('flood').insert(0, 'x');
      raw.ws.send(syncMessage(Y.encodeStateAsUpdate(d, before)));
    }
    expect((await raw.closed).code).toBe(CLOSE_CODES.rateLimited);
    await roomStillWorks();
  });

  it('refuses updates that would take the document past its maximum size with 4413', async () => {
    const raw = rawSocket(server, docId, alice.cookie);
    await raw.opened;
    const d = new Y.Doc();
    const chunk = 'A'.repeat(200 * 1024);
    const closed = raw.closed;
    for (let i = 0; i < 4; i++) {
      const before = Y.encodeStateVector(d);
      d.getText('big').insert(0, chunk);
      raw.ws.send(syncMessage(Y.encodeStateAsUpdate(d, before)));
    }
    expect((await closed).code).toBe(CLOSE_CODES.documentTooLarge);
    expect(witness.provider.wsconnected).toBe(true);
  });
});
