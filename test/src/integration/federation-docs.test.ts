/**
 * Documents across two real instances (issue 20 item 5, server/src/federation/documents/): a note in a
 * shared workspace, releasable to LV, is co-edited by a US user on us-cert and an LV user on lv-cert
 * with real y-websocket clients, and converges on both sides and in both databases after a restart of
 * one; presence crosses as `name@instance`; a US-only note never reaches lv-cert (its files and the LV
 * client's frames are searched for a marker); narrowing drops the replica and closes the LV editor with
 * 4403; edits made on both sides while the link was suspended converge after it resumes, none lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FRAGMENT } from '@huntroom/shared';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import { makeWorkspace, uniq } from '../helpers/foundation.js';
import { cli, FAST_LINKS, linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count, dataBytes, recordingClient, storedDoc, storedText } from '../helpers/federationData.js';
import type { ApiClient } from '../helpers/http.js';
import { eventually, rawSocket, synced, type Client } from '../helpers/yjs.js';

/** The Y.Map a whiteboard keeps its Excalidraw elements in (server/src/whiteboards/placements.ts). */
const ELEMENTS_MAP = 'elements';

/** The note fragment (the editor's content) as stored in `node`'s database. */
const storedFragment = (node: Huntroom, docId: string): Promise<string> => storedDoc(node, docId, (d) => d.getXmlFragment(NOTE_FRAGMENT).toString());

