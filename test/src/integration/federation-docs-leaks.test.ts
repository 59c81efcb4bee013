/**
 * Documents across two real instances, what must not cross (issue 20 items 5 and 6): a US-only note never
 * reaches lv-cert (its files and the LV client's frames are searched for a marker), the baseline of a new
 * share carries only what the link may see, and a hostile peer's document messages are refused, audited
 * and change nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeWorkspace, uniq } from '../helpers/foundation.js';
import { loginOn, shareWorkspace, type Nation } from '../helpers/federation.js';
import { count, dataBytes, recordingClient, storedText } from '../helpers/federationData.js';
import { eventually, synced } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { docsPair } from '../helpers/federationDocs.js';

describe('documents across instances: what does not cross', () => {
  const pair = docsPair();
  const { open, createNote, lvNotes } = pair;
  let us: Nation;
  let lvNode: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ws: string;
  beforeAll(() => void ({ us, lvNode, alice, liga, ws } = pair));

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
  it("refuses a home's metadata of a document none of lv-cert's teams may see: it never lands in lv-cert's database", async () => {
    // us-cert's bus stands in for a home whose border erred: it writes a US-only note's metadata to lv-cert.
    const usTeam = (await us.ctx.db.get<{ id: string }>("SELECT id FROM teams WHERE code = 'US'"))!.id;
    const aliceId = (await us.ctx.db.get<{ id: string }>("SELECT id FROM accounts WHERE username = 'alice'"))!.id;
    const marker = uniq('strictmeta').toLowerCase();
    const id = crypto.randomUUID();
    const refusedBefore = await count(lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);
    const bus = us.ctx.federation!;
    await us.ctx.db.transaction(async (tx) => {
      await bus.enqueue(tx, 'lv-cert', 'doc.meta', {
        id,
        workspaceId: ws,
        kind: 'note',
        title: `US eyes only ${marker}`,
        marking: { tlp: 'AMBER+STRICT', releasableTo: [] },
        ownerTeamId: usTeam,
        createdBy: aliceId,
        createdAt: new Date().toISOString(),
      });
    });
    bus.flush('lv-cert');
    await eventually(async () => expect(await count(lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", [])).toBe(refusedBefore + 1), 20_000);
    const reason = (await lvNode.ctx.db.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' ORDER BY id DESC LIMIT 1"))!.detail;
    expect((JSON.parse(reason) as { reason: string }).reason).toBe(`doc.meta: document ${id} is marked so that none of this instance's teams may see it`);
    expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [id])).toBe(0);
    expect((await dataBytes(lvNode)).includes(Buffer.from(marker))).toBe(false);
    expect((await lvNotes()).map((n) => n.id)).not.toContain(id);
  }, 60_000);
});
