/**
 * The reconnect-storm cache of the document server (server/src/collab/fullSync.ts): a client with an
 * empty state vector gets a large document as a snapshot taken earlier plus the updates since (sent
 * first, so the client is whole when its step 2 arrives), not a fresh encode. Every such client must
 * still get the latest stored state: after an insert, after a delete of the snapshot's own text, and
 * after so many changes that the snapshot is dropped and taken again. Answers to clients with state
 * are kept per state vector: two clients holding the same state get the same (right) answer; for a
 * large note a change after it is sent before the kept answer (and after 256 changes the answer is
 * encoded afresh), for a small one the change ends the kept answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, rawSocket, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

/**
 * What a client receives, in order, up to its sync step 2, and the state it builds: a client with
 * nothing (sync step 1 with an empty state vector), or one holding `had` (a Yjs update) already.
 */
async function fullState(server: TestServer, docId: string, cookie: string, had?: Uint8Array): Promise<{ kinds: string[]; text: string; state: Uint8Array }> {
  const raw = rawSocket(server, docId, cookie);
  await raw.opened;
  const doc = new Y.Doc();
  if (had) Y.applyUpdate(doc, had);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  raw.ws.send(encoding.toUint8Array(e));
  const kinds: string[] = [];
  let read = 0;
  await eventually(() => {
    for (; read < raw.messages.length; read++) {
      const d = decoding.createDecoder(raw.messages[read]!);
      if (decoding.readVarUint(d) !== 0) continue; // awareness
      const sub = decoding.readVarUint(d);
      if (sub === 0) continue; // the server's own step 1
      kinds.push(sub === 1 ? 'step2' : 'update');
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    }
    expect(kinds).toContain('step2');
  }, 15_000);
  raw.ws.close();
  const text = doc.getText('t').toString();
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { kinds, text, state };
}

