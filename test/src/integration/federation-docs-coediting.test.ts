/**
 * Documents across two real instances, co-editing (issue 20 item 5, server/src/federation/documents/): a
 * note in a shared workspace, releasable to LV, is co-edited by a US user on us-cert and an LV user on
 * lv-cert with real y-websocket clients, and converges on both sides and in both databases after a
 * restart of one; presence crosses as `name@instance`; widening sends the whole content; a whiteboard
 * crosses like a note; a version restored on the replica crosses as its restorer's change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FRAGMENT } from '@huntroom/shared';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import { FAST_LINKS, loginOn, type Nation } from '../helpers/federation.js';
import { count, recordingClient, storedDoc, storedText } from '../helpers/federationData.js';
import { eventually, synced } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { docsPair } from '../helpers/federationDocs.js';

/** The Y.Map a whiteboard keeps its Excalidraw elements in (server/src/whiteboards/placements.ts). */
const ELEMENTS_MAP = 'elements';

/** The note fragment (the editor's content) as stored in `node`'s database. */
const storedFragment = (node: Huntroom, docId: string): Promise<string> => storedDoc(node, docId, (d) => d.getXmlFragment(NOTE_FRAGMENT).toString());

describe('co-editing documents across instances', () => {
  const pair = docsPair();
  const { open, createNote, lvNotes } = pair;
  let us: Nation;
  let lv: Nation;
  let lvNode: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ws: string;
  beforeAll(() => void ({ us, lv, lvNode, alice, liga, ws } = pair));

  it('a shared note is co-edited from both instances and converges, presence included', async () => {
    const id = await createNote('Beacon timing', ['US', 'LV']);
    // The replica has the home's id, and liga sees it in the workspace's list on her own instance.
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);

    const a = open(recordingClient(us, id, alice));
    const l = open(recordingClient(lv, id, liga));
    await Promise.all([synced(a), synced(l)]);
    a.provider.awareness.setLocalStateField('cursor', { at: 1 });
    l.provider.awareness.setLocalStateField('cursor', { at: 2 });
    a.text.insert(0, 'US: beacon every 300 s. ');
    await eventually(() => expect(l.text.toString()).toContain('beacon every 300 s'), 20_000);
    l.text.insert(l.text.length, 'LV: seen from 10.1.2.3.');
    await eventually(() => expect(a.text.toString()).toContain('seen from 10.1.2.3'), 20_000);
    await eventually(() => expect(a.text.toString()).toBe(l.text.toString()), 20_000);

    // Carets cross with name@instance and the team's colour as the receiving instance knows it.
    const usColor = (await lv.ctx.db.get<{ color: string }>("SELECT color FROM teams WHERE code = 'US'"))!.color;
    await eventually(() => {
      const users = [...l.provider.awareness.getStates().values()].map((s) => (s as { user?: { username?: string; color?: string } }).user);
      expect(users).toContainEqual(expect.objectContaining({ username: 'alice@us-cert', color: usColor }));
    }, 20_000);
    await eventually(() => {
      const users = [...a.provider.awareness.getStates().values()].map((s) => (s as { user?: { username?: string } }).user);
      expect(users).toContainEqual(expect.objectContaining({ username: 'liga@lv-cert' }));
    }, 20_000);

    // Both databases hold the converged text; lv-cert's still does after it restarts, and edits flow again.
    const expected = a.text.toString();
    await eventually(async () => {
      expect(await storedText(us, id)).toBe(expected);
      expect(await storedText(lvNode, id)).toBe(expected);
    }, 20_000);
    l.destroy();
    const port = lvNode.port;
    await lvNode.close();
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    const restarted = await startHuntroom({
      ...FAST_LINKS,
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: lv.dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'off', ...GENEROUS_LIMITS },
    });
    lvNode = Object.assign(restarted, { dataDir: lv.dataDir, name: lv.name, team: lv.team, publicKey: lv.publicKey, stop: () => restarted.close() });
    // The suite's afterAll closes the node that runs now.
    pair.lvNode = lvNode;
    expect(await storedText(lvNode, id)).toBe(expected);
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(true), 30_000);
    pair.liga = liga = await loginOn(lv, 'liga');
    const l2 = open(recordingClient(lvNode, id, liga));
    await synced(l2);
    expect(l2.text.toString()).toBe(expected);
    l2.text.insert(0, '[LV after restart] ');
    await eventually(() => expect(a.text.toString()).toBe(l2.text.toString()), 20_000);
    expect(a.text.toString()).toContain('[LV after restart]');
  }, 180_000);

  it('widening sends the metadata and the whole content; a rename at the home follows; the replica may not be renamed', async () => {
    const id = await createNote('US only for now', ['US']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'written before it was released');
    await eventually(async () => expect(await storedText(us, id)).toBe('written before it was released'), 20_000);
    expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [id])).toBe(0);

    const widened = await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(widened.status, JSON.stringify(widened.body)).toBe(200);
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('written before it was released'), 20_000);
    expect((await lvNotes()).map((n) => n.id)).toContain(id);
    const l = open(recordingClient(lvNode, id, liga));
    await synced(l);
    expect(l.text.toString()).toBe('written before it was released');

    expect((await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { title: 'Released' })).status).toBe(200);
    await eventually(async () => expect((await lvNotes()).find((n) => n.id === id)?.title).toBe('Released'), 20_000);
    // On lv-cert the replica's name and marking are the home's to change.
    const renamed = await liga.patch(`/api/workspaces/${ws}/notes/${id}`, { title: 'Mine now' });
    expect(renamed.status).toBe(403);
    expect((await lvNotes()).find((n) => n.id === id)?.title).toBe('Released');
  }, 120_000);

  it('a whiteboard crosses like a note: listed on lv-cert, elements drawn on either side reach the other', async () => {
    const r = await alice.post<{ id: string }>(`/api/workspaces/${ws}/whiteboards`, { title: 'Kill chain board', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(r.status).toBe(201);
    const id = r.body.id;
    await eventually(async () => {
      const boards = (await liga.get<{ whiteboards: { id: string }[] }>(`/api/workspaces/${ws}/whiteboards`)).body.whiteboards;
      expect(boards.map((b) => b.id)).toContain(id);
    }, 20_000);
    const a = open(recordingClient(us, id, alice));
    const l = open(recordingClient(lvNode, id, liga));
    await Promise.all([synced(a), synced(l)]);
    a.doc.getMap(ELEMENTS_MAP).set('us-box', { id: 'us-box', type: 'rectangle', x: 1, y: 2 });
    l.doc.getMap(ELEMENTS_MAP).set('lv-note', { id: 'lv-note', type: 'text', x: 3, y: 4, text: 'LV saw this' });
    await eventually(() => {
      expect([...a.doc.getMap(ELEMENTS_MAP).keys()].sort()).toEqual(['lv-note', 'us-box']);
      expect([...l.doc.getMap(ELEMENTS_MAP).keys()].sort()).toEqual(['lv-note', 'us-box']);
    }, 20_000);
  }, 120_000);

  it("a version restored on the replica crosses to the home as its restorer's change", async () => {
    const id = await createNote('Restored across', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    const paragraph = (text: string): Y.XmlElement => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    };
    a.doc.getXmlFragment(NOTE_FRAGMENT).insert(0, [paragraph('first draft')]);
    await eventually(async () => expect(await storedFragment(lvNode, id)).toContain('first draft'), 20_000);
    const saved = await liga.post<{ id: string }>(`/api/workspaces/${ws}/notes/${id}/versions`, { name: 'draft' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    a.doc.transact(() => {
      const f = a.doc.getXmlFragment(NOTE_FRAGMENT);
      f.delete(0, f.length);
      f.insert(0, [paragraph('rewritten by US')]);
    });
    await eventually(async () => expect(await storedFragment(lvNode, id)).not.toContain('first draft'), 20_000);

    const restored = await liga.post(`/api/workspaces/${ws}/notes/${id}/versions/${saved.body.id}/restore`, {});
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    await eventually(() => expect(a.doc.getXmlFragment(NOTE_FRAGMENT).toString()).toContain('first draft'), 20_000);
    expect(a.doc.getXmlFragment(NOTE_FRAGMENT).toString()).not.toContain('rewritten by US');
  }, 120_000);
});
