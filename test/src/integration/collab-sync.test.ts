/**
 * The document server with real y-websocket clients: two teams converge, a ticket works where a
 * cookie cannot go, and a document leaves memory after its last client (its content staying stored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('collab: sync', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;
  beforeAll(async () => {
    server = await startCollabServer({ unloadDelayMs: 150 });
    alice = await loginAs(server.url, 'alice');
    ben = await loginAs(server.url, 'ben');
    ws = server.demo!.workspaceId;
  });
  afterAll(() => server.stop());

  const newNote = async (title = 'Beacon analysis') => {
    const res = await alice.post(`/api/workspaces/${ws}/notes`, { title });
    expect(res.status).toBe(201);
    return res.body as { id: string; docId: string; marking: { tlp: string; releasableTo: string[] } };
  };

  it('two teams editing one note converge, concurrent edits included', async () => {
    const note = await newNote();
    expect(note.marking).toEqual({ tlp: 'AMBER', releasableTo: [] });
    const a = connect(server, note.docId, alice);
    const b = connect(server, note.docId, ben);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'C2 at 203.0.113.7. ');
    await eventually(() => expect(b.text.toString()).toBe('C2 at 203.0.113.7. '));
    // Concurrent: both type before seeing the other's edit.
    a.text.insert(a.text.length, 'alice ');
    b.text.insert(0, 'ben ');
    for (let i = 0; i < 50; i++) (i % 2 ? a : b).text.insert(0, String(i % 10));
    await eventually(() => {
      expect(a.text.toString()).toBe(b.text.toString());
      expect(a.text.toString()).toContain('alice');
      expect(a.text.toString()).toContain('ben');
    });
    expect(a.text.length).toBe('C2 at 203.0.113.7. alice ben '.length + 50);
    // Presence: each sees the other's awareness state.
    a.provider.awareness.setLocalStateField('user', { name: 'alice' });
    // (The server writes the user from the session: Alice's display name, whatever the client says.)
    await eventually(() => expect([...b.provider.awareness.getStates().values()].some((s) => s.user?.username === 'alice' && s.user?.name === 'Alice Carter')).toBe(true));
    a.destroy();
    b.destroy();
  });

  it('every new client gets the latest state, though the full-state answer is encoded once per version', async () => {
    const note = await newNote('late joiners');
    const a = connect(server, note.docId, alice);
    const watcher = connect(server, note.docId, ben);
    await Promise.all([synced(a), synced(watcher)]);
    for (let round = 0; round < 3; round++) {
      a.text.insert(a.text.length, `edit ${round}. `);
      // Relayed to the watcher means stored; a client joining now must get it from its sync answer.
      await eventually(() => expect(watcher.text.toString()).toBe(a.text.toString()));
      // Two new clients in a row: the second gets the frame the first one's answer encoded.
      for (const who of [ben, alice]) {
        const late = connect(server, note.docId, who);
        await synced(late);
        expect(late.text.toString()).toBe(a.text.toString());
        late.destroy();
      }
    }
    a.destroy();
    watcher.destroy();
  });

  it('a bearer-authenticated ticket opens the document without a cookie', async () => {
    const note = await newNote('ticket');
    const token = await alice.post('/api/tokens', { name: 'script' });
    expect(token.status).toBe(201);
    const res = await fetch(`${server.url}/api/docs/${note.docId}/ticket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body.token}` },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: string };
    const c = connect(server, note.docId, { ticket });
    await synced(c);
    c.text.insert(0, 'from a script');
    const viewer = connect(server, note.docId, ben);
    await synced(viewer);
    await eventually(() => expect(viewer.text.toString()).toBe('from a script'));
    c.destroy();
    viewer.destroy();
  });

  it('unloads a document after its last client leaves, and loads it again intact', async () => {
    const note = await newNote('unload');
    const health = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { openDocuments: number }).openDocuments;
    // Documents of the tests before unload on their own timer: start from none open, not from a count
    // that may still be falling.
    await eventually(async () => expect(await health()).toBe(0), 3_000);
    const before = 0;
    const a = connect(server, note.docId, alice);
    await synced(a);
    a.text.insert(0, 'persisted through unload');
    expect(await health()).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 100));
    a.destroy();
    await eventually(async () => expect(await health()).toBe(before), 3_000);
    const b = connect(server, note.docId, ben);
    await synced(b);
    expect(b.text.toString()).toBe('persisted through unload');
    b.destroy();
  });
});