describe('collab: full-state answers during reconnect storms', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  beforeAll(async () => {
    server = await startCollabServer({ updatesPerSecond: 10_000, updateBurst: 10_000 });
    alice = await loginAs(server.url, 'alice');
    ben = await loginAs(server.url, 'ben');
  });
  afterAll(() => server.stop());

  it('a small note keeps answers to clients with state only until its next change', async () => {
    const res = await alice.post(`/api/workspaces/${server.demo!.workspaceId}/notes`, { title: 'small' });
    const { docId } = res.body as { docId: string };
    const writer: Client = connect(server, docId, alice);
    const watcher: Client = connect(server, docId, ben);
    await Promise.all([synced(writer), synced(watcher)]);
    writer.text.insert(0, 'a short note');
    await eventually(() => expect(watcher.text.toString()).toBe('a short note'), 15_000);
    const held = Y.encodeStateAsUpdate(writer.doc);
    writer.text.insert(0, 'still ');
    await eventually(() => expect(watcher.text.toString()).toBe('still a short note'), 15_000);
    const first = await fullState(server, docId, alice.cookie!, held);
    expect(first).toMatchObject({ kinds: ['step2'], text: 'still a short note' });
    writer.text.insert(writer.text.length, '!');
    await eventually(() => expect(watcher.text.toString()).toBe('still a short note!'), 15_000);
    // Cheap to encode: a fresh answer, no changes sent before it.
    const second = await fullState(server, docId, ben.cookie!, held);
    expect(second).toMatchObject({ kinds: ['step2'], text: 'still a short note!' });
    for (const c of [writer, watcher]) c.destroy();
  });

  it('a client with nothing gets the latest state of a large note: snapshot plus changes, then a fresh snapshot', async () => {
    const res = await alice.post(`/api/workspaces/${server.demo!.workspaceId}/notes`, { title: 'large' });
    expect(res.status).toBe(201);
    const { docId } = res.body as { docId: string };
    const writer: Client = connect(server, docId, alice);
    const watcher: Client = connect(server, docId, ben);
    await Promise.all([synced(writer), synced(watcher)]);
    const stored = () => eventually(() => expect(watcher.text.toString()).toBe(writer.text.toString()), 15_000);
    // Over the 64 KiB below which no snapshot is kept; each update under the 32 KiB trial size.
    for (let i = 0; i < 4; i++) writer.text.insert(writer.text.length, `${i}`.repeat(30_000));
    await stored();

    // The first client takes the snapshot: the whole state in its step 2, nothing before it.
    const first = await fullState(server, docId, alice.cookie!);
    expect(first.kinds).toEqual(['step2']);
    expect(first.text).toBe(writer.text.toString());

    // After an insert and a delete inside the snapshot's text: the changes first, then the snapshot.
    writer.text.insert(writer.text.length, ' appended after the snapshot');
    await stored();
    const second = await fullState(server, docId, alice.cookie!);
    expect(second.kinds).toEqual(['update', 'step2']);
    expect(second.text).toBe(writer.text.toString());
    writer.text.delete(100, 29_000);
    await stored();
    const third = await fullState(server, docId, ben.cookie!);
    expect(third.kinds).toEqual(['update', 'step2']);
    expect(third.text).toBe(writer.text.toString());
    expect(third.text).toHaveLength(120_000 + ' appended after the snapshot'.length - 29_000);

    // Past 256 changes the snapshot is dropped; the next client takes a fresh one.
    for (let i = 0; i < 300; i++) writer.text.insert(writer.text.length, '.');
    await stored();
    const fresh = await fullState(server, docId, alice.cookie!);
    expect(fresh.kinds).toEqual(['step2']);
    expect(fresh.text).toBe(writer.text.toString());
    writer.text.insert(0, 'and after the fresh one ');
    await stored();
    const last = await fullState(server, docId, alice.cookie!);
    expect(last.kinds).toEqual(['update', 'step2']);
    expect(last.text).toBe(writer.text.toString());

    // Clients that hold the state of a moment ago (the same state vector) get the change since; the
    // second one's answer is the first one's, and a later change is not missed by a kept answer.
    writer.text.insert(5, 'changed while they were away ');
    await stored();
    for (const who of [alice, ben]) {
      const back = await fullState(server, docId, who.cookie!, last.state);
      expect(back.kinds).toEqual(['step2']);
      expect(back.text).toBe(writer.text.toString());
    }
    // After a change the kept answer is still the one sent, with the change since sent first (a large
    // note: no fresh encode of the whole note per reconnecting client while a writer types).
    writer.text.delete(0, 3);
    writer.text.insert(writer.text.length, ' and one more change');
    await stored();
    const again = await fullState(server, docId, alice.cookie!, last.state);
    expect(again.kinds).toEqual(['update', 'step2']);
    expect(again.text).toBe(writer.text.toString());
    // Past 256 changes the kept answers are dropped: the next client holding that state gets a fresh one.
    for (let i = 0; i < 300; i++) writer.text.insert(i, ',');
    await stored();
    const refreshed = await fullState(server, docId, ben.cookie!, last.state);
    expect(refreshed.kinds).toEqual(['step2']);
    expect(refreshed.text).toBe(writer.text.toString());

    // Two y-websocket clients holding the same state, back after changes made while they were away: the
    // second gets the first one's kept answer and the change made between them, and is whole when it
    // reports synced.
    const away = [connect(server, docId, alice), connect(server, docId, ben)];
    await Promise.all(away.map((c) => synced(c)));
    for (const c of away) c.provider.disconnect();
    writer.text.insert(10, 'while both were away ');
    await stored();
    const syncedText = (c: Client) =>
      new Promise<string>((resolve) => {
        c.provider.once('sync', () => resolve(c.text.toString()));
        c.provider.connect();
      });
    expect(await syncedText(away[0]!)).toBe(writer.text.toString());
    writer.text.insert(20, 'between the two ');
    await stored();
    expect(await syncedText(away[1]!)).toBe(writer.text.toString());
    for (const c of away) c.destroy();

    // A y-websocket client with nothing is whole when it reports synced.
    const late = connect(server, docId, ben);
    await synced(late);
    expect(late.text.toString()).toBe(writer.text.toString());
    for (const c of [late, writer, watcher]) c.destroy();
  });
});
