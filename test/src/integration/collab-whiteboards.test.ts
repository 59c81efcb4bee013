/**
 * Whiteboards: titled Yjs documents of kind 'whiteboard' with the same rules as notes (REST with
 * markings and audit, kinds kept apart), and two clients drawing at once through the document server
 * converge on the same elements; an observer's drawing never lands.
 */
import { approvedInvite } from '../helpers/foundation.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, ApiClient } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

/** An Excalidraw element as the client's binding stores it in the `elements` map. */
const rect = (id: string, version: number, x = 0) => ({
  id,
  type: 'rectangle',
  x,
  y: 0,
  width: 100,
  height: 50,
  version,
  versionNonce: version * 7,
  index: `a${id}`,
  isDeleted: false,
});
const elements = (c: Client) => Object.fromEntries([...c.doc.getMap<{ version: number; x: number }>('elements').entries()].map(([k, v]) => [k, { version: v.version, x: v.x }]));

describe('collab: whiteboards', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let ws: string;
  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
  });
  afterAll(() => server.stop());

  it('creates, lists, renames, re-marks and deletes whiteboards, kept apart from notes, and audits it', async () => {
    expect((await ben.post(`/api/workspaces/${ws}/whiteboards`, { title: '   ' })).status).toBe(400);
    expect((await ben.post(`/api/workspaces/${ws}/whiteboards`, { title: 'x', marking: { tlp: 'PURPLE' } })).status).toBe(400);
    const created = await ben.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Attacker path', marking: { tlp: 'GREEN', releasableTo: [] } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await liga.get(`/api/workspaces/${ws}/whiteboards`)).body.whiteboards.map((b: { id: string }) => b.id)).toContain(id);
    // A whiteboard is not a note, and a note is not a whiteboard.
    expect((await ben.get(`/api/workspaces/${ws}/notes`)).body.notes.map((n: { id: string }) => n.id)).not.toContain(id);
    expect((await ben.get(`/api/workspaces/${ws}/notes/${id}`)).status).toBe(404);
    const note = (await ben.post(`/api/workspaces/${ws}/notes`, { title: 'a note' })).body.id as string;
    expect((await ben.get(`/api/workspaces/${ws}/whiteboards/${note}`)).status).toBe(404);

    expect((await liga.patch(`/api/workspaces/${ws}/whiteboards/${id}`, { title: 'mine' })).status).toBe(403);
    expect((await ben.patch(`/api/workspaces/${ws}/whiteboards/${id}`, { title: 'Attacker path v2' })).body.title).toBe('Attacker path v2');
    expect((await ben.patch(`/api/workspaces/${ws}/whiteboards/${id}`, { marking: { tlp: 'AMBER', releasableTo: [] } })).status).toBe(200);
    // Narrowed to the owner team only: others lose it from the list and cannot open it.
    expect((await ben.patch(`/api/workspaces/${ws}/whiteboards/${id}`, { marking: { tlp: 'AMBER+STRICT', releasableTo: [] } })).status).toBe(200);
    expect((await liga.get(`/api/workspaces/${ws}/whiteboards`)).body.whiteboards.map((b: { id: string }) => b.id)).not.toContain(id);
    // Hidden answers as missing (issue 15): 404.
    expect((await liga.get(`/api/workspaces/${ws}/whiteboards/${id}`)).status).toBe(404);
    expect((await liga.delete(`/api/workspaces/${ws}/whiteboards/${id}`)).status).toBe(404);
    expect((await ben.delete(`/api/workspaces/${ws}/whiteboards/${id}`)).status).toBe(200);
    expect((await ben.get(`/api/workspaces/${ws}/whiteboards/${id}`)).status).toBe(404);
    // Every change is audited; but the board was CA's alone when deleted, so the trail as the US owner
    // reads it holds none of those rows (issue 15: rows about items the reader may not see are left out).
    const written = await server.ctx.db.all<{ action: string; detail: string }>('SELECT action, detail FROM audit_log WHERE workspace_id = ?', [ws]);
    for (const a of ['whiteboard.created', 'whiteboard.renamed', 'whiteboard.marking_changed', 'whiteboard.deleted']) {
      expect(written.some((r) => r.action === a && (JSON.parse(r.detail) as { whiteboardId?: string }).whiteboardId === id)).toBe(true);
    }
    expect(JSON.stringify((await alice.get(`/api/workspaces/${ws}/audit`)).body.entries)).not.toContain(id);
  });

  it('two clients drawing at once converge, and a team that loses sight of the board is closed out', async () => {
    const id = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'live' })).body.id as string;
    const a = connect(server, id, alice);
    const b = connect(server, id, ben);
    await Promise.all([synced(a), synced(b)]);
    const ma = a.doc.getMap('elements');
    const mb = b.doc.getMap('elements');
    // Both draw their own shapes, then both move the same shape at the same moment.
    for (let i = 0; i < 20; i++) {
      ma.set(`a${i}`, rect(`a${i}`, 1));
      mb.set(`b${i}`, rect(`b${i}`, 1));
    }
    ma.set('a0', rect('a0', 2, 111));
    mb.set('a0', rect('a0', 2, 222));
    await eventually(() => {
      expect(ma.size).toBe(40);
      expect(elements(a)).toEqual(elements(b));
    });
    expect([111, 222]).toContain(elements(a).a0!.x);

    // A fresh client loads the same scene from the server.
    const c = connect(server, id, liga);
    await synced(c);
    await eventually(() => expect(elements(c)).toEqual(elements(a)));
    const closed = new Promise<number>((resolve) => c.provider.ws?.addEventListener('close', (e) => resolve((e as { code: number }).code)));
    expect((await alice.patch(`/api/workspaces/${ws}/whiteboards/${id}`, { marking: { tlp: 'RED', releasableTo: [] } })).status).toBe(200);
    expect(await closed).toBe(4403);
    for (const x of [a, b, c]) x.destroy();
  });

  it("drops an observer's drawing", async () => {
    const invite = { body: await approvedInvite(alice, ws, { role: 'observer', team: 'CA', expiresInHours: 1 }) };
    const observer = new ApiClient(server.url);
    expect((await observer.post(`/api/invites/${invite.body.token}/accept`, { username: 'wb-observer', password: 'wb-observer-partner' })).status).toBe(201);
    expect((await observer.post(`/api/workspaces/${ws}/whiteboards`, { title: 'nope' })).status).toBe(403);
    const id = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'observed' })).body.id as string;
    const hunter = connect(server, id, alice);
    const o = connect(server, id, observer);
    await Promise.all([synced(hunter), synced(o)]);
    hunter.doc.getMap('elements').set('h', rect('h', 1));
    await eventually(() => expect(o.doc.getMap('elements').has('h')).toBe(true));
    o.doc.getMap('elements').set('o', rect('o', 1));
    hunter.doc.getMap('elements').set('h2', rect('h2', 1));
    await eventually(() => expect(o.doc.getMap('elements').has('h2')).toBe(true));
    const fresh = connect(server, id, ben);
    await synced(fresh);
    await eventually(() => expect(fresh.doc.getMap('elements').has('h2')).toBe(true));
    expect(fresh.doc.getMap('elements').has('o')).toBe(false);
    expect(hunter.doc.getMap('elements').has('o')).toBe(false);
    for (const x of [hunter, o, fresh]) x.destroy();
  });
});