describe('documents across instances', () => {
  let us: Nation;
  let lv: Nation;
  /** lv-cert's running node (replaced when the test restarts it on the same data). */
  let lvNode: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ws: string;
  const clients: Client[] = [];
  const open = <C extends Client>(c: C): C => {
    clients.push(c);
    return c;
  };

  const createNote = async (title: string, releasableTo: string[], tlp = 'AMBER'): Promise<string> => {
    const r = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking: { tlp, releasableTo } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  };
  const lvNotes = async (): Promise<{ id: string; title: string }[]> => {
    const r = await liga.get<{ notes: { id: string; title: string }[] }>(`/api/workspaces/${ws}/notes`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.notes;
  };

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice', 'adam']), startNation('lv-cert', 'LV', ['liga', 'lauris'])]);
    lvNode = lv;
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Quiet Birch');
    await shareWorkspace(us, lv, ws);
    liga = await loginOn(lv, 'liga');
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await us?.stop();
    if (lvNode !== lv) await lvNode.close();
    await lv?.stop();
  });

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
    expect(await storedText(lvNode, id)).toBe(expected);
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(true), 30_000);
    liga = await loginOn(lv, 'liga');
    const l2 = open(recordingClient(lvNode, id, liga));
    await synced(l2);
    expect(l2.text.toString()).toBe(expected);
    l2.text.insert(0, '[LV after restart] ');
    await eventually(() => expect(a.text.toString()).toBe(l2.text.toString()), 20_000);
    expect(a.text.toString()).toContain('[LV after restart]');
  }, 180_000);

  it('a US-only note never reaches lv-cert: not its list, files, nor the LV client frames', async () => {
    const shared = await createNote('Shared scratch', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(shared), 20_000);
    const l = open(recordingClient(lvNode, shared, liga));
    await synced(l);

    const marker = uniq('usonly').toLowerCase();
    const hidden = await createNote(`Title ${marker}`, ['US']);
    const a = open(recordingClient(us, hidden, alice));
    await synced(a);
    a.text.insert(0, `content ${marker} for US eyes`);
    // Something that does cross, after it, so the link has carried everything before the search.
    const after = await createNote('After the US-only one', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(after), 20_000);
    await eventually(async () => expect(await storedText(us, hidden)).toContain(marker), 20_000);
    const as = open(recordingClient(us, shared, alice));
    await synced(as);
    as.text.insert(0, 'shared words ');
    await eventually(() => expect(l.text.toString()).toContain('shared words'), 20_000);

    expect((await lvNotes()).map((n) => n.id)).not.toContain(hidden);
    expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [hidden])).toBe(0);
    expect((await liga.get(`/api/workspaces/${ws}/notes/${hidden}`)).status).toBe(404);
    expect((await dataBytes(lvNode)).includes(Buffer.from(marker))).toBe(false);
    expect(Buffer.concat(l.frames).includes(Buffer.from(marker))).toBe(false);
    // The US side holds it (the search would find it there).
    expect((await dataBytes(us)).includes(Buffer.from(marker))).toBe(true);
  }, 120_000);

  it('narrowing drops the replica on lv-cert and closes the LV editor with 4403', async () => {
    const id = await createNote('Soon US only', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'words that crossed');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('words that crossed'), 20_000);
    const raw = rawSocket(lvNode, id, liga.cookie);
    await raw.opened;

    const narrowed = await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { marking: { tlp: 'AMBER', releasableTo: ['US'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    expect((await raw.closed).code).toBe(4403);
    await eventually(async () => {
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [id])).toBe(0);
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?', [id])).toBe(0);
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc_id = ?', [id])).toBe(0);
    }, 20_000);
    expect((await lvNotes()).map((n) => n.id)).not.toContain(id);
    // What the US side writes now stays there.
    const marker = uniq('afternarrow').toLowerCase();
    a.text.insert(0, marker);
    await eventually(async () => expect(await storedText(us, id)).toContain(marker), 20_000);
    const probe = await createNote('Probe after narrowing', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(probe), 20_000);
    expect((await dataBytes(lvNode)).includes(Buffer.from(marker))).toBe(false);
    // The audit trail of lv-cert says what the home revoked.
    expect(await count(lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", [`%doc.revoke%${id}%`])).toBe(1);
  }, 120_000);

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

  it("the home refuses a peer user's update when that user is an observer there, and audits it", async () => {
    const id = await createNote('Observed only', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);
    // At the workspace's home, lauris@lv-cert becomes an observer (in the database: the members API does
    // not take name@instance usernames yet); lv-cert's replica still lets him type locally.
    const { changes } = await us.ctx.db.run(
      "UPDATE members SET role = 'observer' WHERE workspace_id = ? AND account_id = (SELECT id FROM accounts WHERE username = 'lauris@lv-cert')",
      [ws],
    );
    expect(changes).toBe(1);
    const lauris = await loginOn(lv, 'lauris');
    const l = open(recordingClient(lvNode, id, lauris));
    await synced(l);
    const marker = uniq('observer').toLowerCase();
    l.text.insert(0, marker);
    await eventually(
      async () => expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused' AND detail LIKE ?", ['%lauris@lv-cert may not write%'])).toBe(1),
      20_000,
    );
    expect(await storedText(us, id)).not.toContain(marker);
    // The link is not wedged: a hunter's update on another note still crosses. (Not on this note: Yjs
    // updates that build on the refused one cannot be integrated at the home without it.)
    const other = await createNote('Observed, the other one', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(other), 20_000);
    const lg = open(recordingClient(lvNode, other, liga));
    await synced(lg);
    lg.text.insert(0, 'hunter words');
    await eventually(async () => expect(await storedText(us, other)).toBe('hunter words'), 20_000);
    expect(await storedText(us, id)).not.toContain(marker);
  }, 120_000);

  it('edits made on both sides while the link is suspended converge after it resumes, none lost', async () => {
    const id = await createNote('Written apart', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);
    const a = open(recordingClient(us, id, alice));
    const l = open(recordingClient(lvNode, id, liga));
    await Promise.all([synced(a), synced(l)]);

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    for (let i = 0; i < 20; i++) {
      a.text.insert(a.text.length, `[us${i}]`);
      l.text.insert(0, `[lv${i}]`);
    }
    await eventually(async () => {
      expect(await storedText(us, id)).toContain('[us19]');
      expect(await storedText(lvNode, id)).toContain('[lv19]');
    }, 20_000);
    expect(a.text.toString()).not.toContain('[lv0]');
    expect(l.text.toString()).not.toContain('[us0]');

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => {
      expect(a.text.toString()).toBe(l.text.toString());
      for (let i = 0; i < 20; i++) expect(a.text.toString()).toContain(`[us${i}]`);
      for (let i = 0; i < 20; i++) expect(a.text.toString()).toContain(`[lv${i}]`);
    }, 30_000);
    const expected = a.text.toString();
    await eventually(async () => {
      expect(await storedText(us, id)).toBe(expected);
      expect(await storedText(lvNode, id)).toBe(expected);
    }, 20_000);
  }, 120_000);

  it('a replica catches up from its home on link up what no message carried (doc.sync)', async () => {
    const id = await createNote('Caught up', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'first words');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('first words'), 20_000);
    a.destroy();

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    // A change stored at the home with no message for the link (as after an outbox past its retention).
    const doc = new Y.Doc();
    const rows = await us.ctx.db.all<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY id', [id]);
    for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(doc.getText('t').length, ' and what the outbox lost');
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Y.encodeStateAsUpdate(doc, before)]);
    doc.destroy();

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('first words and what the outbox lost'), 30_000);
  }, 120_000);

  it("refuses a hostile peer's document messages, audits them, and changes nothing", async () => {
    const id = await createNote('Target of a hostile peer', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'genuine');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('genuine'), 20_000);
    const usTeam = (await us.ctx.db.get<{ id: string }>("SELECT id FROM teams WHERE code = 'US'"))!.id;
    const lvTeam = (await us.ctx.db.get<{ id: string }>("SELECT id FROM teams WHERE code = 'LV'"))!.id;
    const aliceId = (await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'alice'"))!.id;
    const ligaId = (await lvNode.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'liga'"))!.id;
    const forged = new Y.Doc();
    forged.getText('t').insert(0, 'forged');
    const update = Buffer.from(Y.encodeStateAsUpdate(forged)).toString('base64');
    forged.destroy();
    // lv-cert's bus stands in for a hostile lv-cert: it writes what a well-behaved one never would.
    const bus = lvNode.ctx.federation!;
    const refusedBefore = await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);
    const messages: [string, unknown][] = [
      // An author of a team lv-cert does not speak for (alice, US).
      ['doc.update', { docId: id, update, author: { id: aliceId, username: 'alice', displayName: 'Alice', teamId: usTeam } }],
      // No author: only the document's home may send that.
      ['doc.update', { docId: id, update, author: null }],
      // Bytes that are not a Yjs update.
      ['doc.update', { docId: id, update: Buffer.from('not yjs at all').toString('base64'), author: { id: ligaId, username: 'liga', displayName: 'Liga', teamId: lvTeam } }],
      // A document that does not exist.
      ['doc.update', { docId: '00000000-0000-4000-8000-000000000000', update, author: { id: ligaId, username: 'liga', displayName: 'Liga', teamId: lvTeam } }],
      // Metadata and a revoke for a document homed at us-cert.
      [
        'doc.meta',
        {
          id,
          workspaceId: ws,
          kind: 'note',
          title: 'hijacked',
          marking: { tlp: 'CLEAR', releasableTo: [] },
          ownerTeamId: usTeam,
          createdBy: aliceId,
          createdAt: new Date().toISOString(),
        },
      ],
      ['doc.revoke', { docId: id }],
    ];
    await lvNode.ctx.db.transaction(async (tx) => {
      for (const [type, body] of messages) await bus.enqueue(tx, 'us-cert', type, body);
    });
    bus.flush('us-cert');
    await eventually(
      async () => expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", [])).toBe(refusedBefore + messages.length),
      20_000,
    );
    const reasons = (await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY id DESC LIMIT ?", [messages.length])).map(
      (r) => (JSON.parse(r.detail) as { reason: string }).reason,
    );
    expect(reasons.reverse()).toEqual([
      'doc.update: lv-cert named an author of a team it does not speak for',
      `doc.update: lv-cert sent a change without an author to document ${id}, which it is not home of`,
      'doc.update: not a Yjs update',
      'doc.update: no document 00000000-0000-4000-8000-000000000000 shared with lv-cert',
      `doc.meta: lv-cert is not the home of document ${id}'s team`,
      `doc.revoke: lv-cert is not the home of document ${id}`,
    ]);
    expect(await storedText(us, id)).toBe('genuine');
    expect((await alice.get<{ title: string }>(`/api/workspaces/${ws}/notes/${id}`)).body.title).toBe('Target of a hostile peer');
    // The link is still up and carries the next genuine change.
    a.text.insert(a.text.length, ' still');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('genuine still'), 20_000);
  }, 120_000);

  it('the baseline of a new share carries the documents made before it that the link may see, and only those', async () => {
    const ws2 = await makeWorkspace(alice, 'Operation Late Share');
    const make = async (title: string, releasableTo: string[]): Promise<string> => {
      const r = await alice.post<{ id: string }>(`/api/workspaces/${ws2}/notes`, { title, marking: { tlp: 'AMBER', releasableTo } });
      expect(r.status).toBe(201);
      return r.body.id;
    };
    const visible = await make('Before the share', ['US', 'LV']);
    const marker = uniq('prebaseline').toLowerCase();
    const hidden = await make(`US only ${marker}`, ['US']);
    for (const [id, text] of [
      [visible, 'content from before the share'],
      [hidden, `hidden ${marker}`],
    ] as const) {
      const c = open(recordingClient(us, id, alice));
      await synced(c);
      c.text.insert(0, text);
      await eventually(async () => expect(await storedText(us, id)).toBe(text), 20_000);
      c.destroy();
    }
    await shareWorkspace(us, lvNode, ws2);
    await eventually(async () => expect(await storedText(lvNode, visible)).toBe('content from before the share'), 20_000);
    liga = await loginOn(lvNode, 'liga');
    const listed = (await liga.get<{ notes: { id: string }[] }>(`/api/workspaces/${ws2}/notes`)).body.notes.map((n) => n.id);
    expect(listed).toEqual([visible]);
    expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [hidden])).toBe(0);
    expect((await dataBytes(lvNode)).includes(Buffer.from(marker))).toBe(false);
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
